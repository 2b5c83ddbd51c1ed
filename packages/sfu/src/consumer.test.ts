import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Consumer } from './consumer.js';
import { createCounters } from './counters.js';
import { Producer } from './producer.js';
import { buildNack, parseRtcp, readVp8PictureId } from './rtp/index.js';
import { RecordingTrack } from './testing/recording-track.js';
import { vp8Packet } from './testing/rtp-packets.js';

const OUT_SSRC = 0xabcdef;

/** What the transport does with RTCP from a subscriber: every packet in it goes to the consumer. */
function deliver(consumer: Consumer, rtcp: Buffer): void {
  for (const packet of parseRtcp(rtcp) ?? []) consumer.onFeedback(packet);
}

function setup(packets: number): { subscriber: RecordingTrack; consumer: Consumer; outSeqs: number[]; counters: ReturnType<typeof createCounters> } {
  const counters = createCounters();
  const producer = new Producer('p', 'video', 'publisher', new RecordingTrack().asTrack(), 1, counters);
  const subscriber = new RecordingTrack();
  const consumer = new Consumer('c', 'video', 'subscriber', '2', OUT_SSRC, subscriber.asTrack(), counters);
  consumer.setNegotiated();
  consumer.setSource(producer.layers[0]!);
  for (let seq = 0; seq < packets; seq++) {
    // Only the first is a keyframe.
    producer.receive(vp8Packet(seq, seq === 0, { ssrc: 0x1234, bytes: 200 }), seq);
  }
  const outSeqs = subscriber.sent.map((p) => p.readUInt16BE(2));
  subscriber.sent.length = 0;
  return { subscriber, consumer, outSeqs, counters };
}

test('a NACKed packet is resent with the subscriber’s SSRC and sequence number', () => {
  const { subscriber, consumer, outSeqs, counters } = setup(50);
  assert.equal(outSeqs.length, 50);
  const lost = outSeqs[20]!;
  deliver(consumer, buildNack(9, OUT_SSRC, [lost]));
  assert.equal(subscriber.sent.length, 1);
  assert.equal(subscriber.sent[0]!.readUInt16BE(2), lost);
  assert.equal(subscriber.sent[0]!.readUInt32BE(8), OUT_SSRC);
  assert.equal(counters.retransmissions, 1);
  deliver(consumer, buildNack(9, OUT_SSRC ^ 1, [lost]));
  assert.equal(subscriber.sent.length, 1, 'a NACK for another stream is not ours');
});

test('repeating one packet many times in NACKs resends it once', () => {
  const { subscriber, consumer, outSeqs } = setup(50);
  const nack = buildNack(9, OUT_SSRC, [outSeqs[10]!]);
  for (let i = 0; i < 100; i++) deliver(consumer, nack);
  assert.equal(subscriber.sent.length, 1);
});

test('a NACK flood cannot make the server resend more than its budget', () => {
  const { subscriber, consumer, outSeqs } = setup(1000);
  // Every cached packet, asked for in a burst: far beyond what any real loss needs.
  const start = performance.now();
  for (let i = 0; i < outSeqs.length; i += 100) deliver(consumer, buildNack(9, OUT_SSRC, outSeqs.slice(i, i + 100)));
  // The budget is a burst of 300 plus 300 per second of elapsed time.
  const allowed = 300 + Math.ceil(((performance.now() - start) / 1000) * 300);
  assert.ok(subscriber.sent.length > 0);
  assert.ok(subscriber.sent.length <= allowed, `resent ${subscriber.sent.length}, allowed ${allowed}`);
  assert.ok(subscriber.sent.length < 500, 'far fewer than the 1000 asked for');
});

/** A VP8 packet of one simulcast layer: rid extension (RFC 8852, one-byte form), 15-bit picture id. */
function layerPacket(ssrc: number, rid: string, seq: number, pictureId: number, keyframe: boolean): Buffer {
  const packet = Buffer.alloc(120);
  packet[0] = 0x90; // V=2, X=1
  packet[1] = 96;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 3000, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet.writeUInt16BE(0xbede, 12);
  packet.writeUInt16BE(1, 14); // one 32-bit word of extensions
  packet[16] = (2 << 4) | (rid.length - 1); // id 2 = rid
  packet.write(rid, 17, 'latin1');
  // VP8 payload descriptor (RFC 7741 §4.2): X=1, S=1, PID=0; I=1; 15-bit picture id; then the payload header.
  packet[20] = 0x90;
  packet[21] = 0x80;
  packet[22] = 0x80 | ((pictureId >> 8) & 0x7f);
  packet[23] = pictureId & 0xff;
  packet[24] = keyframe ? 0x00 : 0x01;
  return packet;
}

