// Load generator: creates rooms through the HTTP API, fills each with publisher and subscriber
// bots (protocol v2: simulcast publishing, `subscribe` for every publisher's tile), lets media flow
// for a while and prints a report per room: loss, jitter, latency, time to first frame, simulcast
// layers and switches, and the bots' own CPU. Every wait has a deadline; all media is on 127.0.0.1.
//
//   npm run load -w @treff/load -- --url http://127.0.0.1:8080 --rooms 2 --publishers 5 --subscribers 20 \
//     --video-layers 3 --audio 1 --duration 30

import { parseArgs } from 'node:util';
import { createRoom } from './api.js';
import { formatReport, summarizeBots } from './report.js';
import { joinRoomBots, meshComplete, subscribeAll, type RoomLoad } from './scenario.js';
import type { VideoLayers } from './simulcast.js';
import { sleep, waitUntil } from './wait.js';

const USAGE = `usage: load [--url URL] [--rooms N] [--publishers N] [--subscribers N] [--video-layers 1|2|3]
            [--audio 0|1] [--duration S] [--tile WxH] [--join-timeout S] [--join-concurrency N]
            [--settle-timeout S] [--nack] [--video-pps N] [--fps N] [--payload BYTES]

  --url               server to load (default http://127.0.0.1:8080); bots bind 127.0.0.1
  --rooms             rooms to create (default 1)
  --publishers        bots per room sending audio and video (default 3)
  --subscribers       receive-only bots per room (default 5)
  --video-layers      simulcast encodings per publisher when offered; 1 = no simulcast (default 3)
  --audio             whether publishers send audio (default 1)
  --duration          measuring window in seconds, after media reached everyone (default 20)
  --tile              tile size every bot subscribes to each publisher with (default 640x360)
  --join-timeout      deadline of each join in seconds (default 20)
  --join-concurrency  joins in flight at once (default 4)
  --settle-timeout    longest wait for media to reach every bot, seconds (default 30)
  --nack              subscribers NACK lost video, as browsers do
  --video-pps, --fps, --payload   pacing of video without simulcast (default 100 pps, 30 fps, 1100 B)`;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      rooms: { type: 'string', default: '1' },
      publishers: { type: 'string', default: '3' },
      subscribers: { type: 'string', default: '5' },
      'video-layers': { type: 'string', default: '3' },
      audio: { type: 'string', default: '1' },
      duration: { type: 'string', default: '20' },
      tile: { type: 'string', default: '640x360' },
      'join-timeout': { type: 'string', default: '20' },
      'join-concurrency': { type: 'string', default: '4' },
      'settle-timeout': { type: 'string', default: '30' },
      nack: { type: 'boolean', default: false },
      'video-pps': { type: 'string', default: '100' },
      fps: { type: 'string', default: '30' },
      payload: { type: 'string', default: '1100' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${v}\n${USAGE}`);
    return n;
  };
  const url = values.url;
  const rooms = num('rooms', values.rooms);
  const publishers = num('publishers', values.publishers);
  const subscribers = num('subscribers', values.subscribers);
  const durationS = num('duration', values.duration);
  const layers = num('video-layers', values['video-layers']);
  if (layers !== 1 && layers !== 2 && layers !== 3) throw new Error(`--video-layers must be 1, 2 or 3, got ${values['video-layers']}`);
  const audio = num('audio', values.audio) !== 0;
  const tile = /^(\d+)x(\d+)$/.exec(values.tile);
  if (!tile) throw new Error(`--tile must look like 640x360, got ${values.tile}`);
  const [tileWidth, tileHeight] = [Number(tile[1]), Number(tile[2])];
  const video = { packetsPerSecond: num('video-pps', values['video-pps']), framesPerSecond: num('fps', values.fps), payloadBytes: num('payload', values.payload) };

  const loads: RoomLoad[] = [];
  for (let r = 0; r < rooms; r++) {
    const room = await createRoom(url, { title: `load ${r}`, settings: { maxParticipants: Math.max(2, publishers + subscribers) } });
    const load = await joinRoomBots({
      url,
      roomId: room.roomId,
      publishers,
      subscribers,
      video,
      videoLayers: layers as VideoLayers,
      audio,
      namePrefix: `r${r}-`,
      timeoutMs: num('join-timeout', values['join-timeout']) * 1000,
      joinConcurrency: num('join-concurrency', values['join-concurrency']),
      bot: { nack: values.nack },
    });
    loads.push(load);
    subscribeAll(load, tileWidth, tileHeight);
    console.log(`room ${r}: ${load.publishers.length} publishers, ${load.subscribers.length} subscribers joined in ${(load.joinMs / 1000).toFixed(1)} s${load.failedJoins.length ? `, ${load.failedJoins.length} failed` : ''}`);
  }
  const bots = loads.flatMap((l) => [...l.publishers, ...l.subscribers]);
  const kinds = audio ? (['audio', 'video'] as const) : (['video'] as const);
  try {
    await waitUntil(() => loads.every((l) => meshComplete(l, { kinds })), {
      timeoutMs: num('settle-timeout', values['settle-timeout']) * 1000,
      what: 'media from every publisher to reach every bot',
    });
  } catch (err) {
    console.log(`warning: ${(err as Error).message}`);
  }
  console.log(`media flowing; measuring for ${durationS} s`);
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  await sleep(durationS * 1000);
  const elapsed = (performance.now() - t0) / 1000;
  const botCpuPercent = elapsed > 0 ? (100 * (cpuSeconds() - cpu0)) / elapsed : 0;

  for (const [r, load] of loads.entries()) {
    console.log(`\n== room ${r} (${load.publishers.length} publishers × ${load.subscribers.length} subscribers, ${layers} video layer${layers > 1 ? 's' : ''}, audio ${audio ? 'on' : 'off'}) ==`);
    console.log(formatReport(summarizeBots([...load.publishers, ...load.subscribers])));
    if (load.failedJoins.length) console.log(`failed joins (${load.failedJoins.length}):\n  ${load.failedJoins.slice(0, 20).join('\n  ')}`);
  }
  console.log(`\nbots' own CPU (this process, ${bots.length} bots): ${botCpuPercent.toFixed(0)} % of one core over the ${elapsed.toFixed(1)} s window`);
  for (const b of bots) b.leave();
  await sleep(200);
  return loads.some((l) => l.failedJoins.length > 0) ? 1 : 0;
}

// node-datachannel keeps the process alive after the PeerConnections close (see Bot.close).
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
