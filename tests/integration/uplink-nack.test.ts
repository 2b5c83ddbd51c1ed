// Real loss on the way from a publisher to the server, repaired by the server's own NACKs
// (RFC 4585 §6.2.1) to the publisher. libdatachannel generates none, so without Treff's NACK
// generator every packet lost on a publisher's uplink would be a hole in every subscriber's video.
// The publisher bot answers NACKs from its packet cache, as browsers do; the subscriber is direct
// and sends no NACKs itself, so every hole it does not see was filled by the server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, waitUntil, type Bot, type InboundStats } from '@treff/load';
import { exitWhenDone, joinBot, metric, newRoom, startTestServer } from './helpers.js';
import { UdpLossRelay } from './udp-loss-relay.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
let relay: UdpLossRelay | undefined;
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await relay?.close();
  await server?.close();
});

const LOSS = 0.05;
const LOSSY_VIDEO_PACKETS = 500;

test('the server NACKs a publisher’s lost video, so subscribers see no holes', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  relay = await UdpLossRelay.start({ lossRate: 0, seed: 0x5eed, direction: 'to-server' });
  const publisher = await joinBot(server, roomId, 'publisher', { rewriteRemoteCandidate: relay.rewriteServerCandidate, rewriteLocalCandidate: relay.rewriteClientCandidate });
  bots.push(publisher);
  const subscriber = await joinBot(server, roomId, 'subscriber', { publish: { audio: false, video: false }, nack: false });
  bots.push(subscriber);

  await subscriber.waitForPackets(publisher.participantId, 'video', 25, 45_000);
  const video = (): InboundStats => {
    const [stream] = subscriber.streamsFrom(publisher.participantId, 'video');
    assert.ok(stream, 'no video stream from the publisher');
    return stream;
  };
  const before = video();
  const nacksBefore = await metric(server, 'treff_sfu_nacks_sent_total');
  const forwardedBefore = relay.stats.toServer.rtp;
  relay.setLossRate(LOSS);
  await waitUntil(() => video().packets >= before.packets + LOSSY_VIDEO_PACKETS, {
    timeoutMs: 120_000,
    intervalMs: 200,
    what: `${LOSSY_VIDEO_PACKETS} video packets under ${LOSS * 100}% uplink loss`,
    describe: () => String(video().packets - before.packets),
  });
  relay.setLossRate(0);
  const forwarded = relay.stats.toServer.rtp - forwardedBefore;
  await sleep(2000); // outstanding repairs land; the server's generator gives up after 1 s

  const after = video();
  const result = { packets: after.packets - before.packets, unrecovered: after.lost - before.lost, recovered: after.late - before.late };
  const nacksSent = (await metric(server, 'treff_sfu_nacks_sent_total')) - nacksBefore;
  const dropped = relay.stats.droppedToServer;
  console.log(`# 5% uplink loss: subscriber video ${JSON.stringify(result)}; relay dropped ${dropped} uplink RTP, forwarded ${forwarded} while lossy (audio + video, retransmissions included); server NACKs +${nacksSent}`);

  // The loss was real and only on the uplink: ~50 video + ~50 audio packets/s for ~10 s at 5% is
  // ~50 drops expected; nothing was dropped on the way to the publisher (its NACKs arrive intact).
  assert.ok(dropped >= 20, `relay dropped only ${dropped} uplink RTP packets`);
  assert.ok(forwarded >= 400, `relay forwarded only ${forwarded} uplink RTP packets while lossy`);
  assert.equal(relay.stats.droppedToClient, 0, 'the relay dropped downlink packets');
  assert.ok(nacksSent > 0, 'the server sent no NACKs to the publisher');
  // Audio is lost too but never NACKed (Opus conceals); video holes are repaired and arrive late.
  assert.ok(result.recovered >= 5, `only ${result.recovered} lost video packets reached the subscriber late`);
  assert.ok(result.unrecovered <= 2, `${result.unrecovered} video packets never reached the subscriber`);
  for (const bot of bots) {
    assert.deepEqual(bot.errors, [], `${bot.name}: server errors`);
    assert.deepEqual(bot.localErrors, [], `${bot.name}: local errors`);
  }
});