test('a subscriber switched to another simulcast layer moves at its keyframe, with continuous numbering', () => {
  const counters = createCounters();
  const publisher = new RecordingTrack();
  const producer = new Producer('p', 'video', 'publisher', publisher.asTrack(), 1, counters, { simulcast: ['l', 'h'] });
  const subscriber = new RecordingTrack();
  const consumer = new Consumer('c', 'video', 'subscriber', '2', OUT_SSRC, subscriber.asTrack(), counters);
  consumer.setNegotiated();
  const sources: (string | null)[] = [];
  consumer.on('source', (p) => sources.push(p?.transportId ?? null));
  consumer.setSource(producer.layers[0]!);
  let seqL = 100;
  let seqH = 5000;
  let picL = 10;
  let picH = 20_000;
  const send = (rid: 'l' | 'h', keyframe: boolean) =>
    rid === 'l' ? producer.receive(layerPacket(0x1111, 'l', seqL++, picL++, keyframe), 0) : producer.receive(layerPacket(0x2222, 'h', seqH++, picH++, keyframe), 0);

  send('l', true);
  send('h', true);
  send('l', false);
  assert.equal(consumer.layerIndex, 0);
  consumer.setSource(producer.layers[1]!);
  assert.ok(parseRtcp(publisher.sent.at(-1)!)?.some((p) => p.kind === 'pli' && p.mediaSsrc === 0x2222), 'a keyframe is requested on the new layer');
  send('h', false); // not a keyframe: the low layer keeps flowing
  send('l', false);
  assert.equal(consumer.layerIndex, 0);
  send('h', true);
  send('l', false); // no longer forwarded
  send('h', false);
  assert.equal(consumer.layerIndex, 1);

  const out = subscriber.sent.filter((p) => (p[1]! & 0x7f) === 96);
  assert.deepEqual(out.map((p) => p.readUInt32BE(8)), out.map(() => OUT_SSRC), 'one SSRC throughout');
  const seqs = out.map((p) => p.readUInt16BE(2));
  assert.deepEqual(seqs, seqs.map((_, i) => (seqs[0]! + i) & 0xffff), 'sequence numbers continue across the switch');
  const pictureIds = out.map((p) => ((p[22]! & 0x7f) << 8) | p[23]!);
  assert.deepEqual(pictureIds, pictureIds.map((_, i) => (pictureIds[0]! + i) & 0x7fff), 'picture ids continue across the switch');
  assert.deepEqual(sources, ['publisher'], 'a layer switch is not a change of source');
  // The cached packets keep the publisher's own numbering (for its NACKs and other subscribers).
  assert.equal(producer.layers[1]!.cache?.get(5001)?.readUInt32BE(8), 0x2222);
});

/** Two publishers' videos and one subscriber's negotiated slot, carrying nothing yet. */
function twoPublishersOneSlot() {
  const counters = createCounters();
  const alice = new Producer('a', 'video', 'alice', new RecordingTrack().asTrack(), 1, counters);
  const bob = new Producer('b', 'video', 'bob', new RecordingTrack().asTrack(), 1, counters);
  const subscriber = new RecordingTrack();
  const consumer = new Consumer('c', 'video', 'subscriber', '2', OUT_SSRC, subscriber.asTrack(), counters);
  consumer.setNegotiated();
  return { alice, bob, subscriber, consumer };
}

test('a slot moved to another publisher announces the new source at the keyframe; stopping is immediate', () => {
  const { alice, bob, subscriber, consumer } = twoPublishersOneSlot();
  const sources: (string | null)[] = [];
  consumer.on('source', (p) => sources.push(p?.transportId ?? null));
  consumer.setSource(alice.layers[0]!);
  alice.receive(layerPacket(0xa, 'x', 1, 1, true), 0);
  consumer.setSource(bob.layers[0]!);
  bob.receive(layerPacket(0xb, 'x', 1, 1, false), 0);
  assert.deepEqual(sources, ['alice']);
  bob.receive(layerPacket(0xb, 'x', 2, 2, true), 0);
  assert.deepEqual(sources, ['alice', 'bob']);
  assert.equal(consumer.producer, bob);
  consumer.setSource(null);
  assert.deepEqual(sources, ['alice', 'bob', null]);
  const before = subscriber.sent.length;
  bob.receive(layerPacket(0xb, 'x', 3, 3, false), 0);
  assert.equal(subscriber.sent.length, before, 'nothing is forwarded after stopping');
  bob.close();
  assert.equal(consumer.wantedProducer, null);
});

test('a source stopped and taken back on the same slot goes on with the next sequence number and picture id', () => {
  const { alice, subscriber, consumer } = twoPublishersOneSlot();
  consumer.setSource(alice.layers[0]!);
  for (let seq = 1; seq <= 10; seq++) alice.receive(layerPacket(0xa, 'x', seq, seq, seq === 1), 0);
  consumer.setSource(null);
  // Alice goes on sending while the slot carries nothing (e.g. its tile is paused for bandwidth).
  for (let seq = 11; seq <= 500; seq++) alice.receive(layerPacket(0xa, 'x', seq, seq, false), 0);
  consumer.setSource(alice.layers[0]!);
  for (let seq = 501; seq <= 505; seq++) alice.receive(layerPacket(0xa, 'x', seq, seq, seq === 501), 0);
  const seqs = subscriber.sent.map((p) => p.readUInt16BE(2));
  const pictures = subscriber.sent.map((p) => readVp8PictureId(p, 20, p.length - 20));
  assert.equal(seqs.length, 15);
  for (let i = 1; i < seqs.length; i++) {
    assert.equal((seqs[i]! - seqs[i - 1]!) & 0xffff, 1, `sequence number ${i}`);
    assert.equal((pictures[i]! - pictures[i - 1]!) & 0x7fff, 1, `picture id ${i}`);
  }
});

test('cancelSwitch keeps the current source and forgets the pending one; cutOff stops at once', () => {
  const { alice, bob, subscriber, consumer } = twoPublishersOneSlot();
  consumer.setSource(alice.layers[0]!);
  alice.receive(layerPacket(0xa, 'x', 1, 1, true), 0);
  consumer.setSource(bob.layers[0]!);
  consumer.cancelSwitch();
  assert.equal(consumer.wantedProducer, alice);
  bob.receive(layerPacket(0xb, 'x', 1, 1, true), 0);
  assert.equal(consumer.producer, alice, 'bob’s key frame does not take the slot');
  const before = subscriber.sent.length;
  alice.receive(layerPacket(0xa, 'x', 2, 2, false), 0);
  assert.equal(subscriber.sent.length, before + 1, 'alice goes on');
  consumer.cutOff();
  alice.receive(layerPacket(0xa, 'x', 3, 3, false), 0);
  assert.equal(subscriber.sent.length, before + 1);
  assert.equal(consumer.producer, null);
});
