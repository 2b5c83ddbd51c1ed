// Real loss on the way to a subscriber, repaired by NACKs (RFC 4585 §6.2.1) from the server's
// packet cache. Two subscribers watch the same publisher through their own UDP relay, each dropping
// 5% of the server→subscriber RTP with the same seed: one NACKs what goes missing, the other does
// not. Comparing the two in the same run shows that the repairs come from the NACK mechanism and
// not from luck or from the relay losing less than intended.
//
// Why real loss and not a NACK for a packet the bot already has (as nack.test.ts does): libsrtp's
// replay protection (RFC 3711 §3.3.2) silently drops a second copy of an SRTP index the receiver has
// seen, so only the retransmission of a packet that was really lost can be observed arriving.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, waitUntil, type Bot, type InboundStats } from '@treff/load';
import { closeWhenDone, joinBot, metric, newRoom, startTestServer } from './helpers.js';
import { subscriberThrough } from './slow-link.js';
import { UdpLossRelay } from './udp-loss-relay.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
const relays: UdpLossRelay[] = [];
closeWhenDone(() => server, bots, relays);

const LOSS = 0.05;
/** Video packets each subscriber must receive while the loss is on: ~12 s at the tests' 50 packets/s. */
const LOSSY_VIDEO_PACKETS = 600;

test('NACKs recover video lost on the way to a subscriber; without them the gaps stay', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const publisher = await joinBot(server, roomId, 'publisher');
  bots.push(publisher);

  // The same seed for both relays: both drop about the same share of the same stream.
  const nackRelay = await UdpLossRelay.start({ lossRate: 0, seed: 0x7e4ff });
  const plainRelay = await UdpLossRelay.start({ lossRate: 0, seed: 0x7e4ff });
  relays.push(nackRelay, plainRelay);
  const nacking = await joinBot(server, roomId, 'nacking', { ...subscriberThrough(nackRelay), nack: true });
  bots.push(nacking);
  const plain = await joinBot(server, roomId, 'plain', { ...subscriberThrough(plainRelay), nack: false });
  bots.push(plain);

  // Loss starts once media flows: the connection's setup and the first keyframe are not under test.
  await nacking.waitForPackets(publisher.participantId, 'video', 25, 45_000);
  await plain.waitForPackets(publisher.participantId, 'video', 25, 45_000);
  const video = (bot: Bot): InboundStats => {
    const [stream] = bot.streamsFrom(publisher.participantId, 'video');
    assert.ok(stream, `${bot.name}: no video stream from the publisher`);
    return stream;
  };
  const nackingBefore = video(nacking);
  const plainBefore = video(plain);
  const retransmissionsBefore = await metric(server, 'treff_sfu_retransmissions_total');
  nackRelay.setLossRate(LOSS);
  plainRelay.setLossRate(LOSS);

  await waitUntil(
    () => video(nacking).packets >= nackingBefore.packets + LOSSY_VIDEO_PACKETS && video(plain).packets >= plainBefore.packets + LOSSY_VIDEO_PACKETS,
    {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: `${LOSSY_VIDEO_PACKETS} video packets per subscriber under ${LOSS * 100}% loss`,
      describe: () => JSON.stringify({ nacking: video(nacking).packets - nackingBefore.packets, plain: video(plain).packets - plainBefore.packets }),
    },
  );
  // Stop the loss, then give outstanding repairs time to land (the generator gives up after 1 s), so
  // that what is still missing at the end is what was given up on, not what was in flight.
  nackRelay.setLossRate(0);
  plainRelay.setLossRate(0);
  await sleep(2000);

  const delta = (bot: Bot, before: InboundStats) => {
    const now = video(bot);
    assert.equal(now.ssrc, before.ssrc, `${bot.name}: the video stream changed during the run`);
    return { packets: now.packets - before.packets, unrecovered: now.lost - before.lost, recovered: now.late - before.late, duplicates: now.duplicates - before.duplicates };
  };
  const withNack = delta(nacking, nackingBefore);
  const withoutNack = delta(plain, plainBefore);
  const nackStats = nacking.nackStats();
  const retransmissions = (await metric(server, 'treff_sfu_retransmissions_total')) - retransmissionsBefore;
  console.log(
    `# 5% downlink loss: with NACK ${JSON.stringify(withNack)} generator ${JSON.stringify(nackStats)}; ` +
      `without NACK ${JSON.stringify(withoutNack)}; relay drops ${nackRelay.stats.droppedRtp} / ${plainRelay.stats.droppedRtp} RTP; ` +
      `server retransmissions +${retransmissions}`,
  );

  // Media really went through the relays and really got lost there (audio and video alike; only
  // video is NACKed). At ~50+50 RTP packets/s for 12 s, 5% is about 60 drops per relay.
  for (const relay of [nackRelay, plainRelay]) {
    assert.ok(relay.stats.toClient.rtp >= LOSSY_VIDEO_PACKETS, `relay forwarded only ${relay.stats.toClient.rtp} RTP packets`);
    assert.ok(relay.stats.droppedRtp >= 20, `relay dropped only ${relay.stats.droppedRtp} RTP packets`);
  }

  // Without NACKs the video's gaps stay: nothing else fills them.
  assert.ok(withoutNack.unrecovered >= 10, `without NACK only ${withoutNack.unrecovered} video packets went missing`);
  assert.equal(withoutNack.recovered, 0, 'packets arrived late without being NACKed');
  assert.equal(plain.nackStats().nackPackets, 0, 'the bot without NACK sent NACKs');

  // With NACKs (almost) every gap is filled by a retransmission. A repair is itself lost with 5%
  // probability and retried twice, so an unrecovered packet is very unlikely; allow two.
  assert.ok(withNack.recovered >= 10, `with NACK only ${withNack.recovered} video packets were recovered`);
  assert.ok(withNack.unrecovered <= 2, `with NACK ${withNack.unrecovered} video packets stayed missing`);
  assert.ok(withNack.unrecovered * 5 < withoutNack.unrecovered, 'NACKs made no clear difference');
  assert.ok(nackStats.recovered >= withNack.recovered, 'recoveries the NACK generator did not ask for');
  assert.ok(nackStats.nackPackets > 0);

  // The server counted its retransmissions (every recovered packet is one; lost repairs add more).
  assert.ok(retransmissions >= withNack.recovered, `server counted ${retransmissions} retransmissions for ${withNack.recovered} recoveries`);

  for (const bot of bots) {
    assert.deepEqual(bot.errors, [], `${bot.name}: server errors`);
    assert.deepEqual(bot.localErrors, [], `${bot.name}: local errors`);
  }
});
