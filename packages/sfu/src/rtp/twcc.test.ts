import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTransportFeedback, parseTransportFeedback, parseTransportFeedbackBody } from './twcc.js';
import { parseRtcp } from './rtcp-parse.js';
import type { RtcpTransportFeedback } from './rtcp-types.js';
import { makeRandom, randomBuffer } from './testkit.js';

/** Hand-assembled bytes, so the parser is tested against the draft, not against the builder. */
function bytes(...bs: number[]): Buffer {
  return Buffer.from(bs);
}

// base 0xfffe, 5 packets, reference time 16 (1024 ms), feedback count 7; one 2-bit status
// vector chunk [small, not received, large, small, small] = 11 01 00 10 01 01 00 00 = 0xd250;
// deltas +4 (1 ms), -8 (-2 ms, large), 0, 255 (63.75 ms); one byte of zero padding.
const HEADER_5 = [0x8f, 0xcd, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xfe, 0x00, 0x05, 0x00, 0x00, 0x10, 0x07];
const BODY_5 = [0xd2, 0x50, 0x04, 0xff, 0xf8, 0x00, 0xff];
const TWCC_5 = bytes(...HEADER_5, ...BODY_5, 0x00);

function check5(fb: RtcpTransportFeedback | null): void {
  assert.ok(fb);
  assert.equal(fb.kind, 'transport-cc');
  assert.equal(fb.senderSsrc, 1);
  assert.equal(fb.mediaSsrc, 2);
  assert.equal(fb.baseSequence, 0xfffe);
  assert.equal(fb.packetStatusCount, 5);
  assert.equal(fb.referenceTime, 16);
  assert.equal(fb.feedbackPacketCount, 7);
  assert.deepEqual([...fb.status], [1, 0, 2, 1, 1]);
  assert.deepEqual([...fb.receiveTimeUs], [1_025_000, 0, 1_023_000, 1_023_000, 1_086_750]);
}

test('parses a 2-bit status vector with small and negative large deltas (§3.1.4, §3.1.5)', () => {
  check5(parseTransportFeedback(TWCC_5, 0, TWCC_5.length));
  // Same packet inside a larger buffer, at an offset.
  const framed = Buffer.concat([bytes(9, 9, 9), TWCC_5, bytes(9)]);
  check5(parseTransportFeedback(framed, 3, TWCC_5.length));
  // Padding signalled with the RTCP P bit and a count byte instead of zeros.
  const pBit = bytes(0xaf, ...HEADER_5.slice(1), ...BODY_5, 0x01);
  check5(parseTransportFeedback(pBit, 0, pBit.length));
});

