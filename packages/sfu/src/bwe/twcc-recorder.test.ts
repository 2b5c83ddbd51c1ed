import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TwccRecorder } from './twcc-recorder.js';
import { parseTransportFeedback } from '../rtp/twcc.js';
import { parseRtcp } from '../rtp/rtcp-parse.js';
import type { RtcpTransportFeedback } from '../rtp/rtcp-types.js';
import { makeRandom } from '../rtp/testkit.js';

function parseAll(bufs: Buffer[]): RtcpTransportFeedback[] {
  return bufs.map((b) => {
    const fb = parseTransportFeedback(b, 0, b.length);
    assert.ok(fb, 'recorder output parses');
    assert.equal(b.length % 4, 0);
    return fb;
  });
}

/** Flattens feedback into seq → arrival ms (NaN for reported lost), in report order. */
function flatten(fbs: RtcpTransportFeedback[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const fb of fbs) {
    for (let i = 0; i < fb.packetStatusCount; i++) {
      out.push([(fb.baseSequence + i) & 0xffff, fb.status[i] === 0 ? Number.NaN : fb.receiveTimeUs[i]! / 1000]);
    }
  }
  return out;
}

test('reports arrivals and losses since the last call, quantized to 250 µs', () => {
  const r = new TwccRecorder();
  assert.deepEqual(r.buildFeedback(1, 2, 0), [], 'nothing before the first packet');
  r.onPacket(100, 1000);
  r.onPacket(101, 1010.1);
  r.onPacket(103, 1030);
  const fbs = parseAll(r.buildFeedback(0xaa, 0xbb, 1040));
  assert.equal(fbs.length, 1);
  assert.equal(fbs[0]!.senderSsrc, 0xaa);
  assert.equal(fbs[0]!.mediaSsrc, 0xbb);
  assert.equal(fbs[0]!.feedbackPacketCount, 0);
  assert.deepEqual(flatten(fbs), [[100, 1000], [101, 1010], [102, Number.NaN], [103, 1030]]);
  assert.deepEqual(r.buildFeedback(1, 2, 1050), [], 'nothing new');
  r.onPacket(104, 1040);
  const again = parseAll(r.buildFeedback(1, 2, 1060));
  assert.equal(again[0]!.feedbackPacketCount, 1);
  assert.deepEqual(flatten(again), [[104, 1040]]);
});

test('sequence numbers wrap; the report continues across 65535 → 0', () => {
  const r = new TwccRecorder();
  for (let i = 0; i < 10; i++) r.onPacket((65530 + i) & 0xffff, 5000 + i);
  const got = flatten(parseAll(r.buildFeedback(1, 2, 0)));
  assert.deepEqual(got.map(([s]) => s), [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3]);
  assert.deepEqual(got.map(([, a]) => a), [5000, 5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008, 5009]);
});

test('duplicates are ignored; a late packet is reported again as received', () => {
  const r = new TwccRecorder();
  r.onPacket(10, 100);
  r.onPacket(12, 120);
  r.onPacket(12, 125); // duplicate: first arrival wins
  assert.deepEqual(flatten(parseAll(r.buildFeedback(1, 2, 0))), [[10, 100], [11, Number.NaN], [12, 120]]);
  r.onPacket(11, 130); // reordered, already reported lost
  r.onPacket(13, 131);
  r.onPacket(11, 140); // duplicate of the late one
  assert.deepEqual(flatten(parseAll(r.buildFeedback(1, 2, 0))), [[11, 130], [12, 120], [13, 131]]);
  assert.equal(r.packetsRecorded, 4);
});

test('reordering inside one interval gives negative deltas', () => {
  const r = new TwccRecorder();
  r.onPacket(1, 200);
  r.onPacket(3, 210);
  r.onPacket(2, 215);
  r.onPacket(0, 220); // before the first packet seen
  assert.deepEqual(flatten(parseAll(r.buildFeedback(1, 2, 0))), [[0, 220], [1, 200], [2, 215], [3, 210]]);
});

