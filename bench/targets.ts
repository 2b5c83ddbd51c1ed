// The servers under test, behind one shape: start the server, fill a room with N publisher and
// K subscriber bots, stop. Both kinds of bots publish the same synthetic VP8 + Opus
// (tools/load/src/synthetic.ts through outbound.ts) and account received packets the same way
// (inbound.ts), so only the server differs.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Bot, createRoom, type BotOptions, type InboundStats, type OutboundStats, type VideoSourceOptions } from '@treff/load';
import { createJanusRoom, destroyJanusRoom, joinJanusRoomBots } from '@treff/load/janus';
import { startJanus, type JanusInstall } from './janus-server.js';
import type { NetNamespace } from './netns.js';

export interface Point {
  publishers: number;
  subscribers: number;
}

/** What the measurement needs from a bot of either server. */
export interface BenchBot {
  outboundStats(): OutboundStats[];
  inboundStats(): InboundStats[];
  latencySamples(): number[];
  leave(): void;
}

export interface BenchLoad {
  publishers: BenchBot[];
  subscribers: BenchBot[];
  failedJoins: string[];
  /** Bots' own errors so far (answering, ICE, signaling), for the report. */
  errors(): string[];
  close(): Promise<void>;
}

export interface RunningTarget {
  name: string;
  /** The process whose CPU time is the server's (user + system, all threads). */
  pid: number;
  join(point: Point, video: Partial<VideoSourceOptions>): Promise<BenchLoad>;
  stop(): Promise<void>;
  /** Synchronous kill for exit handlers (Ctrl-C, errors). */
  kill(): void;
}

export interface Network {
  /** Runs the server inside this namespace; null: on loopback. */
  ns: NetNamespace | null;
  serverAddress: string;
  botAddress: string;
}

const JOIN_CONCURRENCY = 4;

/**
 * What makes Treff's bots send and receive what the Janus bots do:
 * - one VP8 stream at --video-pps (Treff offers camera simulcast; the bots would answer with three
 *   layers sized by their own table, ignoring --video-pps);
 * - no transport-cc feedback from receivers: Treff would then estimate each subscriber's downlink
 *   (start 5, cap 20 Mbit/s) and withhold or pace video beyond it, which Janus's VideoRoom does not
 *   do, so the two would no longer forward the same packets. Without feedback the estimate stays
 *   unlimited and Treff forwards everything, as Janus does.
 */
const SAME_AS_JANUS_BOTS: Pick<BotOptions, 'videoLayers' | 'transportFeedback'> = { videoLayers: 1, transportFeedback: false };

async function inParallel(jobs: (() => Promise<void>)[], failed: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: JOIN_CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        try {
          await job();
        } catch (err) {
          failed.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
}

export async function startTreff(net: Network): Promise<RunningTarget> {
  const script = new URL('./treff-server.ts', import.meta.url).pathname;
  // TREFF_BENCH_PROFILE=<dir>: a V8 CPU profile of the server goes there (open it in Chrome DevTools).
  const profile = process.env.TREFF_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.TREFF_BENCH_PROFILE] : [];
  const argv = [...(net.ns?.exec ?? []), process.execPath, ...profile, '--import', 'tsx', script];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TREFF_BENCH_HOST: net.serverAddress },
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
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return {
    name: 'treff',
    pid: child.pid!,
    kill,
    async join(point, video) {
      const room = await createRoom(url, { title: `bench ${point.publishers}x${point.subscribers}`, settings: { maxParticipants: Math.max(2, point.publishers + point.subscribers) } });
      const publishers: Bot[] = [];
      const subscribers: Bot[] = [];
      const failedJoins: string[] = [];
      const base = { url, roomId: room.roomId, bindAddress: net.botAddress, timeoutMs: 20_000, video, ...SAME_AS_JANUS_BOTS };
      const jobs: (() => Promise<void>)[] = [];
      for (let i = 0; i < point.publishers; i++) jobs.push(async () => void publishers.push(await Bot.join({ ...base, name: `pub${i}` })));
      for (let i = 0; i < point.subscribers; i++) {
        jobs.push(async () => void subscribers.push(await Bot.join({ ...base, name: `sub${i}`, publish: { audio: false, video: false } })));
      }
      await inParallel(jobs, failedJoins);
      const all = [...publishers, ...subscribers];
      return {
        publishers,
        subscribers,
        failedJoins,
        errors: () => all.flatMap((b) => [...b.localErrors, ...b.errors.map((e) => `${e.code}: ${e.message}`)].map((e) => `${b.name}: ${e}`)),
        async close() {
          for (const b of all) b.leave();
        },
      };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          kill();
          resolve();
        }, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function startJanusTarget(install: JanusInstall, net: Network): Promise<RunningTarget> {
  if (!net.ns) throw new Error('Janus needs a network namespace (libnice gathers no loopback candidates)');
  const janus = await startJanus(install, net.ns);
  return {
    name: 'janus',
    pid: janus.pid,
    kill: janus.kill,
    stop: janus.stop,
    async join(point, video) {
      const room = await createJanusRoom(janus.url, { publishers: Math.max(point.publishers, 3) });
      const load = await joinJanusRoomBots({ url: janus.url, room, publishers: point.publishers, subscribers: point.subscribers, bindAddress: net.botAddress, video, joinConcurrency: JOIN_CONCURRENCY });
      const all = [...load.publishers, ...load.subscribers];
      return {
        ...load,
        errors: () => all.flatMap((b) => b.errors().map((e) => `${b.name}: ${e}`)),
        async close() {
          for (const b of all) b.leave();
          await destroyJanusRoom(janus.url, room).catch(() => {});
        },
      };
    },
  };
}
