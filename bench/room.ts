// The largest single room this machine holds: every participant publishes 3-layer simulcast video
// and audio and watches a page of tiles; participants join at 10 per second. For each room size it
// prints loss, added latency, time to first frame, the server's CPU and memory per participant, and
// the bots' CPU separately (bots run in their own processes on the same machine, so a size the
// machine cannot hold may be the bots' limit rather than the server's: compare the two CPU columns).
//
//   npm run bench:room -- --sizes 10,25,50,75,100 --duration 10 [--tiles 25] [--tile 384x216]
//                         [--bot-procs 2] [--join-spacing 100] [--coalesce-ms 5] [--floor]
//                         [--rooms 1] [--workers 1 | --nodes 1]
// --rooms: the N participants split evenly over this many meetings (each joins at the same rate, side by side).
// --workers: the server's --workers; its CPU is then given per process (front, each worker) and summed.
// --nodes: that many servers sharing one redis-server (--redis). Each meeting's bot processes connect
// through every node in turn, meeting r's first through node r, so the meetings run on different nodes and
// the other nodes forward their share of the signaling; CPU is given per node (Redis's beside) and summed.
// --coalesce-ms: each bot process handles its packets in batches this far apart (0: one by one),
// so bots cost less CPU beside the server; arrival times, and so latency, are up to that much late.
// --floor: the bots only count what they receive (no parsing, statistics or transport-cc feedback), to
// show what receiving costs in node-datachannel itself; loss and latency are then not measured.
// Each size also prints the bots' CPU per received RTP packet.
// TREFF_BENCH_PROFILE=<dir> writes a V8 CPU profile of the server there (open it in Chrome DevTools);
// TREFF_BENCH_BOTS_PROFILE=<dir> one of each bot process.
//
// A size "holds" with under 1% loss and p95 added latency under 100 ms.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createRoom, summarize } from '@treff/load';
import { freePort, startTestRedis } from '@treff/server/test-redis';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,25,50,75,100' },
    duration: { type: 'string', default: '10' },
    tiles: { type: 'string', default: '25' },
    tile: { type: 'string', default: '384x216' },
    'bot-procs': { type: 'string', default: '2' },
    'join-spacing': { type: 'string', default: '100' },
    settle: { type: 'string', default: '5' },
    'coalesce-ms': { type: 'string', default: '5' },
    floor: { type: 'boolean', default: false },
    rooms: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '1' },
  },
});
const sizes = values.sizes!.split(',').map(Number);
const rooms = Number(values.rooms);
const workers = Number(values.workers);
const nodes = Number(values.nodes);
if (workers > 1 && nodes > 1) throw new Error('--workers and --nodes do not go together (a node is one process)');
// Every meeting gets its own bot processes, so each process's share of a room is contiguous.
const botProcs = Math.ceil(Number(values['bot-procs']) / rooms) * rooms;
const settleMs = Number(values.settle) * 1000;
const TICKS_PER_SECOND = 100; // USER_HZ, as /proc/<pid>/stat counts

interface BotResult {
  bots: number;
  failures: string[];
  joinMs: number[];
  firstFrameMs: number[];
  packets: number;
  /** RTP packets the bots' tracks delivered in the window, counted before any parsing. */
  rtpReceived: number;
  lost: number;
  latency: number[];
  layers: number[];
  videoPairs: number;
  audioPairs: number;
  cpuMs: number;
  errors: string[];
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime + stime
}

/** The process and its workers (children with a worker index; tsx may run an esbuild service beside them). */
function processTree(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) return false;
        return readFileSync(`/proc/${e}/environ`, 'utf8').includes('TREFF_WORKER_INDEX=');
      } catch {
        return false;
      }
    })
    .map(Number);
  return [pid, ...children.sort((a, b) => a - b)];
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

/** Lines of a child's stdout, parsed as JSON where they are JSON. */
function jsonLines(child: ChildProcess, onLine: (value: Record<string, unknown>) => void): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      onLine(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a JSON line (the server's banner)
    }
  });
}

/** The server under test: its URLs (one per node), its processes, and what each process is. */
interface Treff {
  urls: string[];
  pids: number[];
  labels: string[];
  stop(): Promise<void>;
}

const SERVER_ARGS = ['--host', '127.0.0.1', '--rtc-port', '0', '--rtc-bind', '127.0.0.1', '--announced-ip', '127.0.0.1', '--log-level', 'warn', '--max-participants', '1000'];

/** `main.ts` with `args`; resolves with the URL it prints once it is up. */
async function spawnServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [...(process.env.TREFF_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.TREFF_BENCH_PROFILE] : []), '--import', 'tsx', 'packages/server/src/main.ts', ...SERVER_ARGS, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 20 s')), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /open (\S+)\/ in your browser/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url };
}

