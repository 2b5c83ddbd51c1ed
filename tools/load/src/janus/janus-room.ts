// A VideoRoom full of Janus bots, shaped like the Treff scenario (scenario.ts): P publishers that
// also receive each other, S receive-only subscribers. Publishers join first; once every feed
// exists, each bot subscribes to all feeds but its own on one subscriber PeerConnection.

import type { VideoSourceOptions } from '../synthetic.js';
import { JanusSession } from './janus-api.js';
import { JanusBot, VIDEOROOM_PLUGIN } from './janus-bot.js';

export interface JanusRoomOptions {
  /** Publishers the room must admit (VideoRoom's default is 3). */
  publishers: number;
  /** Cap on each publisher's video bitrate, sent as REMB (bits/s); high enough never to bind. */
  bitrate?: number;
}

/** Creates a temporary VideoRoom for VP8 + Opus, no recording; resolves with its numeric id. */
export async function createJanusRoom(url: string, o: JanusRoomOptions): Promise<number> {
  const session = await JanusSession.create(url);
  try {
    const handle = await session.attach(VIDEOROOM_PLUGIN);
    const room = 1 + Math.floor(Math.random() * 2 ** 31);
    await handle.message({
      request: 'create',
      room,
      permanent: false,
      is_private: true,
      publishers: o.publishers,
      bitrate: o.bitrate ?? 100_000_000,
      fir_freq: 10,
      audiocodec: 'opus',
      videocodec: 'vp8',
      record: false,
      notify_joining: false,
    });
    return room;
  } finally {
    await session.destroy();
  }
}

export async function destroyJanusRoom(url: string, room: number): Promise<void> {
  const session = await JanusSession.create(url);
  try {
    const handle = await session.attach(VIDEOROOM_PLUGIN);
    await handle.message({ request: 'destroy', room });
  } finally {
    await session.destroy();
  }
}

export interface JanusRoomLoadOptions {
  url: string;
  room: number;
  publishers: number;
  subscribers: number;
  bindAddress: string;
  video?: Partial<VideoSourceOptions>;
  /** Bots joining at the same time (as in the Treff scenario). */
  joinConcurrency?: number;
  timeoutMs?: number;
}

export interface JanusRoomLoad {
  publishers: JanusBot[];
  subscribers: JanusBot[];
  failedJoins: string[];
}

async function inParallel(jobs: (() => Promise<void>)[], concurrency: number, failed: string[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
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

export async function joinJanusRoomBots(o: JanusRoomLoadOptions): Promise<JanusRoomLoad> {
  const result: JanusRoomLoad = { publishers: [], subscribers: [], failedJoins: [] };
  const base = { url: o.url, room: o.room, bindAddress: o.bindAddress, timeoutMs: o.timeoutMs ?? 20_000, ...(o.video ? { video: o.video } : {}) };
  const concurrency = o.joinConcurrency ?? 4;
  const publishJobs = Array.from({ length: o.publishers }, (_, i) => async () => {
    const bot = await JanusBot.connect({ ...base, name: `pub${i}` });
    result.publishers.push(bot);
    await bot.publish();
  });
  await inParallel(publishJobs, concurrency, result.failedJoins);
  const feeds = result.publishers.filter((b) => b.feedId >= 0).map((b) => b.feedId);
  const subscribeJobs: (() => Promise<void>)[] = result.publishers.map((bot) => () => bot.subscribe(feeds.filter((f) => f !== bot.feedId)));
  for (let i = 0; i < o.subscribers; i++) {
    subscribeJobs.push(async () => {
      const bot = await JanusBot.connect({ ...base, name: `sub${i}` });
      result.subscribers.push(bot);
      await bot.subscribe(feeds);
    });
  }
  await inParallel(subscribeJobs, concurrency, result.failedJoins);
  return result;
}
