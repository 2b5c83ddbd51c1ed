import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpReceiveStats, RECEIVE_HISTORY_SIZE } from './receive-stats.js';
import { compactNtp } from './ntp.js';
import { makeRandom } from './testkit.js';

/** Feeds packets 20 ms apart with a matching 90 kHz timestamp (no jitter). */
function feed(stats: RtpReceiveStats, seqs: number[], startMs = 0): void {
  for (const seq of seqs) stats.onPacket(seq, seq * 1800, startMs + seq * 20, 1200);
}

test('counts packets, bytes and reports nothing lost for an in-order stream', () => {
  const s = new RtpReceiveStats(0xabc, 90000);
  feed(s, [1, 2, 3, 4, 5]);
  assert.equal(s.packets, 5);
  assert.equal(s.bytes, 6000);
  assert.equal(s.lost, 0);
  const r = s.reportBlock(200);
  assert.equal(r.ssrc, 0xabc);
  assert.equal(r.fractionLost, 0);
  assert.equal(r.cumulativeLost, 0);
  assert.equal(r.highestSeq, 5);
  assert.equal(r.jitter, 0);
  assert.equal(r.lastSr, 0);
  assert.equal(r.delaySinceLastSr, 0);
  assert.deepEqual(s.missingSequenceNumbers(100), []);
});

test('a report before any packet is all zeros', () => {
  const r = new RtpReceiveStats(1, 48000).reportBlock(0);
  assert.deepEqual(r, { ssrc: 1, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lastSr: 0, delaySinceLastSr: 0 });
});

test('fraction lost is per interval, cumulative loss accumulates (A.3)', () => {
  const s = new RtpReceiveStats(1, 90000);
  feed(s, [0, 1, 2, 3, 5, 6, 7]); // 8 expected, 4 lost of... 1 lost (4)
  let r = s.reportBlock(1000);
  assert.equal(r.cumulativeLost, 1);
  assert.equal(r.fractionLost, Math.floor((1 * 256) / 8));
  feed(s, [8, 9, 10, 11]); // no loss in this interval
  r = s.reportBlock(2000);
  assert.equal(r.cumulativeLost, 1);
  assert.equal(r.fractionLost, 0);
  feed(s, [12, 15]); // 4 expected, 2 lost
  r = s.reportBlock(3000);
  assert.equal(r.cumulativeLost, 3);
  assert.equal(r.fractionLost, 128);
  assert.equal(s.lost, 3);
});

test('a late packet fills its hole; duplicates make loss negative', () => {
  const s = new RtpReceiveStats(1, 90000);
  feed(s, [10, 12, 11]);
  assert.equal(s.lost, 0);
  feed(s, [12, 12]);
  assert.equal(s.lost, -2);
  assert.equal(s.reportBlock(0).cumulativeLost, -2);
  assert.equal(s.reportBlock(0).fractionLost, 0);
});

test('counts cycles across the 16-bit wrap', () => {
  const s = new RtpReceiveStats(1, 90000);
  for (const seq of [65533, 65534, 65535, 0, 1]) s.onPacket(seq, 0, 0, 100);
  const r = s.reportBlock(0);
  assert.equal(r.highestSeq, 0x10001);
  assert.equal(r.cumulativeLost, 0);
  assert.equal(s.extendedHighestSeq, 0x10001);
  // a reordered packet from before the wrap does not add a cycle
  s.onPacket(65530, 0, 0, 100);
  assert.equal(s.reportBlock(0).highestSeq, 0x10001);
});

test('a single huge jump is dropped; two sequential ones resync (A.1)', () => {
  const s = new RtpReceiveStats(1, 90000);
  feed(s, [100, 101, 102]);
  s.onPacket(40000, 0, 0, 10);
  assert.equal(s.extendedHighestSeq, 102, 'stray packet ignored');
  assert.equal(s.lost, 0);
  s.onPacket(40001, 0, 0, 10);
  assert.equal(s.extendedHighestSeq, 40001, 'restart accepted');
  assert.equal(s.lost, 0);
  assert.equal(s.packets, 5, 'every arrival is counted in packets');
});

test('jitter follows A.8 for a constant transit change', () => {
  const s = new RtpReceiveStats(1, 90000);
  // Timestamps advance 1800 per packet (20 ms) but packets arrive 30 ms apart: D = 900 each.
  for (let i = 0; i < 200; i++) s.onPacket(i, i * 1800, i * 30, 100);
  assert.ok(Math.abs(s.jitter - 900) < 1, `jitter ${s.jitter}`);
  // Timestamp wrap does not disturb it.
  const w = new RtpReceiveStats(1, 90000);
  for (let i = 0; i < 200; i++) w.onPacket(i, (0xffffff00 + i * 1800) >>> 0, i * 20, 100);
  assert.ok(w.jitter < 1, `jitter across wrap ${w.jitter}`);
});

test('LSR and DLSR from the last sender report', () => {
  const s = new RtpReceiveStats(1, 90000);
  feed(s, [1]);
  s.onSenderReport(0x12345678, 0x9abcdef0, 1000);
  const r = s.reportBlock(1500);
  assert.equal(r.lastSr, compactNtp(0x12345678, 0x9abcdef0));
  assert.equal(r.delaySinceLastSr, 32768); // 0.5 s in 1/65536 s
});

test('missing sequence numbers, across the wrap, limited by age and by the first packet', () => {
  const s = new RtpReceiveStats(1, 90000);
  for (const seq of [65530, 65531, 65534, 1, 2]) s.onPacket(seq, 0, 0, 1);
  assert.deepEqual(s.missingSequenceNumbers(100), [65532, 65533, 65535, 0]);
  assert.deepEqual(s.missingSequenceNumbers(3), [0]);
  s.onPacket(0, 0, 0, 1);
  assert.deepEqual(s.missingSequenceNumbers(100), [65532, 65533, 65535]);
  assert.equal(s.hasReceived(0), true);
  assert.equal(s.hasReceived(65535), false);
  assert.equal(s.hasReceived(65531), true);
});

test('missing numbers never exceed the history window', () => {
  const s = new RtpReceiveStats(1, 90000);
  s.onPacket(0, 0, 0, 1);
  s.onPacket(2999, 0, 0, 1); // gap within MAX_DROPOUT
  const m = s.missingSequenceNumbers(1e6);
  assert.equal(m.length, RECEIVE_HISTORY_SIZE - 1);
  assert.equal(m[0], 2999 - RECEIVE_HISTORY_SIZE + 1);
});

test('fuzz: random sequence numbers keep the report fields in range', () => {
  const next = makeRandom(1982);
  const s = new RtpReceiveStats(1, 90000);
  let seq = 0;
  for (let i = 0; i < 20_000; i++) {
    const r = next() % 100;
    seq = r < 80 ? (seq + 1) & 0xffff : r < 95 ? (seq + (next() % 200) - 100) & 0xffff : next() & 0xffff;
    s.onPacket(seq, next() >>> 0, i * 10 + (next() % 50), 100);
    if (i % 500 === 0) {
      const b = s.reportBlock(i * 10);
      assert.ok(b.fractionLost >= 0 && b.fractionLost <= 255);
      assert.ok(Number.isInteger(b.jitter) && b.jitter >= 0 && b.jitter <= 0xffffffff);
      assert.ok(s.missingSequenceNumbers(500).length <= 500);
    }
  }
});
