import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRtcp } from './rtcp-parse.js';
import { makeRandom, randomBuffer } from './testkit.js';

/** Hand-assembled big-endian words, so the parser is tested against bytes, not the builders. */
function words(...ws: number[]): Buffer {
  const b = Buffer.alloc(ws.length * 4);
  ws.forEach((w, i) => b.writeUInt32BE(w >>> 0, i * 4));
  return b;
}

const REPORT = [0xaaaa0001, 0x40fffffe /* 64/256 lost, cumulative -2 */, 0x0001ffff, 123, 0x11112222, 65536];
const SR = words(0x81c8000c, 0x01020304, 0xe0000000, 0x80000000, 90000, 10, 12000, ...REPORT);
const RR = words(0x80c90001, 0x05060708);
const PLI = words(0x81ce0002, 1, 2);
const FIR = words(0x84ce0006, 1, 0, 0x0a0b0c0d, 0x07000000, 0x0e0f1011, 0x08000000);
const NACK = words(0x81cd0003, 1, 2, (65534 << 16) | 0b101);
const REMB = words(0x8fce0006, 1, 0, 0x52454d42, (2 << 24) | (3 << 18) | 1000, 0xc0ffee01, 0xc0ffee02);
const BYE = words(0x82cb0002, 0xb1, 0xb2);
const SDES = words(0x81ca0002, 0x01020304, 0x01000000);
const TWCC = words(0x8fcd0002, 1, 2);

test('parses a sender report with a report block (RFC 3550 §6.4.1)', () => {
  assert.deepEqual(parseRtcp(SR), [
    {
      kind: 'sr',
      ssrc: 0x01020304,
      ntpSeconds: 0xe0000000,
      ntpFraction: 0x80000000,
      rtpTimestamp: 90000,
      packetCount: 10,
      octetCount: 12000,
      reports: [
        { ssrc: 0xaaaa0001, fractionLost: 64, cumulativeLost: -2, highestSeq: 0x1ffff, jitter: 123, lastSr: 0x11112222, delaySinceLastSr: 65536 },
      ],
    },
  ]);
});

test('parses a compound of every supported kind, in order', () => {
  const packets = parseRtcp(Buffer.concat([RR, PLI, FIR, NACK, REMB, BYE, SDES, TWCC]));
  assert.deepEqual(packets, [
    { kind: 'rr', ssrc: 0x05060708, reports: [] },
    { kind: 'pli', senderSsrc: 1, mediaSsrc: 2 },
    { kind: 'fir', senderSsrc: 1, entries: [{ ssrc: 0x0a0b0c0d, seqNr: 7 }, { ssrc: 0x0e0f1011, seqNr: 8 }] },
    { kind: 'nack', senderSsrc: 1, mediaSsrc: 2, lost: [65534, 65535, 1] },
    { kind: 'remb', senderSsrc: 1, bitrate: 1000 * 8, ssrcs: [0xc0ffee01, 0xc0ffee02] },
    { kind: 'bye', ssrcs: [0xb1, 0xb2] },
    { kind: 'other', packetType: 202, fmt: 1 },
    { kind: 'other', packetType: 205, fmt: 15 },
  ]);
});

test('REMB with a large exponent does not overflow 32 bits', () => {
  const remb = words(0x8fce0004, 1, 0, 0x52454d42, (0 << 24) | (40 << 18) | 0x3ffff);
  const p = parseRtcp(remb)?.[0];
  assert.equal(p?.kind, 'remb');
  if (p?.kind === 'remb') assert.equal(p.bitrate, 0x3ffff * 2 ** 40);
});

test('application feedback that is not REMB is "other"', () => {
  assert.deepEqual(parseRtcp(words(0x8fce0003, 1, 0, 0x41424344)), [{ kind: 'other', packetType: 206, fmt: 15 }]);
});

