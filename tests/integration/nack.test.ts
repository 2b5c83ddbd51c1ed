// A subscriber's generic NACK (RFC 4585 §6.2.1) for a packet it received makes the server
// retransmit that packet from its cache: same outgoing SSRC, sequence number and timestamp.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, type Bot, type ReceivedPacket } from '@treff/load';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

test('the server answers a subscriber NACK with the cached packet', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const publisher = await joinBot(server, roomId, 'publisher');
  const subscriber = await joinBot(server, roomId, 'subscriber');
  bots.push(publisher, subscriber);

  // Remember each received packet's timestamp, to compare with the retransmission.
  const timestamps = new Map<number, number>();
  const repeats: ReceivedPacket[] = [];
  subscriber.onRtp((p) => {
    if (p.stream.kind !== 'video' || p.stream.participantId !== publisher.participantId) return;
    if (p.verdict === 'duplicate') repeats.push(p);
    else if (timestamps.size < 10_000) timestamps.set(p.sequenceNumber, p.timestamp);
  });
  await subscriber.waitForPackets(publisher.participantId, 'video', 60, 45_000);
  const [stream] = subscriber.streamsFrom(publisher.participantId, 'video');
  assert.ok(stream, 'no video stream from the publisher');
  assert.equal(stream.duplicates, 0, 'duplicates before any NACK');

  // A packet well inside the server's cache (received ~0.4 s ago at 50 packets/s).
  const wanted = (stream.highestSequenceNumber - 20) & 0xffff;
  assert.ok(timestamps.has(wanted), `sequence number ${wanted} was not received`);
  // NACKs travel over UDP like everything else: repeat a few times, at most ~5 s.
  for (let attempt = 0; attempt < 10 && !repeats.some((r) => r.sequenceNumber === wanted); attempt++) {
    assert.ok(subscriber.sendNack(stream.mid, stream.ssrc, [wanted]), 'sending the NACK failed');
    await sleep(500);
  }
  const again = repeats.find((r) => r.sequenceNumber === wanted);
  assert.ok(again, `no retransmission of ${wanted}; repeats seen: ${JSON.stringify(repeats.map((r) => r.sequenceNumber))}`);
  assert.equal(again.ssrc, stream.ssrc, 'retransmitted with another SSRC');
  assert.equal(again.mid, stream.mid, 'retransmitted on another mid');
  assert.equal(again.timestamp, timestamps.get(wanted), 'retransmitted with another timestamp');
  // Only what was asked for comes again.
  assert.deepEqual([...new Set(repeats.map((r) => r.sequenceNumber))], [wanted], 'unrequested packets were repeated');
  assert.deepEqual(subscriber.errors, []);
  assert.deepEqual(subscriber.localErrors, []);
});
