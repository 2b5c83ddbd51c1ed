import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransportWideSequencer, type PacketResults } from './transport-wide-sequencer.js';
import { TwccRecorder } from './twcc-recorder.js';
import { buildTransportFeedback, parseTransportFeedback } from '../rtp/twcc.js';
import type { RtcpTransportFeedback } from '../rtp/rtcp-types.js';

function feedback(baseSeq: number, refTime: number, arrivalsUs: number[], fbCount = 0): RtcpTransportFeedback {
  const buf = buildTransportFeedback(1, 2, fbCount, baseSeq, refTime, arrivalsUs)!;
  return parseTransportFeedback(buf, 0, buf.length)!;
}

function rows(r: PacketResults): Array<[number, number, number, number | null]> {
  const out: Array<[number, number, number, number | null]> = [];
  for (let i = 0; i < r.count; i++) out.push([r.sequence[i]!, r.sendTimeMs[i]!, r.sizeBytes[i]!, r.received[i] === 1 ? r.arrivalTimeMs[i]! : null]);
  return out;
}

test('numbers packets from 0 and matches feedback to send time and size', () => {
  const s = new TransportWideSequencer();
  assert.equal(s.next(1200, 10), 0);
  assert.equal(s.next(300, 11), 1);
  assert.equal(s.next(900, 12), 2);
  const r = s.onFeedback(feedback(0, 1, [64_000 + 500, -1, 64_000 + 2500]), 100);
  assert.deepEqual(rows(r), [
    [0, 10, 1200, 64.5],
    [1, 11, 300, null],
    [2, 12, 900, 66.5],
  ]);
  assert.equal(r.recovered, 0);
  assert.equal(s.lastFeedbackMs, 100);
});

test('duplicate feedback yields nothing; lost then received is reported once more, as recovered', () => {
  const s = new TransportWideSequencer();
  for (let i = 0; i < 4; i++) s.next(1000, i);
  assert.equal(s.onFeedback(feedback(0, 0, [1000, -1, 3000]), 0).count, 3);
  assert.equal(s.onFeedback(feedback(0, 0, [1000, -1, 3000]), 0).count, 0, 'duplicate');
  const r = s.onFeedback(feedback(1, 0, [2500, 3000, 4000]), 0);
  assert.deepEqual(rows(r), [
    [1, 1, 1000, 2.5],
    [3, 3, 1000, 4],
  ]);
  assert.equal(r.recovered, 1);
  assert.equal(s.onFeedback(feedback(1, 0, [-1]), 0).count, 0, 'received is never undone');
});

test('unknown and future packets are skipped; old ones fall out of the ring', () => {
  const s = new TransportWideSequencer(16);
  assert.equal(s.onFeedback(feedback(0, 0, [1000]), 0).count, 0, 'nothing sent yet');
  for (let i = 0; i < 40; i++) s.next(100, i);
  // 20..39 are remembered (ring of 16 keeps 24..39); feedback names 20..44
  const r = s.onFeedback(feedback(20, 0, Array.from({ length: 25 }, (_, i) => 1000 * i)), 0);
  assert.deepEqual(rows(r).map(([seq]) => seq), Array.from({ length: 16 }, (_, i) => 24 + i));
});

test('the 16-bit sequence number wraps; feedback across the wrap matches the right packets', () => {
  const s = new TransportWideSequencer();
  for (let i = 0; i < 65_534; i++) s.next(1, i);
  const wire: number[] = [];
  for (let i = 0; i < 5; i++) wire.push(s.next(500 + i, 100_000 + i));
  assert.deepEqual(wire, [65534, 65535, 0, 1, 2]);
  const r = s.onFeedback(feedback(65535, 0, [1000, 2000, 3000]), 0);
  assert.deepEqual(rows(r).map(([seq, , size]) => [seq, size]), [
    [65535, 501],
    [65536, 502],
    [65537, 503],
  ]);
});

test('the 24-bit reference time wraps without a jump in arrival times', () => {
  const s = new TransportWideSequencer();
  s.next(1, 0);
  s.next(1, 1);
  const last = 0xffffff;
  const a = s.onFeedback(feedback(0, last, [last * 64_000 + 1000]), 0);
  const before = a.arrivalTimeMs[0]!;
  const b = s.onFeedback(feedback(1, 0, [2000]), 0); // 64 ms later, after the wrap
  // (2^24 - last) × 64 ms + (2 ms - 1 ms)
  assert.equal(b.arrivalTimeMs[0]! - before, 65);
});

test('end to end with the recorder: every packet reported exactly once', () => {
  const s = new TransportWideSequencer();
  const rec = new TwccRecorder();
  let reported = 0;
  let lost = 0;
  for (let i = 0; i < 3000; i++) {
    const seq = s.next(1200, i);
    if (i % 50 !== 7) rec.onPacket(seq, 10_000 + i + 20);
    if (i % 100 === 99) {
      for (const b of rec.buildFeedback(1, 2, i)) {
        const r = s.onFeedback(parseTransportFeedback(b, 0, b.length)!, i + 20);
        for (let k = 0; k < r.count; k++) {
          reported++;
          if (r.received[k] === 0) lost++;
          else assert.equal(r.arrivalTimeMs[k]! - r.sendTimeMs[k]!, 10_020);
        }
      }
    }
  }
  assert.equal(reported, 3000);
  assert.equal(lost, 60);
});