test('padding in the last packet is honoured', () => {
  // RR with 4 bytes of padding: length 2 words, P bit set, last byte 4.
  const padded = words(0xa0c90002, 0x05060708, 0x00000004);
  assert.deepEqual(parseRtcp(padded), [{ kind: 'rr', ssrc: 0x05060708, reports: [] }]);
});

test('rejects malformed compounds', () => {
  assert.equal(parseRtcp(new Uint8Array(0)), null);
  assert.equal(parseRtcp(new Uint8Array([0x80, 0xc9, 0])), null);
  // every truncation of a valid compound
  const good = Buffer.concat([SR, NACK]);
  for (let len = 1; len < good.length; len++) {
    if (len === SR.length) continue; // the SR alone is a valid compound
    assert.equal(parseRtcp(good.subarray(0, len)), null, `len ${len}`);
  }
  // wrong version in the second packet
  const v1 = Buffer.concat([RR, PLI]);
  v1[RR.length] = 0x41;
  assert.equal(parseRtcp(v1), null);
  // length field beyond the buffer
  const long = Buffer.from(PLI);
  long.writeUInt16BE(0xffff, 2);
  assert.equal(parseRtcp(long), null);
  // trailing garbage shorter than a header
  assert.equal(parseRtcp(Buffer.concat([RR, Buffer.from([0x80, 0xc9])])), null);
});

test('rejects counts that overflow their packet', () => {
  assert.equal(parseRtcp(words(0x81c90001, 1)), null, 'RR announcing 1 report block without one');
  assert.equal(parseRtcp(words(0x9fc80006, 1, 2, 3, 4, 5, 6)), null, 'SR announcing 31 blocks');
  assert.equal(parseRtcp(words(0x85cb0002, 1, 2)), null, 'BYE announcing 5 SSRCs');
  assert.equal(parseRtcp(words(0x81ce0001, 1)), null, 'PLI without media SSRC');
  assert.equal(parseRtcp(words(0x81cd0001, 1)), null, 'NACK without media SSRC');
  assert.equal(parseRtcp(words(0x84ce0002, 1, 0)), null, 'FIR without FCI');
  assert.equal(parseRtcp(words(0x8fce0004, 1, 0, 0x52454d42, 0x05000000)), null, 'REMB announcing 5 SSRCs');
  assert.equal(parseRtcp(words(0x8fce0003, 1, 0, 0x52454d42)), null, 'REMB without bitrate');
});

test('rejects bad padding', () => {
  assert.equal(parseRtcp(words(0xa0c90002, 1, 0)), null, 'zero padding count');
  assert.equal(parseRtcp(words(0xa0c90002, 1, 0x0000000d)), null, 'padding into the header');
  assert.equal(parseRtcp(words(0xa0c90002, 1, 0x00000008)), null, 'padding eats the SSRC');
});

test('fuzz: 20k random buffers never throw', () => {
  const next = makeRandom(3550);
  let parsed = 0;
  for (let i = 0; i < 20_000; i++) {
    const buf = randomBuffer(next, 64);
    // Make some lengths plausible so that the fuzz reaches the packet bodies.
    if (buf.length >= 4 && (next() & 1) === 0) {
      buf[2] = 0;
      buf[3] = (buf.length >> 2) - 1;
      buf[1] = 200 + (next() % 8);
    }
    const r = parseRtcp(buf);
    if (r !== null) parsed++;
  }
  assert.ok(parsed > 100, `only ${parsed} parsed`);
});

test('fuzz: corrupting single bytes of a valid compound never throws', () => {
  const good = Buffer.concat([SR, RR, PLI, FIR, NACK, REMB, BYE, SDES, TWCC]);
  const next = makeRandom(4585);
  for (let i = 0; i < 20_000; i++) {
    const b = Buffer.from(good);
    const flips = 1 + (next() % 3);
    for (let f = 0; f < flips; f++) b[next() % b.length] = next() & 0xff;
    const cut = (next() & 7) === 0 ? next() % b.length : b.length;
    parseRtcp(b.subarray(0, cut));
  }
});
