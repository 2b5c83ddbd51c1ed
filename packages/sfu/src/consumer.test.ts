import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Consumer } from './consumer.js';
import { createCounters } from './counters.js';
import { Producer } from './producer.js';
import { buildNack } from './rtp/index.js';
import { RecordingTrack } from './testing/recording-track.js';

const OUT_SSRC = 0xabcdef;

function setup(packets: number): { subscriber: RecordingTrack; outSeqs: number[]; counters: ReturnType<typeof createCounters> } {
  const counters = createCounters();
  const producer = new Producer('p', 'video', 'publisher', new RecordingTrack().asTrack(), 1, counters);
  const subscriber = new RecordingTrack();
  const consumer = new Consumer('c', producer, 'subscriber', '2', OUT_SSRC, subscriber.asTrack(), counters);
  consumer.setNegotiated();
  for (let seq = 0; seq < packets; seq++) {
    const packet = Buffer.alloc(200);
    packet[0] = 0x80;
    packet[1] = 96;
    packet.writeUInt16BE(seq, 2);
    packet.writeUInt32BE(seq * 3000, 4);
    packet.writeUInt32BE(0x1234, 8);
    packet[12] = 0x10; // VP8 descriptor, start of partition (RFC 7741 §4.2)
    packet[13] = seq === 0 ? 0 : 1; // P bit clear only on the first: a keyframe
    producer.receive(packet, seq);
  }
  const outSeqs = subscriber.sent.map((p) => p.readUInt16BE(2));
  subscriber.sent.length = 0;
  return { subscriber, outSeqs, counters };
}

test('a NACKed packet is resent with the subscriber’s SSRC and sequence number', () => {
  const { subscriber, outSeqs, counters } = setup(50);
  assert.equal(outSeqs.length, 50);
  const lost = outSeqs[20]!;
  subscriber.deliver(buildNack(9, OUT_SSRC, [lost]));
  assert.equal(subscriber.sent.length, 1);
  assert.equal(subscriber.sent[0]!.readUInt16BE(2), lost);
  assert.equal(subscriber.sent[0]!.readUInt32BE(8), OUT_SSRC);
  assert.equal(counters.retransmissions, 1);
  subscriber.deliver(buildNack(9, OUT_SSRC ^ 1, [lost]));
  assert.equal(subscriber.sent.length, 1, 'a NACK for another stream is not ours');
});

test('repeating one packet many times in NACKs resends it once', () => {
  const { subscriber, outSeqs } = setup(50);
  const nack = buildNack(9, OUT_SSRC, [outSeqs[10]!]);
  for (let i = 0; i < 100; i++) subscriber.deliver(nack);
  assert.equal(subscriber.sent.length, 1);
});

test('a NACK flood cannot make the server resend more than its budget', () => {
  const { subscriber, outSeqs } = setup(1000);
  // Every cached packet, asked for in a burst: far beyond what any real loss needs.
  const start = performance.now();
  for (let i = 0; i < outSeqs.length; i += 100) subscriber.deliver(buildNack(9, OUT_SSRC, outSeqs.slice(i, i + 100)));
  // The budget is a burst of 300 plus 300 per second of elapsed time.
  const allowed = 300 + Math.ceil(((performance.now() - start) / 1000) * 300);
  assert.ok(subscriber.sent.length > 0);
  assert.ok(subscriber.sent.length <= allowed, `resent ${subscriber.sent.length}, allowed ${allowed}`);
  assert.ok(subscriber.sent.length < 500, 'far fewer than the 1000 asked for');
});
