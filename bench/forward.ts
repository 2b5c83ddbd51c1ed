// Forwarding benchmark (not a test): N publisher bots × K subscriber bots in one room, through
// Treff and through Janus 1.1.2's VideoRoom (the reference, see shared/guides/sfu-transport.md),
// with the same synthetic VP8 + Opus from the same bot code. For each (N, K) point it measures,
// over a fixed window: packets/s forwarded (received by the bots), the server process's CPU time
// per forwarded packet (from /proc, so the bots' own CPU is excluded), loss and latency.
//
//   npm run bench:forward -- [--sfu treff,janus] [--points 1x10,1x30,4x10] [--duration 10] [--video-pps 200]
//   npm run bench:forward -- --find-max [--points 1x20] [--video-pps 400] [--step 1.5]
//
// Janus's ICE never gathers loopback candidates, so when Janus is measured both servers run in a
// private network namespace behind a veth pair and the bots (in this process) reach them over it.
// The bots share the machine with the server; the bot process's CPU is printed too, so a point
// where the load generator itself saturated is recognisable. See bench/README.md.

import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { findJanus, type JanusInstall } from './janus-server.js';
import { runPoint, type Row } from './measure.js';
import { createNetNamespace, netnsUnavailable, type NetNamespace } from './netns.js';
import { startJanusTarget, startTreff, type Network, type Point, type RunningTarget } from './targets.js';

type SfuName = 'treff' | 'janus';

/** Loss at which --find-max stops raising the rate (percent). */
const MAX_LOSS_PERCENT = 1;

function parsePoints(spec: string): Point[] {
  return spec.split(',').map((p) => {
    const [n, k] = p.split('x').map(Number);
    if (!Number.isInteger(n) || !Number.isInteger(k) || n! < 1 || k! < 0) throw new Error(`bad point ${p} (want NxK)`);
    return { publishers: n!, subscribers: k! };
  });
}

// ---- cleanup on every way out ----

