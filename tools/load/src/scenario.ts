// A room full of bots: P publishers (audio + video) and S receive-only subscribers, as the load
// CLI and the forwarding benchmark use them.

import type { MediaKind } from '@treff/protocol';
import { Bot, type BotOptions } from './bot.js';
import type { VideoSourceOptions } from './synthetic.js';

export interface RoomLoadOptions {
  url: string;
  roomId: string;
  publishers: number;
  subscribers: number;
  video?: Partial<VideoSourceOptions>;
  /** Bots joining at the same time; joins are light, but a 2-core machine likes a bound. */
  joinConcurrency?: number;
  namePrefix?: string;
  timeoutMs?: number;
}

export interface RoomLoad {
  publishers: Bot[];
  subscribers: Bot[];
  /** Joins that failed (the error text), so that a run reports them instead of aborting. */
  failedJoins: string[];
}

export async function joinRoomBots(o: RoomLoadOptions): Promise<RoomLoad> {
  const result: RoomLoad = { publishers: [], subscribers: [], failedJoins: [] };
  const base: Omit<BotOptions, 'name'> = {
    url: o.url,
    roomId: o.roomId,
    timeoutMs: o.timeoutMs ?? 20_000,
    ...(o.video ? { video: o.video } : {}),
  };
  const prefix = o.namePrefix ?? '';
  const jobs: (() => Promise<void>)[] = [];
  for (let i = 0; i < o.publishers; i++) {
    jobs.push(async () => {
      result.publishers.push(await Bot.join({ ...base, name: `${prefix}pub${i}` }));
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
  return result;
}

/** True once every bot has received at least one packet of each kind from every publisher. */
export function meshComplete(load: RoomLoad, kinds: readonly MediaKind[] = ['audio', 'video']): boolean {
  const all = [...load.publishers, ...load.subscribers];
  for (const r of all) {
    for (const p of load.publishers) {
      if (p === r) continue;
      for (const k of kinds) if (r.packetsFrom(p.participantId, k) === 0) return false;
    }
  }
  return true;
}
