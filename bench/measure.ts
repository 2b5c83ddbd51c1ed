// One load point against one server: join the bots, wait until media flows to everyone, then
// measure over a fixed window the packets the bots received, the server process's CPU time
// (/proc/<pid>/stat: user + system of all its threads, so the bots' CPU is excluded), loss at the
// receivers (sequence gaps) and one-way latency (send-time probe in every payload).

import { readFileSync, readlinkSync } from 'node:fs';
import { sleep, summarize, waitUntil } from '@treff/load';
import type { BenchBot, BenchLoad, Point, RunningTarget } from './targets.js';

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat fields 14 and 15 (clock ticks). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15 overall)
  return ticks / 100; // USER_HZ is 100 on Linux
}

/**
 * UDP datagrams dropped because a socket's receive buffer was full (RcvbufErrors, /proc/net/snmp)
 * in the network namespace of `pid`: shows whether loss happened at the server's sockets or at the bots'.
 */
export function udpReceiveDrops(pid: number | 'self'): number {
  const lines = readFileSync(`/proc/${pid}/net/snmp`, 'utf8').split('\n').filter((l) => l.startsWith('Udp: '));
  const names = lines[0]?.split(' ') ?? [];
  const values = lines[1]?.split(' ') ?? [];
  return Number(values[names.indexOf('RcvbufErrors')] ?? NaN);
}

function sameNetNamespace(pid: number): boolean {
  return readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync('/proc/self/ns/net');
}

interface Counters {
  sent: number;
  received: number;
  lost: number;
  skipped: number;
}

function counters(load: BenchLoad): Counters {
  const c: Counters = { sent: 0, received: 0, lost: 0, skipped: 0 };
  for (const b of load.publishers) {
    for (const o of b.outboundStats()) {
      c.sent += o.packets;
      c.skipped += o.skipped;
    }
  }
  for (const b of [...load.publishers, ...load.subscribers]) {
    for (const s of b.inboundStats()) {
      c.received += s.packets;
      c.lost += s.lost;
    }
  }
  return c;
}

/**
 * True once every bot receives audio and video from every other publisher, counted as incoming
 * streams (distinct SSRCs) that carry packets, which reads the same for both servers.
 */
function mediaReachesEveryone(load: BenchLoad): boolean {
  const check = (bot: BenchBot, others: number): boolean => {
    const streams = { audio: 0, video: 0 };
    for (const s of bot.inboundStats()) if (s.packets > 0) streams[s.kind]++;
    return streams.audio >= others && streams.video >= others;
  };
  const n = load.publishers.length;
  return load.publishers.every((b) => check(b, n - 1)) && load.subscribers.every((b) => check(b, n));
}

export interface Row {
  server: string;
  point: string;
  videoPps: number;
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
  /** Packets the publishers' pacing skipped because the bots' event loop fell behind. */
  skippedPps: number;
  /** Receive-buffer drops in the window at the server's sockets; null when it shares the bots' namespace. */
  udpDropsServer: number | null;
  /** Receive-buffer drops in the window in the bots' namespace (the server's too on loopback). */
  udpDropsBots: number;
  failedJoins: string[];
  errors: string[];
}

export async function runPoint(target: RunningTarget, point: Point, durationS: number, videoPps: number): Promise<Row> {
  const load = await target.join(point, { packetsPerSecond: videoPps, framesPerSecond: 30, payloadBytes: 1100, keyframeIntervalMs: 3000 });
  const all = [...load.publishers, ...load.subscribers];
  try {
    try {
      await waitUntil(() => mediaReachesEveryone(load), { timeoutMs: 30_000, what: 'media to reach every bot' });
    } catch (err) {
      console.error(`  warning: ${target.name}: ${(err as Error).message}`);
    }
    await sleep(2000); // settle: key frames, renegotiations done
    const separate = !sameNetNamespace(target.pid);
    const c0 = counters(load);
    const drops0 = { server: separate ? udpReceiveDrops(target.pid) : 0, bots: udpReceiveDrops('self') };
    const cpu0 = processCpuSeconds(target.pid);
    const bot0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(durationS * 1000);
    const c1 = counters(load);
    const cpu1 = processCpuSeconds(target.pid);
    const drops1 = { server: separate ? udpReceiveDrops(target.pid) : 0, bots: udpReceiveDrops('self') };
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
    return {
      server: target.name,
      point: `${point.publishers}x${point.subscribers}`,
      videoPps,
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
      skippedPps: (c1.skipped - c0.skipped) / elapsed,
      udpDropsServer: separate ? drops1.server - drops0.server : null,
      udpDropsBots: drops1.bots - drops0.bots,
      failedJoins: load.failedJoins,
      errors: load.errors(),
    };
  } finally {
    await load.close();
    await sleep(1000); // let the server tear the room down before the next point
  }
}
