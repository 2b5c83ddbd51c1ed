// A screen share takes the first share of a subscriber's downlink. Two cameras (three simulcast layers:
// 150 kbps, 500 kbps, 1.5 Mbps) shown in 1280×720 tiles and a screen share (one ~440 kbps encoding) go to a
// subscriber behind an 800 kbps link (UDP relay, 300 ms drop-tail queue). Once the estimate settles, the
// screen arrives whole, at its full rate and almost without loss, while the cameras get only what is left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { nowMs, sleep, waitUntil, type Bot } from '@treff/load';
import { closeWhenDone, joinBot, newRoom, startTestServer, TEST_VIDEO } from './helpers.js';
import { SLOW_LINK_BPS, startSlowLinkRelay, subscriberThrough } from './slow-link.js';
import type { UdpLossRelay } from './udp-loss-relay.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
const relays: UdpLossRelay[] = [];
closeWhenDone(() => server, bots, relays);

const MEASURE_MS = 8000;
const SCREEN_PPS = TEST_VIDEO.packetsPerSecond;

test('behind an 800 kbps link the screen share arrives whole and the cameras get what is left', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const cameras: Bot[] = [];
  for (const name of ['ada', 'bo']) {
    const bot = await joinBot(server, roomId, name, { publish: { audio: false, video: true } });
    bot.subscribe([]);
    cameras.push(bot);
    bots.push(bot);
  }
  const sharer = await joinBot(server, roomId, 'sam', { publish: { audio: false, video: false } });
  sharer.subscribe([]);
  bots.push(sharer);
  const relay = await startSlowLinkRelay();
  relays.push(relay);
  const slow = await joinBot(server, roomId, 'slow', subscriberThrough(relay));
  bots.push(slow);
  slow.subscribe(cameras.map((p) => ({ participantId: p.participantId, width: 1280, height: 720 })));
  await sharer.startScreenShare();

  const screen = () => slow.screenStatsOf(sharer.participantId, 'video');
  const cameraStats = () => cameras.map((p) => slow.sourceStatsOf(p.participantId, 'video'));
  const describe = () =>
    `screen ${JSON.stringify(screen() && { packets: screen()!.packets, lost: screen()!.lost, bps: screen()!.bitrateBps })}, ` +
    `cameras ${JSON.stringify(cameraStats().map((s) => s && { layer: s.layer, bps: s.bitrateBps }))}, drops ${relay.bottleneck!.stats.dropped}`;

  // Settled: the screen flows and the link dropped nothing for 3 s.
  let dropsAt = { count: -1, at: nowMs() };
  await waitUntil(
    () => {
      const dropped = relay.bottleneck!.stats.dropped;
      if (dropped !== dropsAt.count) dropsAt = { count: dropped, at: nowMs() };
      return nowMs() - dropsAt.at > 3000 && (screen()?.bitrateBps ?? 0) > 0;
    },
    { timeoutMs: 45_000, intervalMs: 100, what: 'the slow subscriber settled with the screen flowing', describe },
  );

  const before = { packets: screen()!.packets, lost: screen()!.lost };
  const start = nowMs();
  await sleep(MEASURE_MS);
  const seconds = (nowMs() - start) / 1000;
  const packets = screen()!.packets - before.packets;
  const lost = screen()!.lost - before.lost;
  const cameraBps = cameraStats().reduce((n, s) => n + (s?.bitrateBps ?? 0), 0);
  console.log(`# over ${seconds.toFixed(1)} s: ${describe()}; screen ${packets} packets, ${lost} lost`);

  assert.ok(packets >= 0.9 * SCREEN_PPS * seconds, `the screen reached the slow subscriber at ${(packets / seconds).toFixed(0)} of ${SCREEN_PPS} packets/s`);
  assert.ok(lost <= 0.05 * (packets + lost), `the screen lost ${lost} of ${packets + lost} packets`);
  // The cameras together get less than the 1.5 Mbit/s their tiles ask for each: what the screen left.
  const layers = cameraStats().map((s) => s?.layer ?? -1);
  assert.ok(layers.every((l) => l < 2), `the cameras kept layers ${layers.join('/')} behind ${SLOW_LINK_BPS / 1000} kbps`);
  assert.ok(cameraBps < SLOW_LINK_BPS - (screen()?.bitrateBps ?? 0) * 0.5, `the cameras take ${(cameraBps / 1000).toFixed(0)} kbps`);
});
