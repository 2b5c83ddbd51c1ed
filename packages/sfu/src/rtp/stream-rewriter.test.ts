import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RtpStreamRewriter } from './stream-rewriter.js';
import { parseRtpHeader, readSequenceNumber, readSsrc, readTimestamp } from './rtp-packet.js';
import { seqDiff, tsDiff } from './sequence.js';
import { makeRtp } from './testkit.js';

const OUT = 0x5005;

/** Sends one packet through the rewriter; returns [seq, ts] written, or null when dropped. */
function send(r: RtpStreamRewriter, ssrc: number, seq: number, ts: number, nowMs: number): [number, number] | null {
  const buf = makeRtp({ ssrc, sequenceNumber: seq, timestamp: ts, payload: new Uint8Array(100) });
  const before = Buffer.from(buf);
  const header = parseRtpHeader(buf)!;
  if (!r.rewrite(buf, header, nowMs)) {
    assert.deepEqual(buf, before, 'a dropped packet is left untouched');
    return null;
  }
  assert.equal(readSsrc(buf), OUT);
  assert.deepEqual(buf.subarray(12), before.subarray(12), 'only the header fields change');
  return [readSequenceNumber(buf), readTimestamp(buf)];
}

test('maps one source with fixed offsets from the chosen start', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 500, timestamp: 1000 });
  assert.deepEqual(send(r, 1, 7000, 123456, 0), [500, 1000]);
  assert.deepEqual(send(r, 1, 7001, 123456 + 3000, 33), [501, 4000]);
  assert.deepEqual(send(r, 1, 7003, 123456 + 6000, 66), [503, 7000], 'gaps are preserved');
  assert.deepEqual(send(r, 1, 7002, 123456 + 6000, 67), [502, 7000], 'reordered packets keep their place');
  assert.equal(r.outSsrc, OUT);
  assert.equal(r.packetsSent, 4);
  assert.equal(r.octetsSent, 400);
  assert.equal(r.lastOutTimestamp, 7000);
  assert.equal(r.lastOutSequenceNumber, 503);
  assert.equal(r.sourceSsrc, 1);
});

test('random start values by default', () => {
  const a = new RtpStreamRewriter(OUT, 90000);
  const b = new RtpStreamRewriter(OUT, 90000);
  const sa = send(a, 1, 0, 0, 0)!;
  const sb = send(b, 1, 0, 0, 0)!;
  assert.ok(sa[0] !== sb[0] || sa[1] !== sb[1]);
});

test('continuity across source switches: seq +1, timestamp advanced by wall time', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 100, timestamp: 5000 });
  const outs: [number, number][] = [];
  let now = 0;
  // Three sources with unrelated numbering, switching back and forth.
  const sources = [
    { ssrc: 11, seq: 60000, ts: 4_000_000_000 },
    { ssrc: 22, seq: 10, ts: 17 },
    { ssrc: 33, seq: 65530, ts: 0xfffff000 },
  ];
  for (let round = 0; round < 9; round++) {
    const src = sources[round % 3]!;
    for (let i = 0; i < 20; i++) {
      now += 33;
      const out = send(r, src.ssrc, src.seq, src.ts, now);
      assert.ok(out, `round ${round} packet ${i}`);
      outs.push(out);
      src.seq = (src.seq + 1) & 0xffff;
      src.ts = (src.ts + 2970) >>> 0;
    }
    now += 500; // pause between layers: other sources keep advancing meanwhile
    for (const s of sources) {
      s.seq = (s.seq + 15) & 0xffff;
      s.ts = (s.ts + 45000) >>> 0;
    }
  }
  for (let i = 1; i < outs.length; i++) {
    assert.equal(seqDiff(outs[i]![0], outs[i - 1]![0]), 1, `seq at ${i}`);
    assert.ok(tsDiff(outs[i]![1], outs[i - 1]![1]) > 0, `ts at ${i}`);
  }
  // At a switch the timestamp advances by the elapsed wall time: 533 ms at 90 kHz.
  assert.equal(tsDiff(outs[20]![1], outs[19]![1]), Math.round(0.533 * 90000));
});

test('a switch with no elapsed time still advances the timestamp by 1', () => {
  const r = new RtpStreamRewriter(OUT, 48000, { sequenceNumber: 0, timestamp: 0 });
  assert.deepEqual(send(r, 1, 5, 960, 10), [0, 0]);
  assert.deepEqual(send(r, 2, 9, 77, 10), [1, 1]);
});