test('parses run-length and 1-bit vector chunks; the last chunk may overhang the count', () => {
  // 20 packets: run of 10 received (small), then a 1-bit vector 0xa800 (symbols
  // 1010 0000 0000 00) of which only 10 count. Deltas: ten × 1 then 2 × 2; 12 deltas; 20 + 4 + 12 = 36 bytes.
  const fb = parseTransportFeedback(
    bytes(0x8f, 0xcd, 0x00, 0x08, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x0a, 0x00, 0x14, 0x00, 0x00, 0x01, 0x00,
      0x20, 0x0a, 0xa8, 0x00, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2),
    0,
    36,
  );
  assert.ok(fb);
  assert.deepEqual([...fb.status], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(fb.receiveTimeUs[0], 64_000 + 250);
  assert.equal(fb.receiveTimeUs[9], 64_000 + 2500);
  assert.equal(fb.receiveTimeUs[10], 64_000 + 3000);
  assert.equal(fb.receiveTimeUs[12], 64_000 + 3500);
});

test('parseRtcp returns transport-cc entries beside other kinds', () => {
  const rr = bytes(0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 5);
  const packets = parseRtcp(Buffer.concat([rr, TWCC_5]));
  assert.equal(packets?.length, 2);
  assert.equal(packets[0]?.kind, 'rr');
  const twcc = packets[1];
  check5(twcc?.kind === 'transport-cc' ? twcc : null);
});

test('parseRtcp reports a transport-cc packet whose FCI is bad as "other", keeping the compound', () => {
  const rr = bytes(0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 5);
  const noFci = bytes(0x8f, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2);
  const badSymbol = bytes(...HEADER_5, 0xff, 0xff, 0, 0, 0, 0, 0, 0);
  for (const bad of [noFci, badSymbol]) {
    assert.deepEqual(parseRtcp(Buffer.concat([rr, bad])), [
      { kind: 'rr', ssrc: 5, reports: [] },
      { kind: 'other', packetType: 205, fmt: 15 },
    ]);
  }
});

test('rejects malformed feedback', () => {
  assert.equal(parseTransportFeedback(TWCC_5, 0, 3), null);
  assert.equal(parseTransportFeedback(TWCC_5, 1, TWCC_5.length), null, 'runs past the buffer');
  assert.equal(parseTransportFeedback(TWCC_5, -1, 4), null);
  // every truncation: the length field then points beyond the packet
  for (let len = 0; len < TWCC_5.length; len++) assert.equal(parseTransportFeedback(TWCC_5, 0, len), null, `len ${len}`);
  // body truncations with a consistent header: only the padding byte may go
  for (let end = 0; end < TWCC_5.length - 1; end++) assert.equal(parseTransportFeedbackBody(TWCC_5, 0, end), null, `end ${end}`);
  check5(parseTransportFeedbackBody(TWCC_5, 0, TWCC_5.length - 1));
  const mutate = (i: number, v: number): Buffer => {
    const b = Buffer.from(TWCC_5);
    b[i] = v;
    return b;
  };
  assert.equal(parseTransportFeedback(mutate(0, 0x4f), 0, 28), null, 'version 1');
  assert.equal(parseTransportFeedback(mutate(0, 0x81), 0, 28), null, 'FMT 1 is a NACK');
  assert.equal(parseTransportFeedback(mutate(1, 206), 0, 28), null, 'PSFB');
  assert.equal(parseTransportFeedback(mutate(15, 0), 0, 28), null, 'zero packets');
  assert.equal(parseTransportFeedback(mutate(15, 8), 0, 28), null, 'count beyond the chunk: deltas do not fit');
  assert.equal(parseTransportFeedback(mutate(21, 0x70), 0, 28), null, 'reserved 2-bit symbol');
  assert.equal(parseTransportFeedback(bytes(...HEADER_5.slice(0, 3), 0x07, ...HEADER_5.slice(4), 0x60, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 32), null, 'reserved run symbol');
  // P bit with a bad count
  assert.equal(parseTransportFeedback(mutate(0, 0xaf), 0, 28), null, 'zero padding count');
  const eats = Buffer.from(TWCC_5);
  eats[0] = 0xaf;
  eats[27] = 27;
  assert.equal(parseTransportFeedback(eats, 0, 28), null, 'padding eats the header');
  // more than word-alignment padding after the deltas
  const slack = bytes(0x8f, 0xcd, 0x00, 0x07, ...HEADER_5.slice(4), ...BODY_5, 0, 0, 0, 0, 0);
  assert.equal(parseTransportFeedback(slack, 0, slack.length), null, 'trailing garbage');
});

test('round trip: random arrivals, losses and reordering survive with 250 µs quantization', () => {
  const next = makeRandom(205);
  for (let round = 0; round < 300; round++) {
    const count = 1 + (next() % 300);
    const lossPercent = next() % 60;
    const base = next() & 0xffff;
    const refTime = next() % 0x1000000;
    const arrivals = new Float64Array(count);
    let t = refTime * 64_000 + (next() % 64_000);
    for (let i = 0; i < count; i++) {
      // Mostly small steps, some large gaps and some reordering (negative steps).
      const r = next() % 100;
      const step = r < 80 ? next() % 30_000 : r < 90 ? 64_000 + (next() % 1_000_000) : -(next() % 20_000);
      t = Math.max(refTime * 64_000 - 1_000_000, t + step);
      arrivals[i] = next() % 100 < lossPercent ? -1 : t;
    }
    const buf = buildTransportFeedback(0x1234, 0x5678, round, base, refTime, arrivals);
    assert.ok(buf, `round ${round}`);
    assert.equal(buf.length % 4, 0);
    const fb = parseTransportFeedback(buf, 0, buf.length);
    assert.ok(fb, `round ${round}`);
    assert.equal(fb.baseSequence, base);
    assert.equal(fb.packetStatusCount, count);
    assert.equal(fb.referenceTime, refTime);
    assert.equal(fb.feedbackPacketCount, round & 0xff);
    for (let i = 0; i < count; i++) {
      if (arrivals[i]! < 0) {
        assert.equal(fb.status[i], 0, `round ${round} packet ${i}`);
      } else {
        assert.notEqual(fb.status[i], 0);
        assert.equal(fb.receiveTimeUs[i], Math.round(arrivals[i]! / 250) * 250, `round ${round} packet ${i}`);
      }
    }
    // The compound parser agrees.
    const viaRtcp = parseRtcp(buf);
    assert.equal(viaRtcp?.[0]?.kind, 'transport-cc');
  }
});

test('reference time wraps at 24 bits; the deltas stay relative', () => {
  const ref = 0x1000005; // written as 5
  const buf = buildTransportFeedback(1, 2, 0, 0, ref, [ref * 64_000 + 500, ref * 64_000 + 1000])!;
  const fb = parseTransportFeedback(buf, 0, buf.length)!;
  assert.equal(fb.referenceTime, 5);
  assert.deepEqual([...fb.receiveTimeUs], [5 * 64_000 + 500, 5 * 64_000 + 1000]);
});

test('chunk choice: long runs as run-length, mixes as vectors, runs beyond 8191 split', () => {
  const fbLength = (arr: number[]): number => buildTransportFeedback(1, 2, 0, 0, 0, arr)!.length;
  // 100 received 1 ms apart: one run chunk + 100 small deltas = 20 + 2 + 100 → 124
  assert.equal(fbLength(Array.from({ length: 100 }, (_, i) => i * 1000)), 124);
  // alternating received / lost, 28 packets: two 1-bit vectors + 14 deltas = 20 + 4 + 14 → 40
  assert.equal(fbLength(Array.from({ length: 28 }, (_, i) => (i % 2 === 0 ? i * 1000 : -1))), 40);
  // one large delta among mixed statuses forces 2-bit vectors: 7 + 7 symbols
  const mixed = [0, -1, 100_000, -1, 101_000, -1, 102_000, -1, 103_000, -1, 104_000, -1, 105_000, -1];
  assert.equal(fbLength(mixed), 20 + 2 * 2 + 1 + 2 + 5);
  // 10 000 lost then one received: runs of 8191 and 1809 lost, then the received one
  const gap = new Float64Array(10_001).fill(-1);
  gap[10_000] = 5_000;
  const buf = buildTransportFeedback(1, 2, 0, 0, 0, gap)!;
  assert.equal(buf.length, 20 + 6 + 1 + 1);
  assert.equal(buf.readUInt16BE(20), 8191);
  assert.equal(buf.readUInt16BE(22), 1809);
  assert.equal(buf.readUInt16BE(24), 0x2001);
  const fb = parseTransportFeedback(buf, 0, buf.length)!;
  assert.equal(fb.status[10_000], 1);
  assert.equal(fb.receiveTimeUs[10_000], 5_000);
  assert.equal(fb.status.indexOf(1), 10_000);
});

test('builder limits: deltas beyond the 16-bit large form, counts out of range', () => {
  assert.ok(buildTransportFeedback(1, 2, 0, 0, 0, [0, 8_191_750]), 'largest positive delta');
  assert.ok(buildTransportFeedback(1, 2, 0, 0, 1000, [64_000_000, 64_000_000 - 8_192_000]), 'largest negative delta');
  assert.equal(buildTransportFeedback(1, 2, 0, 0, 0, [0, 8_192_000]), null);
  assert.equal(buildTransportFeedback(1, 2, 0, 0, 1000, [64_000_000, 64_000_000 - 8_192_250]), null);
  assert.equal(buildTransportFeedback(1, 2, 0, 0, 0, []), null);
  assert.equal(buildTransportFeedback(1, 2, 0, 0, 0, [1, 2], 3), null);
  assert.equal(buildTransportFeedback(1, 2, 0, 0, 0, new Float64Array(0x10000)), null);
  // all lost is expressible (NaN also means lost)
  const lost = buildTransportFeedback(1, 2, 0, 7, 0, [Number.NaN, -5])!;
  assert.deepEqual([...parseTransportFeedback(lost, 0, lost.length)!.status], [0, 0]);
  // count below the array length reports only the first packets
  const two = buildTransportFeedback(1, 2, 0, 7, 0, [1000, 2000, 3000], 2)!;
  assert.equal(parseTransportFeedback(two, 0, two.length)!.packetStatusCount, 2);
});

test('fuzz: random buffers and corrupted feedback never throw; results stay consistent', () => {
  const next = makeRandom(15);
  let parsed = 0;
  const check = (fb: RtcpTransportFeedback | null): void => {
    if (fb === null) return;
    parsed++;
    assert.equal(fb.status.length, fb.packetStatusCount);
    for (let i = 0; i < fb.status.length; i++) assert.ok(fb.status[i]! <= 2);
  };
  for (let i = 0; i < 20_000; i++) {
    const buf = randomBuffer(next, 64);
    if (buf.length >= 4) {
      buf[0] = (buf[0]! & 0xe0) | 15;
      buf[1] = 205;
      buf[2] = 0;
      buf[3] = (buf.length >> 2) - 1;
      if (buf.length >= 16) {
        buf[14] = 0;
        buf[15] = next() % 40;
      }
    }
    check(parseTransportFeedback(buf, 0, buf.length));
    parseRtcp(buf);
  }
  const arrivals = Array.from({ length: 60 }, (_, i) => (i % 5 === 3 ? -1 : i * 3000 - (i % 7) * 1000));
  const good = buildTransportFeedback(1, 2, 0, 65500, 0, arrivals)!;
  for (let i = 0; i < 20_000; i++) {
    const b = Buffer.from(good);
    const flips = 1 + (next() % 3);
    for (let f = 0; f < flips; f++) b[next() % b.length] = next() & 0xff;
    const cut = (next() & 7) === 0 ? next() % b.length : b.length;
    check(parseTransportFeedback(b, 0, cut));
    parseRtcp(b.subarray(0, cut));
  }
  assert.ok(parsed > 1000, `only ${parsed} parsed; fuzz is too shallow`);
});
