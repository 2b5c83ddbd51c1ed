import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
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