test('wraps output sequence numbers at 65535 and timestamps at 2^32', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 65534, timestamp: 0xffffff00 });
  assert.deepEqual(send(r, 1, 100, 0, 0), [65534, 0xffffff00]);
  assert.deepEqual(send(r, 1, 101, 0x80, 1), [65535, 0xffffff80]);
  assert.deepEqual(send(r, 1, 102, 0x100, 2), [0, 0]);
  assert.deepEqual(send(r, 1, 103, 0x180, 3), [1, 0x80]);
  // input wrapping too
  const w = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 10, timestamp: 10 });
  assert.deepEqual(send(w, 1, 65535, 0xffffffff, 0), [10, 10]);
  assert.deepEqual(send(w, 1, 0, 0, 1), [11, 11]);
  // switch after an output wrap
  assert.deepEqual(send(r, 2, 5000, 5, 1003)?.[0], 2);
});

test('late packets from an old source are dropped after a switch', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 0, timestamp: 0 });
  for (let i = 0; i < 10; i++) assert.ok(send(r, 1, 1000 + i, i * 3000, i * 33));
  assert.ok(send(r, 2, 50, 0, 340)); // switch to source 2
  assert.equal(send(r, 1, 1009, 27000, 341), null, 'straggler of source 1');
  assert.equal(send(r, 1, 1005, 15000, 342), null, 'older straggler of source 1');
  assert.deepEqual(send(r, 2, 51, 3000, 373)?.[0], 11);
  // Going back to source 1 with newer packets is a genuine switch.
  assert.deepEqual(send(r, 1, 1020, 60000, 700)?.[0], 12);
  // And now late packets of source 2 are dropped.
  assert.equal(send(r, 2, 51, 3000, 701), null);
});

test('packets from before the epoch start or far behind are dropped', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 0, timestamp: 0 });
  assert.ok(send(r, 1, 100, 0, 0));
  assert.equal(send(r, 1, 99, 0, 1), null, 'before the first packet of the epoch');
  for (let s = 101; s <= 3200; s++) assert.ok(send(r, 1, s, s, s));
  assert.equal(send(r, 1, 150, 0, 3300), null, 'more than 3000 behind');
  assert.ok(send(r, 1, 3200 - 3000, 0, 3300), 'exactly 3000 behind is still forwarded');
});

test('forceNewEpoch continues the output after a gap in the same source', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 0, timestamp: 0 });
  assert.deepEqual(send(r, 1, 10, 1000, 0), [0, 0]);
  assert.deepEqual(send(r, 1, 11, 4000, 33), [1, 3000]);
  r.forceNewEpoch();
  assert.equal(send(r, 1, 11, 4000, 40), null, 'a late packet from before the switch point');
  // 400 packets were not forwarded (paused layer); output continues without a gap.
  assert.deepEqual(send(r, 1, 411, 4000 + 400 * 3000, 1033), [2, 3000 + 90000]);
  assert.deepEqual(send(r, 1, 412, 4000 + 401 * 3000, 1066), [3, 3000 + 93000]);
  assert.equal(r.inputSequenceFor(1), -1, 'previous epoch is not mapped');
});

test('NACK mapping: output sequence numbers back to the source, current epoch only', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 65530, timestamp: 0 });
  for (let i = 0; i < 5; i++) send(r, 1, 100 + i, i, i); // out 65530..65534
  send(r, 2, 65534, 0, 10); // out 65535
  send(r, 2, 65535, 0, 11); // out 0
  send(r, 2, 0, 0, 12); // out 1
  send(r, 2, 2, 0, 13); // out 3 (in 1 lost)
  assert.equal(r.inputSequenceFor(65535), 65534);
  assert.equal(r.inputSequenceFor(0), 65535);
  assert.equal(r.inputSequenceFor(1), 0);
  assert.equal(r.inputSequenceFor(2), 1, 'a lost packet maps to the missing source number');
  assert.equal(r.inputSequenceFor(3), 2);
  assert.equal(r.inputSequenceFor(4), -1, 'not sent yet');
  assert.equal(r.inputSequenceFor(65534), -1, 'previous epoch');
  assert.equal(new RtpStreamRewriter(OUT, 90000).inputSequenceFor(5), -1, 'nothing sent');
});

test('outputTimestampFor translates source timestamps of the current epoch', () => {
  const r = new RtpStreamRewriter(OUT, 90000, { sequenceNumber: 0, timestamp: 0xfffffff0 });
  send(r, 1, 1, 1000, 0);
  assert.equal(r.outputTimestampFor(1000), 0xfffffff0);
  assert.equal(r.outputTimestampFor(1100), 0x54);
  assert.equal(r.outputTimestampFor(900), 0xffffff8c);
});