async function startTreff(): Promise<Treff> {
  if (nodes > 1) {
    const redis = await startTestRedis();
    const started: { child: ChildProcess; url: string }[] = [];
    for (let i = 0; i < nodes; i++) started.push(await spawnServer(['--redis', redis.url, '--port', String(await freePort())]));
    return {
      urls: started.map((s) => s.url),
      pids: started.map((s) => s.child.pid!),
      labels: started.map((_, i) => `node ${i}`),
      async stop() {
        for (const { child } of started) child.kill('SIGTERM');
        await new Promise((r) => setTimeout(r, 1000));
        await redis.stop();
      },
    };
  }
  // Workers share a database file; one process keeps it in memory.
  const dataDir = workers > 1 ? mkdtempSync(join(tmpdir(), 'treff-bench-')) : ':memory:';
  const { child, url } = await spawnServer(['--port', '0', '--data-dir', dataDir, '--workers', String(workers)]);
  // The workers have printed the URL once all of them are up.
  const pids = processTree(child.pid!);
  return {
    urls: [url],
    pids,
    labels: pids.map((_, i) => (i === 0 ? (pids.length > 1 ? 'front' : 'server') : `worker ${i - 1}`)),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, workers > 1 ? 1500 : 500));
      if (dataDir !== ':memory:') rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The servers' SFU counters (treff_sfu_*_total), summed, by name without that prefix and suffix. */
async function sfuCounters(urls: string[]): Promise<Map<string, number>> {
  const counters = new Map<string, number>();
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const match of text.matchAll(/^treff_sfu_(\w+)_total (\S+)$/gm)) counters.set(match[1]!, (counters.get(match[1]!) ?? 0) + Number(match[2]));
  }
  return counters;
}

