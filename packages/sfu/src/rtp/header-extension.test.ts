import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addTransportSequenceNumber,
  matchRtpStreamId,
  readRtpStreamId,
  readTransportSequenceNumber,
  setTransportSequenceNumber,
  writeTransportSequenceNumber,
} from './header-extension.js';
import { findHeaderExtension, parseRtpHeader } from './rtp-packet.js';
import { makeRandom, makeRtp, randomBuffer } from './testkit.js';

test('reads the rid of RFC 8852 in the one-byte form, behind padding and other elements', () => {
  // padding, id 1 (mid "0"), id 10 rid "hi" (L=1), id 3 transport seq 0x1234
  const data = [0x00, 0x10, 0x30, 0xa1, 0x68, 0x69, 0x31, 0x12, 0x34, 0, 0, 0];
  const b = makeRtp({ extension: { profile: 0xbede, data } });
  const h = parseRtpHeader(b)!;
  assert.equal(readRtpStreamId(b, h, 10), 'hi');
  assert.equal(matchRtpStreamId(b, h, 10, 'hi'), true);
  assert.equal(matchRtpStreamId(b, h, 10, 'h'), false);
  assert.equal(matchRtpStreamId(b, h, 10, 'ho'), false);
  assert.equal(readRtpStreamId(b, h, 1), '0');
  assert.equal(readRtpStreamId(b, h, 4), null);
  assert.equal(matchRtpStreamId(b, h, 4, 'hi'), false);
  assert.equal(readTransportSequenceNumber(b, h, 3), 0x1234);
});

test('reads a rid in the two-byte form (RFC 8285 §4.3)', () => {
  const data = [0x00, 0x0c, 0x03, 0x71, 0x5f, 0x2d, 0x07, 0x00, 0, 0, 0, 0];
  const b = makeRtp({ extension: { profile: 0x1000, data } });
  const h = parseRtpHeader(b)!;
  assert.equal(readRtpStreamId(b, h, 12), 'q_-');
  assert.equal(readRtpStreamId(b, h, 7), null, 'empty element is no rid');
});

test('rejects rid bytes outside the RFC 8851 grammar', () => {
  for (const bad of [0x00, 0x20, 0x2e, 0x7f, 0xc3]) {
    const b = makeRtp({ extension: { profile: 0xbede, data: [0x21, 0x61, bad, 0] } });
    assert.equal(readRtpStreamId(b, parseRtpHeader(b)!, 2), null, `byte ${bad}`);
  }
});

test('transport-wide sequence numbers: read, write in place, wrong length', () => {
  const b = makeRtp({ extension: { profile: 0xbede, data: [0x51, 0xff, 0xfe, 0x00] } });
  const h = parseRtpHeader(b)!;
  assert.equal(readTransportSequenceNumber(b, h, 5), 0xfffe);
  assert.equal(setTransportSequenceNumber(b, h, 5, 0x10001), true); // modulo 2^16
  assert.equal(readTransportSequenceNumber(b, h, 5), 1);
  writeTransportSequenceNumber(b, findHeaderExtension(b, h, 5), 0xabcd);
  assert.equal(readTransportSequenceNumber(b, h, 5), 0xabcd);
  assert.equal(setTransportSequenceNumber(b, h, 6, 1), false);

  const three = makeRtp({ extension: { profile: 0xbede, data: [0x52, 1, 2, 3] } });
  const h3 = parseRtpHeader(three)!;
  assert.equal(readTransportSequenceNumber(three, h3, 5), -1);
  assert.equal(setTransportSequenceNumber(three, h3, 5, 9), false);
  assert.deepEqual([...three.subarray(h3.extensionOffset, h3.extensionOffset + 4)], [0x52, 1, 2, 3]);

  const none = makeRtp();
  assert.equal(readTransportSequenceNumber(none, parseRtpHeader(none)!, 5), -1);
});

test('fuzz: random packets never throw and never read past the extension block', () => {
  const next = makeRandom(8852);
  let found = 0;
  for (let i = 0; i < 20_000; i++) {
    const buf = randomBuffer(next, 64);
    if (buf.length > 16 && (next() & 1) === 0) {
      // Force an extension header so that the fuzz reaches the element walk.
      buf[0] = 0x90;
      buf[12] = 0xbe;
      buf[13] = 0xde;
      if ((next() & 3) === 0) {
        buf[12] = 0x10; // two-byte form
        buf[13] = 0x00;
      }
      buf[14] = 0;
      buf[15] = next() % 6;
    }
    const h = parseRtpHeader(buf);
    if (h === null) continue;
    for (let id = 1; id <= 15; id++) {
      const rid = readRtpStreamId(buf, h, id);
      if (rid !== null) {
        found++;
        assert.ok(rid.length > 0 && rid.length <= h.extensionLength);
        assert.equal(matchRtpStreamId(buf, h, id, rid), true);
      }
      const seq = readTransportSequenceNumber(buf, h, id);
      assert.ok(seq >= -1 && seq <= 0xffff);
    }
  }
  assert.ok(found > 50, `only ${found} rids found; fuzz is too shallow`);
});

