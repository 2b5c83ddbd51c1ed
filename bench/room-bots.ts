// One process of the room benchmark's bots (bench/room.ts starts several, so the bots use more than
// one core). It joins its share of the room's participants on a shared schedule, subscribes each to a
// page of tiles, then waits for the parent's "go" on stdin, measures for --duration seconds and prints
// one JSON line with what its bots saw. Progress lines are JSON too: {"phase": ...}.

import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Bot, coalesceWakeups, nowMs, sleep, waitUntil, type SourceStats } from '@treff/load';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    room: { type: 'string' },
    first: { type: 'string' },
    count: { type: 'string' },
    total: { type: 'string' },
    tiles: { type: 'string', default: '25' },
    tile: { type: 'string', default: '384x216' },
    'join-spacing': { type: 'string', default: '100' },
    'start-at': { type: 'string' },
    duration: { type: 'string', default: '10' },
    'coalesce-ms': { type: 'string', default: '5' },
    floor: { type: 'boolean', default: false },
  },
});
const url = values.url!;
const roomId = values.room!;
const first = Number(values.first);
const count = Number(values.count);
const total = Number(values.total);
const tiles = Number(values.tiles);
const [tileWidth, tileHeight] = values.tile!.split('x').map(Number) as [number, number];
const joinSpacingMs = Number(values['join-spacing']);
const startAt = Number(values['start-at']); // Date.now() at which participant 0 joins
const durationMs = Number(values.duration) * 1000;
const SPEAKERS = 2;
// Dozens of bots share this process: batch its wake-ups (see coalesce.ts), or the walk over every
// track's callback handle per received packet costs more than the bots' own work.
coalesceWakeups(Number(values['coalesce-ms']));

const emit = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const bots: Bot[] = [];
const joinMs: number[] = [];
const joinStarted = new Map<Bot, number>();
const failures: string[] = [];

// Participant i joins at startAt + i × spacing: 100 participants within 10 s by default, across processes.
await Promise.all(
  Array.from({ length: count }, async (_, k) => {
    const index = first + k;
    await sleep(Math.max(0, startAt + index * joinSpacingMs - Date.now()));
    const started = nowMs();
    try {
      // As in a real meeting, a few people talk and the rest are quiet (RFC 6464 level 127 is silence).
      const audio = { level: index < SPEAKERS ? 30 : 127, voiceActivity: index < SPEAKERS };
      const bot = await Bot.join({ url, roomId, name: `p${index}`, timeoutMs: 30_000, audio, countOnly: values.floor });
      joinMs.push(nowMs() - started);
      joinStarted.set(bot, started);
      bots.push(bot);
    } catch (err) {
      failures.push(`p${index}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }),
);
emit({ phase: 'joined', bots: bots.length, failures });

// Everyone is here when each bot knows the others (bounded: a failed join elsewhere must not hang us).
await waitUntil(() => bots.every((b) => b.participants.size >= total - 1), { timeoutMs: 30_000, what: 'everyone to join' }).catch(() => {});
// Each shows a page of `tiles` others: the ones after it in join order, so every camera is watched equally.
for (const bot of bots) {
  const byName = new Map([...bot.participants.values()].map((p) => [p.name, p.id]));
  const self = Number(bot.name.slice(1));
  const page = [];
  for (let j = 1; j <= total && page.length < tiles; j++) {
    const id = byName.get(`p${(self + j) % total}`);
    if (id !== undefined) page.push({ participantId: id, width: tileWidth, height: tileHeight });
  }
  bot.subscribe(page);
}
emit({ phase: 'ready' });

// Wait for the parent's go, so that every process measures the same window as the server's CPU.
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => input.once('line', () => resolve()));

const snapshot = (): Map<string, SourceStats> => {
  const all = new Map<string, SourceStats>();
  for (const bot of bots) for (const s of bot.sourceStats()) all.set(`${bot.name}/${s.participantId}/${s.kind}`, { ...s });
  return all;
};
// Latency is the window's own (not the joins'), and an empty reservoir makes the first snapshot cheap.
for (const bot of bots) bot.restartLatency();
const before = snapshot();
const rtpPackets = (): number => bots.reduce((sum, b) => sum + b.rtpPacketsReceived, 0);
const rtpBefore = rtpPackets();
const cpuBefore = process.cpuUsage();
await sleep(durationMs);
const cpu = process.cpuUsage(cpuBefore);
const rtpReceived = rtpPackets() - rtpBefore;
const after = snapshot();

let packets = 0;
let lost = 0;
const layers: number[] = [0, 0, 0];
let videoPairs = 0;
let audioPairs = 0;
for (const [key, s] of after) {
  const b = before.get(key);
  packets += s.packets - (b?.packets ?? 0);
  lost += Math.max(0, s.lost - (b?.lost ?? 0));
  if (s.kind === 'video' && s.packets > (b?.packets ?? 0)) {
    videoPairs++;
    if (s.layer >= 0) layers[s.layer] = (layers[s.layer] ?? 0) + 1;
  }
  if (s.kind === 'audio' && s.packets > (b?.packets ?? 0)) audioPairs++;
}
const latency = bots.flatMap((b) => b.latencySamples());
const firstFrameMs = bots.flatMap((b) => {
  const started = joinStarted.get(b) ?? 0;
  const frames = b.sourceStats('video').filter((s) => s.firstFrameAt >= 0);
  return frames.length === 0 ? [] : [Math.min(...frames.map((s) => s.firstFrameAt)) - started];
});
emit({
  phase: 'result',
  bots: bots.length,
  failures,
  joinMs,
  firstFrameMs,
  packets,
  rtpReceived,
  lost,
  latency: latency.length > 2000 ? latency.filter((_, i) => i % Math.ceil(latency.length / 2000) === 0) : latency,
  layers,
  videoPairs,
  audioPairs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  errors: bots.flatMap((b) => [...b.errors.map((e) => e.message), ...b.localErrors]).slice(0, 5),
});
for (const bot of bots) bot.close();
process.exit(0);
