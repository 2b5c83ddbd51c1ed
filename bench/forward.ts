// Forwarding benchmark (not a test): N publisher bots × K subscriber bots in one room through a
// Treff server running in a child process, all on 127.0.0.1. For each (N, K) point it measures,
// over a fixed window: packets/s forwarded (received by the bots), the server's CPU time per
// forwarded packet (from /proc/<pid>/stat, so the bots' own CPU is excluded), and loss.
//
//   npm run bench:forward -- [--points 1x10,1x30,4x10] [--duration 10] [--video-pps 200]
//
// The bots share the machine with the server; the bot process's CPU is printed too, so a point
// where the load generator itself saturated is recognisable.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createRoom, joinRoomBots, meshComplete, sleep, summarize, waitUntil, type Bot, type RoomLoad } from '@treff/load';

interface Point {
  publishers: number;
  subscribers: number;
}

/** A forwarding server under test. Janus (VideoRoom) joins here as a second target in its own issue. */
interface BenchTarget {
  name: string;
  start(): Promise<RunningTarget>;
}

interface RunningTarget {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const treffTarget: BenchTarget = {
  name: 'treff',
  async start() {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./treff-server.ts', import.meta.url).pathname], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const msg = JSON.parse(line) as { url?: string };
          if (msg.url) {
            clearTimeout(timer);
            resolve(msg.url);
          }
        } catch {
          // log lines
        }
      });
    });
    return {
      url,
      pid: child.pid!,
      stop: () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    };
  },
};
// const janusTarget: BenchTarget = ... (large-rooms issue: Janus 1.1.2 VideoRoom in a network
// namespace, see shared/guides/sfu-transport.md; the bots then need a Janus signaling adapter).

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat fields 14 and 15 (clock ticks). */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 overall)
  return ticks / 100; // USER_HZ is 100 on Linux
}

interface Counters {
  sent: number;
  received: number;
  lost: number;
}

function counters(load: RoomLoad): Counters {
  const all: Bot[] = [...load.publishers, ...load.subscribers];
  let sent = 0;
  let received = 0;
  let lost = 0;
  for (const b of load.publishers) for (const o of b.outboundStats()) sent += o.packets;
  for (const b of all) {
    for (const s of b.inboundStats()) {
      received += s.packets;
      lost += s.lost;
    }
  }
  return { sent, received, lost };
}

interface Row {
  point: string;
  bots: number;
  joined: number;
  sentPps: number;
  forwardedPps: number;
  expectedPps: number;
  serverCpuPercent: number;
  usPerPacket: number;
  lossPercent: number;
  deliveredPercent: number;
  latencyP50: number;
  latencyP95: number;
  botCpuPercent: number;
}

async function runPoint(target: RunningTarget, point: Point, durationS: number, videoPps: number): Promise<Row> {
  const room = await createRoom(target.url, `bench ${point.publishers}x${point.subscribers}`);
  const load = await joinRoomBots({
    url: target.url,
    roomId: room.roomId,
    publishers: point.publishers,
    subscribers: point.subscribers,
    video: { packetsPerSecond: videoPps, framesPerSecond: 30, payloadBytes: 1100, keyframeIntervalMs: 3000 },
  });
  const all = [...load.publishers, ...load.subscribers];
  try {
    await waitUntil(() => meshComplete(load), { timeoutMs: 30_000, what: 'media to reach every bot' });
  } catch (err) {
    console.error(`  warning: ${(err as Error).message}`);
  }
  await sleep(2000); // settle: key frames, renegotiations done
  const c0 = counters(load);
  const cpu0 = processCpuSeconds(target.pid);
  const bot0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(durationS * 1000);
  const c1 = counters(load);
  const cpu1 = processCpuSeconds(target.pid);
  const bot1 = process.cpuUsage(bot0);
  const elapsed = (performance.now() - t0) / 1000;

  const sent = c1.sent - c0.sent;
  const received = c1.received - c0.received;
  const lost = c1.lost - c0.lost;
  // Each publisher's packets go to every other bot in the room.
  const fanout = load.publishers.length - 1 + load.subscribers.length;
  const expected = sent * fanout;
  const serverCpu = cpu1 - cpu0;
  const latency = summarize(all.flatMap((b) => b.latencySamples()));
  for (const b of all) b.leave();
  await sleep(500);
  return {
    point: `${point.publishers}x${point.subscribers}`,
    bots: point.publishers + point.subscribers,
    joined: all.length,
    sentPps: sent / elapsed,
    forwardedPps: received / elapsed,
    expectedPps: expected / elapsed,
    serverCpuPercent: (100 * serverCpu) / elapsed,
    usPerPacket: received > 0 ? (serverCpu * 1e6) / received : NaN,
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    deliveredPercent: expected > 0 ? (100 * received) / expected : 0,
    latencyP50: latency.p50Ms,
    latencyP95: latency.p95Ms,
    botCpuPercent: ((bot1.user + bot1.system) / 1e6 / elapsed) * 100,
  };
}

function printTable(target: string, rows: readonly Row[]): void {
  const header = ['N×K', 'bots', 'sent pps', 'fwd pps', 'expected', 'srv CPU %', 'µs/fwd pkt', 'loss %', 'delivered %', 'lat p50 ms', 'lat p95 ms', 'bots CPU %'];
  const cells = rows.map((r) => [
    r.point,
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
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padStart(widths[i]!)).join(' | ')} |`;
  console.log(`\n${target}:`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      points: { type: 'string', default: '1x10,1x30,4x10' },
      duration: { type: 'string', default: '10' },
      'video-pps': { type: 'string', default: '200' },
      // Works around the server's DTLS-before-answer race (see tools/load/README.md) so that a
      // failed join does not distort a point; 0 turns it off.
    },
  });
  const points: Point[] = values.points.split(',').map((p) => {
    const [n, k] = p.split('x').map(Number);
    if (!Number.isInteger(n) || !Number.isInteger(k) || n! < 1 || k! < 0) throw new Error(`bad point ${p} (want NxK)`);
    return { publishers: n!, subscribers: k! };
  });
  const durationS = Number(values.duration);
  const videoPps = Number(values['video-pps']);
  const command = `npm run bench:forward -- --points ${values.points} --duration ${durationS} --video-pps ${videoPps}`;
  console.log(`command: ${command}`);
  console.log(`machine: ${(await import('node:os')).cpus().length} cores, node ${process.version}; each publisher sends ${videoPps} video + 50 audio packets/s (1100-byte VP8-shaped payloads)`);

  for (const target of [treffTarget]) {
    const running = await target.start();
    const rows: Row[] = [];
    try {
      for (const p of points) {
        console.log(`${target.name} ${p.publishers}x${p.subscribers}: joining, then measuring ${durationS} s ...`);
        rows.push(await runPoint(running, p, durationS, videoPps));
      }
    } finally {
      await running.stop();
    }
    printTable(target.name, rows);
  }
  console.log(`\nfwd pps: packets received by all bots per second; µs/fwd pkt: server CPU time (user+sys, whole process) / forwarded packets;`);
  console.log('loss %: sequence gaps at the receivers; delivered %: received / (sent × receivers per publisher).');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