/** After its result a bot process closes and exits itself (writing its profile); only a stuck one is killed. */
function awaitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function runSize(n: number): Promise<string> {
  const server = await startTreff();
  const children: ChildProcess[] = [];
  try {
    const tree = server.pids;
    const rssBefore = tree.reduce((s, p) => s + rssMiB(p), 0);
    const perRoom = Math.floor(n / rooms);
    // A new room holds 50 by default; the room's own limit must not be what the bench measures.
    const roomIds: string[] = [];
    for (let r = 0; r < rooms; r++) roomIds.push((await createRoom(server.urls[0]!, { title: `bench ${n} #${r}`, settings: { maxParticipants: Math.max(2, perRoom) } })).roomId);
    const startAt = Date.now() + 1000;
    const procsPerRoom = Math.min(botProcs / rooms, perRoom);
    const ready: Promise<void>[] = [];
    const results: Promise<BotResult>[] = [];
    for (let p = 0; p < procsPerRoom * rooms; p++) {
      const roomId = roomIds[p % rooms]!;
      const q = Math.floor(p / rooms);
      // Interleaved shares would need names across processes; contiguous ones keep the join schedule global.
      const first = Math.floor((q * perRoom) / procsPerRoom);
      const count = Math.floor(((q + 1) * perRoom) / procsPerRoom) - first;
      // Meeting r's first share joins through node r: the meetings run on different nodes, and each has
      // shares joining through the others.
      const url = server.urls[(q + (p % rooms)) % server.urls.length]!;
      const child = spawn(
        process.execPath,
        [...(process.env.TREFF_BENCH_BOTS_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.TREFF_BENCH_BOTS_PROFILE] : []), '--import', 'tsx', 'bench/room-bots.ts',
          // --name=value: no value can be taken for an option, whatever it starts with.
          ...Object.entries({ url, room: roomId, first, count, total: perRoom, tiles: values.tiles, tile: values.tile, 'join-spacing': values['join-spacing'], 'start-at': startAt, duration: values.duration, 'coalesce-ms': values['coalesce-ms'] }).map(([k, v]) => `--${k}=${String(v)}`),
          ...(values.floor ? ['--floor'] : [])],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      children.push(child);
      let onReady = (): void => {};
      let onResult = (_r: BotResult): void => {};
      let onExit = (_e: Error): void => {};
      const died = new Promise<never>((_, reject) => (onExit = reject));
      died.catch(() => {});
      child.once('close', (code) => onExit(new Error(`bot process ${p} exited with ${code} before its result`)));
      ready.push(Promise.race([new Promise<void>((resolve) => (onReady = resolve)), died]));
      results.push(Promise.race([new Promise<BotResult>((resolve) => (onResult = resolve)), died]));
      jsonLines(child, (line) => {
        if (line.phase === 'ready') onReady();
        if (line.phase === 'result') onResult(line as unknown as BotResult);
      });
    }
    await Promise.all(ready);
    const rssJoined = tree.reduce((s, p) => s + rssMiB(p), 0);
    await new Promise((r) => setTimeout(r, settleMs));
    const cpu0 = tree.map(cpuSeconds);
    const counters0 = await sfuCounters(server.urls);
    const t0 = performance.now();
    for (const child of children) child.stdin!.write('go\n');
    const all = await Promise.all(results);
    const seconds = (performance.now() - t0) / 1000;
    const perProcess = tree.map((p, i) => (100 * (cpuSeconds(p) - cpu0[i]!)) / seconds);
    const serverCpu = perProcess.reduce((s, c) => s + c, 0);
    if (tree.length > 1) console.log(`    ${n}: server CPU % by process: ${perProcess.map((c, i) => `${server.labels[i]} ${c.toFixed(1)}`).join(', ')}`);
    const counters = await sfuCounters(server.urls);
    const delta = (name: string): number => (counters.get(name) ?? 0) - (counters0.get(name) ?? 0);
    const forwarded = delta('packets_forwarded') / seconds;

    const joined = all.reduce((s, r) => s + r.bots, 0);
    const packets = all.reduce((s, r) => s + r.packets, 0);
    const lost = all.reduce((s, r) => s + r.lost, 0);
    const loss = packets + lost > 0 ? (100 * lost) / (packets + lost) : 0;
    const latency = summarize(all.flatMap((r) => r.latency));
    const join = summarize(all.flatMap((r) => r.joinMs));
    const firstFrame = summarize(all.flatMap((r) => r.firstFrameMs));
    const botsCpu = all.reduce((s, r) => s + r.cpuMs, 0) / 10 / seconds;
    const layers = [0, 1, 2].map((i) => all.reduce((s, r) => s + (r.layers[i] ?? 0), 0));
    const videoPairs = all.reduce((s, r) => s + r.videoPairs, 0);
    const audioPairs = all.reduce((s, r) => s + r.audioPairs, 0);
    const holds = joined === perRoom * rooms && loss < 1 && latency.p95Ms < 100;
    for (const r of all) for (const f of [...r.failures, ...r.errors]) console.log(`    ${f}`);
    // What the server did in the window besides forwarding: where loss or retransmissions come from.
    const events = [...counters.keys()].filter((k) => !/^(packets_(received|forwarded)|bytes_forwarded)$/.test(k) && delta(k) > 0);
    if (events.length > 0) console.log(`    ${n}: server in the window: ${events.map((k) => `${k} ${delta(k)}`).join(', ')}`);
    const rtpReceived = all.reduce((s, r) => s + r.rtpReceived, 0);
    const botsCpuMs = all.reduce((s, r) => s + r.cpuMs, 0);
    if (rtpReceived > 0) console.log(`    ${n}: bots received ${Math.round(rtpReceived / seconds)} RTP pkt/s at ${((botsCpuMs * 1000) / rtpReceived).toFixed(1)} µs of their CPU each${values.floor ? ' (--floor: counting only)' : ''}`);
    const cells = [
      `${n}`,
      `${joined}`,
      `${join.p50Ms.toFixed(0)} / ${join.p95Ms.toFixed(0)}`,
      `${firstFrame.p50Ms.toFixed(0)} / ${firstFrame.p95Ms.toFixed(0)}`,
      `${Math.round(forwarded)}`,
      serverCpu.toFixed(1),
      botsCpu.toFixed(1),
      `${((rssJoined - rssBefore) * 1024 / n).toFixed(0)}`,
      loss.toFixed(3),
      `${latency.p50Ms.toFixed(1)} / ${latency.p95Ms.toFixed(1)}`,
      `${videoPairs} (${layers.join('/')})`,
      `${audioPairs}`,
      values.floor ? 'not measured' : holds ? 'yes' : 'no',
    ];
    return `| ${cells.join(' | ')} |`;
  } finally {
    await Promise.all(children.map(awaitExit));
    await server.stop();
  }
}

console.log(`room benchmark: every participant publishes 3-layer simulcast + audio, joins at ${1000 / Number(values['join-spacing'])}/s,`);
console.log(`watches ${values.tiles} tiles of ${values.tile} device px; ${botProcs} bot processes; ${values.duration} s measured after ${values.settle} s settling`);
console.log(`${rooms} meeting(s) of N / ${rooms} each; ${nodes > 1 ? `${nodes} nodes sharing one Redis` : `server with ${workers} worker(s)`}\n`);
console.log('| N | joined | join ms p50 / p95 | first frame ms p50 / p95 | fwd pkt/s | server CPU % | bots CPU % | server KiB / participant | loss % | latency ms p50 / p95 | video pairs (l/m/h) | audio pairs | holds |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const n of sizes) console.log(await runSize(n));
process.exit(0);