/** Adds seq with `addTransportSequenceNumber` and checks that nothing else changed. */
function added(src: Buffer, id: number, seq: number): Buffer {
  const h = parseRtpHeader(src)!;
  const out = Buffer.alloc(src.length + 16);
  const n = addTransportSequenceNumber(src, h, id, seq, out);
  assert.ok(n > 0, 'added');
  const b = out.subarray(0, n);
  const h2 = parseRtpHeader(b);
  assert.ok(h2, 'result parses');
  assert.equal(readTransportSequenceNumber(b, h2, id), seq & 0xffff);
  assert.deepEqual(b.subarray(h2.payloadOffset), src.subarray(h.payloadOffset), 'payload and padding kept');
  for (const k of ['payloadType', 'marker', 'sequenceNumber', 'timestamp', 'ssrc', 'csrcCount', 'paddingLength'] as const) assert.equal(h2[k], h[k]);
  assert.equal(h2.extensionLength % 4, 0);
  return b;
}

test('adds a transport-wide sequence number to a packet without extensions (one-byte block)', () => {
  const b = added(makeRtp({ csrcs: [7, 8], padding: 4, payload: [9, 8, 7] }), 3, 0x1234);
  const h = parseRtpHeader(b)!;
  assert.equal(h.extensionProfile, 0xbede);
  assert.deepEqual([...b.subarray(h.extensionOffset - 4, h.extensionOffset + 4)], [0xbe, 0xde, 0, 1, 0x31, 0x12, 0x34, 0]);
});

test('appends to an existing one-byte block, keeping the other elements', () => {
  const src = makeRtp({ extension: { profile: 0xbede, data: [0x10, 0x31, 0x00, 0x00] } }); // mid "1" and padding
  const b = added(src, 5, 0xfffe);
  const h = parseRtpHeader(b)!;
  assert.equal(h.extensionLength, 8);
  assert.equal(readRtpStreamId(b, h, 1), '1');
});

test('appends to a two-byte block, where ids above 14 fit', () => {
  const src = makeRtp({ extension: { profile: 0x1000, data: [0x01, 0x01, 0x61, 0x00] } });
  const b = added(src, 200, 42);
  const h = parseRtpHeader(b)!;
  assert.equal(h.extensionLength, 8);
  assert.equal(readRtpStreamId(b, h, 1), 'a');
});

test('an element already there is overwritten in the copy; impossible cases give -1', () => {
  const src = makeRtp({ extension: { profile: 0xbede, data: [0x51, 0, 1, 0] } });
  const out = Buffer.alloc(src.length);
  assert.equal(addTransportSequenceNumber(src, parseRtpHeader(src)!, 5, 77, out), src.length);
  assert.equal(readTransportSequenceNumber(out, parseRtpHeader(out)!, 5), 77);
  assert.equal(readTransportSequenceNumber(src, parseRtpHeader(src)!, 5), 1, 'source untouched');

  const plain = makeRtp();
  const h = parseRtpHeader(plain)!;
  const big = Buffer.alloc(plain.length + 8);
  assert.equal(addTransportSequenceNumber(plain, h, 15, 1, big), -1, 'id 15 in the one-byte form');
  assert.equal(addTransportSequenceNumber(plain, h, 0, 1, big), -1, 'id 0');
  assert.equal(addTransportSequenceNumber(plain, h, 3, 1, Buffer.alloc(plain.length + 7)), -1, 'out too small');
  const other = makeRtp({ extension: { profile: 0x1234, data: [0, 0, 0, 0] } });
  assert.equal(addTransportSequenceNumber(other, parseRtpHeader(other)!, 3, 1, big), -1, 'unknown profile');
  const wrongSize = makeRtp({ extension: { profile: 0xbede, data: [0x52, 0, 1, 2] } });
  assert.equal(addTransportSequenceNumber(wrongSize, parseRtpHeader(wrongSize)!, 5, 1, big), -1, 'existing element of 3 bytes');
});

test('fuzz: adding to random valid packets always yields a valid packet', () => {
  const next = makeRandom(3550);
  let done = 0;
  const out = Buffer.alloc(256);
  for (let i = 0; i < 20_000; i++) {
    const buf = Buffer.from(randomBuffer(next, 96));
    const h = parseRtpHeader(buf);
    if (h === null) continue;
    const id = 1 + (next() % 14);
    const n = addTransportSequenceNumber(buf, h, id, i, out);
    if (n < 0) continue;
    done++;
    const h2 = parseRtpHeader(out.subarray(0, n));
    assert.ok(h2, `case ${i}`);
    assert.equal(readTransportSequenceNumber(out.subarray(0, n), h2, id), i & 0xffff, `case ${i}`);
    assert.equal(h2.payloadLength, h.payloadLength);
  }
  assert.ok(done > 100, `only ${done} packets extended`);
});
