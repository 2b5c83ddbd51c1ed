// Last-N through the real server (lastN 1): three publishers with simulcast cameras (more cameras than
// N), one of them talking, and a subscriber that shows all three in 1280×720 tiles. Only the dominant
// speaker's video reaches the top layer (720p); the others stay on the middle layer although their
// tiles would want the top one. When another publisher becomes the dominant speaker, the top layer
// moves with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { nowMs, sleep, waitUntil, type Bot } from '@treff/load';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

const SILENT = 127;
const TALKING = 30;
const TOP = 2;
const MIDDLE = 1;

test('with last-N 1, only the dominant speaker’s camera gets the top layer', async (t) => {
  server = await startTestServer({ lastN: 1 });
  const roomId = await newRoom(server);
  const publishers: Bot[] = [];
  for (const [i, name] of ['ana', 'ben', 'cem'].entries()) {
    const bot = await joinBot(server, roomId, name, { audio: { level: i === 0 ? TALKING : SILENT, voiceActivity: i === 0 } });
    bot.subscribe([]); // publishers watch nobody: only the subscriber's downlink is under test
    publishers.push(bot);
    bots.push(bot);
  }
  const [ana, ben] = publishers as [Bot, Bot, Bot];
  const viewer = await joinBot(server, roomId, 'viewer', { publish: { audio: false, video: false } });
  bots.push(viewer);
  viewer.subscribe(publishers.map((p) => ({ participantId: p.participantId, width: 1280, height: 720 })));

  const layers = () => Object.fromEntries(publishers.map((p) => [p.name, viewer.sourceStatsOf(p.participantId, 'video')?.layer ?? -1]));
  const heights = () => Object.fromEntries(publishers.map((p) => [p.name, viewer.sourceStatsOf(p.participantId, 'video')?.height ?? 0]));
  /** Whether `speaker` is on the top layer and everyone else on the middle one (from the probes and keyframe sizes). */
  const settledOn = (speaker: Bot) => {
    const l = layers();
    const h = heights();
    return publishers.every((p) => (p === speaker ? l[p.name] === TOP && h[p.name] === 720 : l[p.name] === MIDDLE && h[p.name] === 360));
  };
  /** Samples the layers for `ms`; fails if anyone but `speaker` reaches the top layer or `speaker` leaves it. */
  const holds = async (speaker: Bot, ms: number) => {
    const until = nowMs() + ms;
    while (nowMs() < until) {
      const l = layers();
      for (const p of publishers) {
        if (p === speaker) assert.equal(l[p.name], TOP, `${p.name} (dominant) left the top layer: ${JSON.stringify(l)}`);
        else assert.ok(l[p.name]! <= MIDDLE, `${p.name} (not dominant) is above the middle layer: ${JSON.stringify(l)}`);
      }
      await sleep(100);
    }
  };

  await t.test('the one talking gets 720p, the two silent ones 360p', async () => {
    const t0 = nowMs();
    await waitUntil(() => settledOn(ana), { timeoutMs: 30_000, intervalMs: 50, what: 'ana on the top layer, ben and cem on the middle one', describe: () => JSON.stringify({ layers: layers(), heights: heights() }) });
    const settled = nowMs() - t0;
    await holds(ana, 2000);
    const received = publishers.map((p) => {
      const s = viewer.sourceStatsOf(p.participantId, 'video')!;
      return `${p.name} ${(s.bitrateBps / 1000).toFixed(0)} kbps, ${s.lost} lost`;
    });
    console.log(`# last-N 1, ana talking: settled after ${settled.toFixed(0)} ms on ${JSON.stringify(layers())}; ${received.join('; ')}`);
  });

  await t.test('when ben takes over as the dominant speaker, the top layer moves to him', async () => {
    const t0 = nowMs();
    ana.setAudioLevel(SILENT);
    ben.setAudioLevel(TALKING);
    await waitUntil(() => settledOn(ben), { timeoutMs: 15_000, intervalMs: 50, what: 'ben on the top layer, ana and cem on the middle one', describe: () => JSON.stringify({ layers: layers(), heights: heights() }) });
    const moved = nowMs() - t0;
    await holds(ben, 2000);
    const switches = publishers.map((p) => `${p.name} ${viewer.sourceStatsOf(p.participantId, 'video')!.layerSwitches}`);
    console.log(`# ben started talking, ana stopped: top layer moved after ${moved.toFixed(0)} ms (dominant-speaker hysteresis included); layer switches ${switches.join(', ')}`);
    for (const p of publishers) assert.equal(viewer.sourceStatsOf(p.participantId, 'video')!.lost, 0, `${p.name}: video lost`);
    for (const b of bots) {
      assert.deepEqual(b.errors, [], `${b.name}: server errors`);
      assert.deepEqual(b.localErrors, [], `${b.name}: bot errors`);
    }
  });
});