const cleanups: (() => void)[] = [];
function cleanupNow(): void {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      c();
    } catch {
      // best effort: keep removing the rest
    }
  }
}
process.on('exit', cleanupNow);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping servers, removing the network namespace`);
    cleanupNow();
    process.exit(130);
  });
}

async function startTarget(name: SfuName, net: Network, janus: JanusInstall | null): Promise<RunningTarget> {
  const target = name === 'treff' ? await startTreff(net) : await startJanusTarget(janus!, net);
  cleanups.push(target.kill);
  return target;
}

// ---- output ----

function table(header: readonly string[], cells: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padStart(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

function drops(r: Row): string {
  return r.udpDropsServer === null ? `${r.udpDropsBots} (one namespace)` : `${r.udpDropsServer} / ${r.udpDropsBots}`;
}

function printRows(title: string, rows: readonly Row[], withRate: boolean): void {
  const header = ['N×K', ...(withRate ? ['video pps'] : []), 'bots', 'sent pps', 'fwd pps', 'expected', 'srv CPU %', 'µs/fwd pkt', 'loss %', 'delivered %', 'lat p50 ms', 'lat p95 ms', 'bots CPU %', 'UDP drops srv/bots'];
  const cells = rows.map((r) => [
    r.point,
    ...(withRate ? [String(r.videoPps)] : []),
    r.joined === r.bots ? String(r.bots) : `${r.joined}/${r.bots}`,
    r.sentPps.toFixed(0),
    r.forwardedPps.toFixed(0),
    r.expectedPps.toFixed(0),
    r.serverCpuPercent.toFixed(1),
    r.usPerPacket.toFixed(1),
    r.lossPercent.toFixed(3),
    r.deliveredPercent.toFixed(1),
    r.latencyP50.toFixed(2),
    r.latencyP95.toFixed(2),
    r.botCpuPercent.toFixed(0),
    drops(r),
  ]);
  console.log(`\n${title}:`);
  console.log(table(header, cells));
  for (const r of rows) {
    const problems = [...r.failedJoins.map((e) => `join failed: ${e}`), ...r.errors];
    if (r.skippedPps > 0) problems.push(`publishers skipped ${r.skippedPps.toFixed(0)} packets/s (bot event loop behind)`);
    if (problems.length > 0) console.log(`  ${r.point}${withRate ? ` @${r.videoPps}` : ''}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`);
  }
}

function printComparison(treff: readonly Row[], janus: readonly Row[]): void {
  const header = ['N×K', 'treff µs/pkt', 'janus µs/pkt', 'treff/janus', 'treff fwd pps', 'janus fwd pps', 'treff loss %', 'janus loss %', 'treff lat p50/p95', 'janus lat p50/p95'];
  const cells = treff.map((t, i) => {
    const j = janus[i]!;
    return [
      t.point,
      t.usPerPacket.toFixed(1),
      j.usPerPacket.toFixed(1),
      (t.usPerPacket / j.usPerPacket).toFixed(2),
      t.forwardedPps.toFixed(0),
      j.forwardedPps.toFixed(0),
      t.lossPercent.toFixed(3),
      j.lossPercent.toFixed(3),
      `${t.latencyP50.toFixed(1)} / ${t.latencyP95.toFixed(1)}`,
      `${j.latencyP50.toFixed(1)} / ${j.latencyP95.toFixed(1)}`,
    ];
  });
  console.log('\ntreff vs janus (same points, same bots):');
  console.log(table(header, cells));
}

// ---- modes ----

/** Every point on every server, alternating servers per point so that machine noise hits both alike. */
async function comparePoints(targets: readonly RunningTarget[], points: readonly Point[], durationS: number, videoPps: number): Promise<void> {
  const rows = new Map<string, Row[]>(targets.map((t) => [t.name, []]));
  for (const p of points) {
    for (const t of targets) {
      console.log(`${t.name} ${p.publishers}x${p.subscribers}: joining, then measuring ${durationS} s ...`);
      rows.get(t.name)!.push(await runPoint(t, p, durationS, videoPps));
    }
  }
  for (const t of targets) printRows(t.name, rows.get(t.name)!, false);
  const treff = rows.get('treff');
  const janus = rows.get('janus');
  if (treff && janus) printComparison(treff, janus);
}

/** A step fails when ≥ 1% is lost (sequence gaps) or ≥ 1% of what was sent did not arrive in the window. */
function failed(r: Row): boolean {
  return r.lossPercent >= MAX_LOSS_PERCENT || r.deliveredPercent < 100 - MAX_LOSS_PERCENT;
}

/**
 * Raises each publisher's video rate by `step` until a step fails (see `failed`) or the bots cannot
 * send the rate any more, bisects `refine` times between the last good and the first failed rate,
 * then reports the highest forwarded rate of a good step.
 */
async function findMax(targets: readonly RunningTarget[], point: Point, durationS: number, startPps: number, step: number, maxSteps: number, refine: number): Promise<void> {
  const summary: string[][] = [];
  for (const t of targets) {
    const rows: Row[] = [];
    const measure = async (pps: number): Promise<Row> => {
      console.log(`${t.name} ${point.publishers}x${point.subscribers} at ${pps} video pps per publisher: measuring ${durationS} s ...`);
      const row = await runPoint(t, point, durationS, pps);
      rows.push(row);
      return row;
    };
    let good: Row | null = null;
    let bad: Row | null = null;
    let stop = '';
    let pps = startPps;
    for (let i = 0; i < maxSteps; i++, pps = Math.round(pps * step)) {
      const row = await measure(pps);
      if (failed(row)) {
        bad = row;
        break;
      }
      good = row;
      const wanted = (pps + 50) * point.publishers;
      if (row.sentPps < 0.9 * wanted) {
        stop = `bots sent only ${row.sentPps.toFixed(0)} of ${wanted} packets/s (load generator saturated)`;
        break;
      }
    }
    for (let i = 0; i < refine && good !== null && bad !== null; i++) {
      const mid = Math.round(Math.sqrt(good.videoPps * bad.videoPps));
      if (mid <= good.videoPps || mid >= bad.videoPps) break;
      const row = await measure(mid);
      if (failed(row)) bad = row;
      else good = row;
    }
    const best = rows.filter((r) => !failed(r)).reduce<Row | null>((a, r) => (a === null || r.forwardedPps > a.forwardedPps ? r : a), null);
    if (bad !== null) {
      stop = `${bad.videoPps} video pps: loss ${bad.lossPercent.toFixed(2)}%, delivered ${bad.deliveredPercent.toFixed(1)}%, UDP drops srv/bots ${drops(bad)}, bots CPU ${bad.botCpuPercent.toFixed(0)}%`;
    } else if (stop === '') {
      stop = `no failing step within ${maxSteps} steps`;
    }
    printRows(`${t.name} (find-max)`, [...rows].sort((a, b) => a.videoPps - b.videoPps), true);
    summary.push([
      t.name,
      best ? best.forwardedPps.toFixed(0) : '-',
      best ? String(best.videoPps) : '-',
      best ? best.usPerPacket.toFixed(1) : '-',
      best ? best.serverCpuPercent.toFixed(0) : '-',
      best ? best.botCpuPercent.toFixed(0) : '-',
      stop,
    ]);
  }
  console.log(`\nmax forwarded packets/s before ${MAX_LOSS_PERCENT}% loss (${point.publishers}x${point.subscribers}):`);
  console.log(table(['server', 'max fwd pps', 'at video pps', 'µs/fwd pkt', 'srv CPU %', 'bots CPU %', 'first failing step'], summary));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sfu: { type: 'string' },
      points: { type: 'string' },
      duration: { type: 'string' },
      'video-pps': { type: 'string' },
      net: { type: 'string', default: 'auto' },
      'find-max': { type: 'boolean', default: false },
      step: { type: 'string', default: '1.5' },
      'max-steps': { type: 'string', default: '10' },
      refine: { type: 'string', default: '2' },
    },
  });
  const findMaxMode = values['find-max'];
  const pointsSpec = values.points ?? (findMaxMode ? '1x20' : '1x10,1x30,4x10');
  const points = parsePoints(pointsSpec);
  const durationS = Number(values.duration ?? (findMaxMode ? 6 : 10));
  const videoPps = Number(values['video-pps'] ?? (findMaxMode ? 400 : 200));
  const step = Number(values.step);
  const maxSteps = Number(values['max-steps']);
  const refine = Number(values.refine);
  if (!(durationS > 0) || !(videoPps > 0) || !(step > 1) || !(maxSteps >= 1) || !(refine >= 0)) {
    throw new Error('--duration, --video-pps, --max-steps must be positive, --refine ≥ 0 and --step > 1');
  }

  // Which servers: both when Janus can run here, else Treff alone with the reason.
  const janus = findJanus();
  const nsProblem = netnsUnavailable();
  const requested = (values.sfu ?? 'treff,janus').split(',').map((s) => s.trim());
  for (const s of requested) if (s !== 'treff' && s !== 'janus') throw new Error(`unknown --sfu ${s} (treff, janus)`);
  let sfus = requested as SfuName[];
  if (sfus.includes('janus') && (janus === null || nsProblem !== null)) {
    if (janus === null) console.log('janus: not installed, so Treff runs alone. Install it with `apt-get install -y janus` (Debian/Ubuntu; Janus 1.1.2 on Debian 12).');
    else console.log(`janus: skipped, ${nsProblem} (Janus runs in a private network namespace); Treff runs alone.`);
    sfus = ['treff'];
  }
  const net = values.net === 'auto' ? (sfus.includes('janus') ? 'netns' : 'loopback') : values.net;
  if (net !== 'netns' && net !== 'loopback') throw new Error(`--net must be auto, netns or loopback`);
  if (net === 'loopback' && sfus.includes('janus')) throw new Error('Janus cannot run on loopback (libnice gathers no loopback candidates): use --net netns');
  if (net === 'netns' && nsProblem !== null) throw new Error(`--net netns: ${nsProblem}`);

  let ns: NetNamespace | null = null;
  if (net === 'netns') {
    ns = createNetNamespace();
    cleanups.push(ns.remove);
  }
  const network: Network = ns ? { ns, serverAddress: ns.inside, botAddress: ns.outside } : { ns: null, serverAddress: '127.0.0.1', botAddress: '127.0.0.1' };

  const flags = [`--sfu ${sfus.join(',')}`, `--points ${pointsSpec}`, `--duration ${durationS}`, `--video-pps ${videoPps}`];
  if (findMaxMode) {
    flags.unshift('--find-max');
    flags.push(`--step ${step}`, `--max-steps ${maxSteps}`, `--refine ${refine}`);
  }
  console.log(`command: npm run bench:forward -- ${flags.join(' ')}`);
  console.log(`machine: ${cpus().length} cores, node ${process.version}; each publisher sends ${videoPps} video + 50 audio packets/s (1100-byte VP8-shaped payloads)`);
  console.log(`network: ${ns ? `servers in network namespace ${ns.name} at ${ns.inside}, bots at ${ns.outside} over a veth pair` : 'loopback (127.0.0.1)'}`);

  const targets: RunningTarget[] = [];
  try {
    for (const s of sfus) targets.push(await startTarget(s, network, janus));
    if (findMaxMode) {
      if (points.length !== 1) throw new Error('--find-max takes one point (e.g. --points 1x20)');
      await findMax(targets, points[0]!, durationS, videoPps, step, maxSteps, refine);
    } else {
      await comparePoints(targets, points, durationS, videoPps);
    }
  } finally {
    for (const t of targets) await t.stop();
  }
  console.log(`\nfwd pps: packets received by all bots per second; µs/fwd pkt: server CPU time (user+sys, whole process, all threads) / forwarded packets;`);
  console.log('loss %: sequence gaps at the receivers; delivered %: received / (sent × receivers per publisher); bots CPU %: this process (all bots);');
  console.log("UDP drops: datagrams dropped on full socket receive buffers in the window (/proc/net/snmp RcvbufErrors) in the server's namespace / the bots' (which other processes on the machine share).");
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
