import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, type PacketSink } from './pacer.js';

class Wire implements PacketSink {
  readonly sent: { at: number; bytes: Buffer }[] = [];
  now = 0;
  sendMessageBinary(buffer: Buffer): boolean {
    this.sent.push({ at: this.now, bytes: Buffer.from(buffer) });
    return true;
  }
}

test('without an estimate nothing is paced or copied', () => {
  const pacer = new Pacer();
  const wire = new Wire();
  for (let i = 0; i < 100; i++) assert.equal(pacer.send(wire, Buffer.alloc(1200), -1, false, 0), true);
  assert.equal(wire.sent.length, 100);
  assert.equal(pacer.paced, 0);
});

test('a keyframe burst leaves at 2.5 × the estimate, in order, and audio is never held back', () => {
  const pacer = new Pacer();
  pacer.setEstimate(1_000_000); // 2.5 Mbps pacing: 312.5 bytes per ms
  const wire = new Wire();
  const packet = (i: number) => Buffer.alloc(1200, i);
  for (let i = 0; i < 40; i++) pacer.send(wire, packet(i), -1, false, 0);
  const immediately = wire.sent.length;
  assert.ok(immediately >= 2 && immediately <= 4, `${immediately} packets went out at once (the 10 ms burst)`);
  assert.equal(pacer.send(wire, Buffer.alloc(100, 0xaa), -1, true, 0), true, 'audio goes out at once');
  for (let t = 5; t <= 400 && pacer.queuedPackets > 0; t += 5) {
    wire.now = t;
    pacer.drain(t);
  }
  const video = wire.sent.filter((p) => p.bytes.length === 1200);
  assert.equal(video.length, 40);
  assert.deepEqual(video.map((p) => p.bytes[0]), [...Array(40).keys()], 'order kept');
  const last = video.at(-1)!.at;
  // 40 × 1200 bytes at 312.5 bytes/ms ≈ 154 ms, less the initial burst.
  assert.ok(last >= 120 && last <= 170, `the burst took ${last} ms`);
});

test('packets that waited too long are dropped rather than sent late', () => {
  const pacer = new Pacer();
  pacer.setEstimate(100_000); // 31 bytes per ms: 1200 bytes every ~38 ms
  const wire = new Wire();
  for (let i = 0; i < 50; i++) pacer.send(wire, Buffer.alloc(1200), -1, false, 0);
  for (let t = 5; t <= 1000; t += 5) pacer.drain(t);
  assert.ok(pacer.dropped > 20, `${pacer.dropped} dropped`);
  assert.ok(wire.sent.length < 20);
  assert.equal(pacer.queuedPackets, 0);
});

test('queued packets are copies: the caller may restore its buffer', () => {
  const pacer = new Pacer();
  pacer.setEstimate(100_000);
  const wire = new Wire();
  const buf = Buffer.alloc(1200, 1);
  pacer.send(wire, buf, -1, false, 0);
  pacer.send(wire, buf, -1, false, 0);
  buf.fill(9);
  for (let t = 5; t <= 200; t += 5) pacer.drain(t);
  assert.deepEqual(wire.sent.map((p) => p.bytes[0]), [1, 1]);
});

test('transport-wide sequence numbers are stamped when a packet leaves, not when it is queued', async () => {
  const { TransportWideSequencer } = await import('./bwe/index.js');
  const sequencer = new TransportWideSequencer();
  const pacer = new Pacer(() => {}, null, sequencer);
  pacer.setEstimate(200_000);
  const wire = new Wire();
  for (let i = 0; i < 5; i++) pacer.send(wire, Buffer.alloc(1200), 10, false, 0);
  pacer.send(wire, Buffer.alloc(100), 10, true, 0); // audio overtakes the queued video
  for (let t = 5; t <= 400; t += 5) {
    wire.now = t;
    pacer.drain(t);
  }
  const seqs = wire.sent.map((p) => p.bytes.readUInt16BE(10));
  assert.deepEqual(seqs, [...seqs.keys()], 'numbered in the order they left');
  assert.equal(wire.sent.findIndex((p) => p.bytes.length === 100), 1, 'audio left second, right after the first video packet');
});

test('discard forgets what waits for one sink and keeps the others’ packets in order', () => {
  const pacer = new Pacer();
  pacer.setEstimate(1_000_000);
  const [cut, kept] = [new Wire(), new Wire()];
  for (let i = 0; i < 20; i++) pacer.send(i % 2 === 0 ? cut : kept, Buffer.alloc(1200, i), -1, false, 0);
  const cutAtOnce = cut.sent.length;
  pacer.discard(cut);
  for (let t = 5; t <= 400 && pacer.queuedPackets > 0; t += 5) pacer.drain(t);
  assert.equal(cut.sent.length, cutAtOnce, 'nothing more for the discarded sink');
  assert.ok(cutAtOnce < 10, 'some of its packets were waiting');
  assert.deepEqual(kept.sent.map((p) => p.bytes[0]), [1, 3, 5, 7, 9, 11, 13, 15, 17, 19], 'all of the other sink’s, in order');
});
