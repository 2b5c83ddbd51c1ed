// A room full of bots: P publishers (audio + video, simulcast when offered) and S receive-only
// subscribers, as the load CLI and the forwarding benchmark use them. Joins run with bounded
// concurrency and each has a deadline, so filling a room takes bounded time.

import type { MediaKind, VideoSubscription } from '@treff/protocol';
import { Bot, type BotOptions } from './bot.js';
import type { VideoLayers } from './simulcast.js';
import type { VideoSourceOptions } from './synthetic.js';

export interface RoomLoadOptions {
  url: string;
  roomId: string;
  publishers: number;
  subscribers: number;
  video?: Partial<VideoSourceOptions>;
  /** Simulcast encodings publishers send (default 3; 1 = no simulcast). */
  videoLayers?: VideoLayers;
  /** Whether publishers also send audio (default true). */
  audio?: boolean;
  /** Bots joining at the same time; joins are light, but a 2-core machine likes a bound. */
  joinConcurrency?: number;
  namePrefix?: string;
  /** Deadline of each join (ms). */
  timeoutMs?: number;
  /** Everything else a bot takes (NACK, candidate rewriting, transport feedback). */
  bot?: Partial<Omit<BotOptions, 'url' | 'roomId' | 'name' | 'publish' | 'video' | 'videoLayers'>>;
}

export interface RoomLoad {
  roomId: string;
  publishers: Bot[];
  subscribers: Bot[];
  /** Joins that failed (the error text), so that a run reports them instead of aborting. */
  failedJoins: string[];
  /** From the first join started to the last one finished (ms). */
  joinMs: number;
}

export async function joinRoomBots(o: RoomLoadOptions): Promise<RoomLoad> {
  const started = performance.now();
  const result: RoomLoad = { roomId: o.roomId, publishers: [], subscribers: [], failedJoins: [], joinMs: 0 };
  const base: Omit<BotOptions, 'name'> = {
    ...o.bot,
    url: o.url,
    roomId: o.roomId,
    timeoutMs: o.timeoutMs ?? 20_000,
    ...(o.video ? { video: o.video } : {}),
    ...(o.videoLayers ? { videoLayers: o.videoLayers } : {}),
  };
  const prefix = o.namePrefix ?? '';
  const jobs: (() => Promise<void>)[] = [];
  for (let i = 0; i < o.publishers; i++) {
    jobs.push(async () => {
      result.publishers.push(await Bot.join({ ...base, name: `${prefix}pub${i}`, publish: { audio: o.audio ?? true, video: true } }));
    });
  }
  for (let i = 0; i < o.subscribers; i++) {
    jobs.push(async () => {
      result.subscribers.push(await Bot.join({ ...base, name: `${prefix}sub${i}`, publish: { audio: false, video: false } }));
    });
  }
  const concurrency = Math.max(1, o.joinConcurrency ?? 4);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        try {
          await job();
        } catch (err) {
          result.failedJoins.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
  result.joinMs = performance.now() - started;
  return result;
}

/** Every bot of the room subscribes to every publisher's video (but its own) in tiles of `width`×`height`. */
export function subscribeAll(load: RoomLoad, width: number, height: number): void {
  for (const bot of [...load.publishers, ...load.subscribers]) {
    const video: VideoSubscription[] = load.publishers.filter((p) => p !== bot).map((p) => ({ participantId: p.participantId, width, height }));
    bot.subscribe(video.slice(0, 100));
  }
}

export interface MeshOptions {
  kinds?: readonly MediaKind[];
  /**
   * Audio slots a client has (the server's audio top-N, 3 by default): a bot hears only that many
   * publishers at once, so audio counts as complete when it receives min(audioSlots, others) of them.
   */
  audioSlots?: number;
}

/**
 * True once every bot receives video from every other publisher and audio from as many publishers
 * as it has audio slots for. The second argument may still be the list of kinds (older callers).
 */
export function meshComplete(load: RoomLoad, options: MeshOptions | readonly MediaKind[] = {}): boolean {
  const o: MeshOptions = Array.isArray(options) ? { kinds: options as readonly MediaKind[] } : (options as MeshOptions);
  const kinds = o.kinds ?? ['audio', 'video'];
  const audioSlots = o.audioSlots ?? 3;
  const all = [...load.publishers, ...load.subscribers];
  for (const r of all) {
    const others = load.publishers.filter((p) => p !== r);
    if (kinds.includes('video') && others.some((p) => r.packetsFrom(p.participantId, 'video') === 0)) return false;
    if (kinds.includes('audio')) {
      const heard = others.filter((p) => r.packetsFrom(p.participantId, 'audio') > 0).length;
      if (heard < Math.min(audioSlots, others.length)) return false;
    }
  }
  return true;
}
