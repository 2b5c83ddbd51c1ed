// Load generator: creates rooms through the HTTP API, fills each with publisher and subscriber
// bots, lets media flow for a while and prints loss, latency and time to first packet.
//
//   npm run load -w @treff/load -- --url http://127.0.0.1:8080 --rooms 1 --publishers 3 --subscribers 5 --duration 20

import { parseArgs } from 'node:util';
import { createRoom } from './api.js';
import { formatReport, summarizeBots } from './report.js';
import { joinRoomBots, meshComplete, type RoomLoad } from './scenario.js';
import { sleep, waitUntil } from './wait.js';

const USAGE = `usage: load --url URL [--rooms N] [--publishers N] [--subscribers N] [--duration S]
            [--video-pps N] [--fps N] [--payload BYTES]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      rooms: { type: 'string', default: '1' },
      publishers: { type: 'string', default: '3' },
      subscribers: { type: 'string', default: '5' },
      duration: { type: 'string', default: '20' },
      'video-pps': { type: 'string', default: '100' },
      fps: { type: 'string', default: '30' },
      payload: { type: 'string', default: '1100' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.url) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const num = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${v}`);
    return n;
  };
  const url = values.url;
  const rooms = num('rooms', values.rooms);
  const durationS = num('duration', values.duration);
  const video = { packetsPerSecond: num('video-pps', values['video-pps']), framesPerSecond: num('fps', values.fps), payloadBytes: num('payload', values.payload) };

  const loads: RoomLoad[] = [];
  for (let r = 0; r < rooms; r++) {
    const room = await createRoom(url, `load ${r}`);
    loads.push(
      await joinRoomBots({
        url,
        roomId: room.roomId,
        publishers: num('publishers', values.publishers),
        subscribers: num('subscribers', values.subscribers),
        video,
        namePrefix: `r${r}-`,
      }),
    );
    console.log(`room ${room.roomId}: ${loads[r]!.publishers.length} publishers, ${loads[r]!.subscribers.length} subscribers joined`);
  }
  const bots = loads.flatMap((l) => [...l.publishers, ...l.subscribers]);
  const failed = loads.flatMap((l) => l.failedJoins);
  try {
    await waitUntil(() => loads.every((l) => meshComplete(l)), { timeoutMs: 30_000, what: 'every bot to receive every publisher' });
  } catch (err) {
    console.log(`warning: ${(err as Error).message}`);
  }
  console.log(`media flowing; measuring for ${durationS} s`);
  await sleep(durationS * 1000);
  console.log(formatReport(summarizeBots(bots)));
  if (failed.length) console.log(`failed joins (${failed.length}):\n  ${failed.join('\n  ')}`);
  for (const b of bots) b.leave();
  await sleep(200);
  return failed.length > 0 ? 1 : 0;
}

// node-datachannel keeps the process alive after the PeerConnections close (see Bot.close).
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