test('a long gap starts fresh instead of reporting thousands of losses', () => {
  const r = new TwccRecorder({ maxGap: 1000 });
  r.onPacket(0, 10);
  r.onPacket(1, 11);
  r.onPacket(900, 12); // within maxGap: 898 losses are reported
  const first = parseAll(r.buildFeedback(1, 2, 0));
  assert.equal(first.reduce((n, fb) => n + fb.packetStatusCount, 0), 901);
  r.onPacket(30_000, 20);
  r.onPacket(30_001, 21);
  assert.equal(r.restarts, 1);
  assert.deepEqual(flatten(parseAll(r.buildFeedback(1, 2, 0))), [[30_000, 20], [30_001, 21]]);
  // Packets from before the jump are now far behind: ignored rather than reported.
  r.onPacket(901, 22);
  assert.deepEqual(r.buildFeedback(1, 2, 0), []);
});

test('splits when a receive delta does not fit 16 bits', () => {
  const r = new TwccRecorder();
  r.onPacket(1, 1000);
  r.onPacket(2, 1001);
  r.onPacket(4, 1000 + 20_000); // 20 s later: beyond ±8.19 s
  r.onPacket(5, 1000 + 20_001);
  const fbs = parseAll(r.buildFeedback(1, 2, 0));
  assert.equal(fbs.length, 2);
  assert.deepEqual(flatten(fbs), [[1, 1000], [2, 1001], [3, Number.NaN], [4, 21_000], [5, 21_001]]);
  assert.deepEqual([fbs[0]!.feedbackPacketCount, fbs[1]!.feedbackPacketCount], [0, 1]);
});

test('splits at the size budget and loses nothing', () => {
  const r = new TwccRecorder({ maxFeedbackBytes: 200 });
  const expected: Array<[number, number]> = [];
  for (let i = 0; i < 1000; i++) {
    const seq = (60_000 + i) & 0xffff;
    if (i % 9 === 4) {
      expected.push([seq, Number.NaN]);
      continue;
    }
    // Alternate small and large deltas so that every chunk form and delta size is used.
    const at = 100 + i * 2 + (i % 5 === 0 ? 100 : 0);
    r.onPacket(seq, at);
    expected.push([seq, at]);
  }
  const bufs = r.buildFeedback(1, 2, 0);
  assert.ok(bufs.length > 5, `${bufs.length} messages`);
  for (const b of bufs) assert.ok(b.length <= 200, `${b.length} bytes`);
  assert.deepEqual(flatten(parseAll(bufs)), expected);
  // The compound parser sees each as transport-cc.
  assert.equal(parseRtcp(Buffer.concat(bufs))?.every((p) => p.kind === 'transport-cc'), true);
});

test('an unread backlog larger than the ring keeps only the newest entries', () => {
  const r = new TwccRecorder({ historySize: 256, maxGap: 100 });
  for (let i = 0; i < 1000; i++) r.onPacket(i, i);
  const got = flatten(parseAll(r.buildFeedback(1, 2, 0)));
  assert.equal(got.length, 256);
  assert.deepEqual(got[0], [744, 744]);
  assert.deepEqual(got[255], [999, 999]);
});

test('fuzz: random arrival patterns round-trip through the feedback', () => {
  const next = makeRandom(0x7cc);
  for (let round = 0; round < 50; round++) {
    const r = new TwccRecorder({ maxGap: 500 });
    let seq = next() & 0xffff;
    let t = next() % 100_000;
    // Model of what the feedback must say: the newest arrival info per seq since the last call.
    let pending = new Map<number, number>();
    let highest = -1;
    const seen = new Set<number>();
    for (let step = 0; step < 400; step++) {
      const roll = next() % 100;
      let s = seq;
      if (roll < 70) seq = (seq + 1) & 0xffff;
      else if (roll < 85) seq = (seq + 2 + (next() % 20)) & 0xffff;
      else s = (seq - 1 - (next() % 5)) & 0xffff; // late or duplicate
      t += next() % 40;
      const before = r.packetsRecorded;
      r.onPacket(s, t);
      if (r.packetsRecorded > before) {
        assert.ok(!seen.has(s), 'a duplicate must not be recorded');
        seen.add(s);
        pending.set(s, t);
        if (highest < 0 || ((s - highest) & 0xffff) < 0x8000) highest = s;
      }
      if (next() % 10 === 0) {
        const got = flatten(parseAll(r.buildFeedback(1, 2, t)));
        const received = new Map(got.filter(([, a]) => !Number.isNaN(a)));
        for (const [ps, pt] of pending) assert.equal(received.get(ps), Math.round(pt * 4) / 4, `round ${round} seq ${ps}`);
        if (got.length > 0) assert.equal(got[got.length - 1]![0], highest);
        pending = new Map();
      }
    }
  }
});
