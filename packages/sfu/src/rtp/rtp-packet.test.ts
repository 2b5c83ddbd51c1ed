import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRtpHeader,
  extensionLengthAt,
  findHeaderExtension,
  headerExtensionLength,
  isRtcp,
  parseRtpHeader,
  parseRtpHeaderInto,
  readSequenceNumber,
  readSsrc,
  readTimestamp,
  setMarker,
  setPayloadType,
  setSequenceNumber,
  setSsrc,
  setTimestamp,
} from './rtp-packet.js';
import { makeRandom, makeRtp, randomBuffer } from './testkit.js';

test('parses a minimal packet', () => {
  const h = parseRtpHeader(makeRtp({ payloadType: 111, marker: true, sequenceNumber: 65535, timestamp: 0xfffffffe, ssrc: 0xdeadbeef }));
  assert.ok(h);
  assert.equal(h.payloadType, 111);
  assert.equal(h.marker, true);
  assert.equal(h.sequenceNumber, 65535);
  assert.equal(h.timestamp, 0xfffffffe);
  assert.equal(h.ssrc, 0xdeadbeef);
  assert.equal(h.csrcCount, 0);
  assert.equal(h.hasExtension, false);
  assert.equal(h.extensionOffset, 0);
  assert.equal(h.payloadOffset, 12);
  assert.equal(h.payloadLength, 4);
  assert.equal(h.paddingLength, 0);
});

test('accounts for CSRCs, extension and padding', () => {
  const buf = makeRtp({
    csrcs: [1, 2],
    extension: { profile: 0xbede, data: [0x10, 0xaa, 0, 0] },
    payload: [9, 9, 9],
    padding: 5,
  });
  const h = parseRtpHeader(buf);
  assert.ok(h);
  assert.equal(h.csrcCount, 2);
  assert.equal(h.hasExtension, true);
  assert.equal(h.extensionProfile, 0xbede);
  assert.equal(h.extensionOffset, 12 + 8 + 4);
  assert.equal(h.extensionLength, 4);
  assert.equal(h.payloadOffset, 12 + 8 + 8);
  assert.equal(h.payloadLength, 3);
  assert.equal(h.paddingLength, 5);
});

test('a packet with an empty payload is valid', () => {
  const h = parseRtpHeader(makeRtp({ payload: [] }));
  assert.ok(h);
  assert.equal(h.payloadLength, 0);
});

test('rejects malformed packets', () => {
  const good = makeRtp({ csrcs: [7], extension: { profile: 0xbede, data: [0x10, 1, 0, 0] } });
  assert.ok(parseRtpHeader(good));
  // truncated anywhere
  for (let len = 0; len < 12; len++) assert.equal(parseRtpHeader(good.subarray(0, len)), null, `len ${len}`);
  // truncated inside the CSRC list or the extension
  for (let len = 12; len < 24; len++) assert.equal(parseRtpHeader(good.subarray(0, len)), null, `len ${len}`);
  // wrong versions
  for (const v of [0, 1, 3]) {
    const b = Buffer.from(good);
    b[0] = (b[0]! & 0x3f) | (v << 6);
    assert.equal(parseRtpHeader(b), null, `version ${v}`);
  }
  // CSRC count overflowing the buffer
  const csrc = makeRtp({ payload: [1, 2, 3, 4] });
  csrc[0] = 0x80 | 15;
  assert.equal(parseRtpHeader(csrc), null);
  // extension length overflowing the buffer
  const ext = Buffer.from(good);
  ext.writeUInt16BE(0xffff, 12 + 4 + 2);
  assert.equal(parseRtpHeader(ext), null);
  // extension bit set but no room for the extension header
  const noExt = makeRtp({ payload: [1, 2] });
  noExt[0] = noExt[0]! | 0x10;
  assert.equal(parseRtpHeader(noExt), null);
});

test('rejects bad padding', () => {
  const longPad = makeRtp({ payload: [1, 2, 3], padding: 1 });
  longPad[longPad.length - 1] = 200; // longer than the packet
  assert.equal(parseRtpHeader(longPad), null);
  const zeroPad = makeRtp({ payload: [1, 2, 3], padding: 1 });
  zeroPad[zeroPad.length - 1] = 0; // count includes itself, so 0 is impossible
  assert.equal(parseRtpHeader(zeroPad), null);
  const intoHeader = makeRtp({ payload: [], padding: 2 });
  intoHeader[intoHeader.length - 1] = 3; // would eat into the fixed header
  assert.equal(parseRtpHeader(intoHeader), null);
  const allPadding = makeRtp({ payload: [], padding: 4 });
  assert.equal(parseRtpHeader(allPadding)?.payloadLength, 0);
});

test('RFC 5761 demux: RTCP packet types are not RTP', () => {
  for (let b1 = 192; b1 <= 223; b1++) {
    const b = makeRtp();
    b[1] = b1;
    assert.equal(isRtcp(b), true);
    assert.equal(parseRtpHeader(b), null);
  }
  for (const b1 of [0, 96, 111, 127, 128, 191, 224, 255]) {
    const b = makeRtp();
    b[1] = b1;
    assert.equal(isRtcp(b), false);
    assert.ok(parseRtpHeader(b));
  }
  assert.equal(isRtcp(new Uint8Array(0)), false);
  assert.equal(isRtcp(new Uint8Array([0x80])), false);
});

test('parseRtpHeaderInto reuses the caller object', () => {
  const out = createRtpHeader();
  assert.equal(parseRtpHeaderInto(makeRtp({ sequenceNumber: 1 }), out), true);
  assert.equal(out.sequenceNumber, 1);
  assert.equal(parseRtpHeaderInto(makeRtp({ sequenceNumber: 2 }), out), true);
  assert.equal(out.sequenceNumber, 2);
  assert.equal(parseRtpHeaderInto(new Uint8Array(3), out), false);
});

test('readers and in-place writers', () => {
  const b = makeRtp({ sequenceNumber: 1, timestamp: 2, ssrc: 3, marker: true, payloadType: 96 });
  setSequenceNumber(b, 0xfffe);
  setTimestamp(b, 0xfedcba98);
  setSsrc(b, 0x89abcdef);
  assert.equal(readSequenceNumber(b), 0xfffe);
  assert.equal(readTimestamp(b), 0xfedcba98);
  assert.equal(readSsrc(b), 0x89abcdef);
  setSequenceNumber(b, 65536 + 5); // reduced modulo 2^16
  assert.equal(readSequenceNumber(b), 5);
  setPayloadType(b, 120);
  const h = parseRtpHeader(b);
  assert.equal(h?.payloadType, 120);
  assert.equal(h?.marker, true);
  setMarker(b, false);
  assert.equal(parseRtpHeader(b)?.marker, false);
  assert.equal(parseRtpHeader(b)?.payloadType, 120);
});

test('finds one-byte header extensions (RFC 8285 §4.2), skipping padding', () => {
  // id 1 len 1 (2 bytes), padding 0, id 3 len 3 (4 bytes), padding to a word
  const data = [0x11, 0xaa, 0xbb, 0x00, 0x33, 1, 2, 3, 4, 0, 0, 0];
  const b = makeRtp({ extension: { profile: 0xbede, data } });
  const h = parseRtpHeader(b)!;
  const at1 = findHeaderExtension(b, h, 1);
  assert.equal(at1, h.extensionOffset + 1);
  assert.equal(b[at1], 0xaa);
  assert.equal(extensionLengthAt(b, h, at1), 2);
  const at3 = findHeaderExtension(b, h, 3);
  assert.equal(b[at3], 1);
  assert.equal(headerExtensionLength(b, h, 3), 4);
  assert.equal(findHeaderExtension(b, h, 2), -1);
  assert.equal(findHeaderExtension(b, h, 15), -1);
  assert.equal(findHeaderExtension(b, h, 0), -1);
  assert.equal(headerExtensionLength(b, h, 2), -1);
});

test('one-byte form stops at the reserved id 15', () => {
  const b = makeRtp({ extension: { profile: 0xbede, data: [0xf0, 0x21, 0xaa, 0] } });
  const h = parseRtpHeader(b)!;
  assert.equal(findHeaderExtension(b, h, 2), -1);
});

test('one-byte element overrunning the extension block is not returned', () => {
  const b = makeRtp({ extension: { profile: 0xbede, data: [0x00, 0x00, 0x1f, 0xaa] }, payload: new Uint8Array(32) });
  const h = parseRtpHeader(b)!;
  assert.equal(findHeaderExtension(b, h, 1), -1);
});

test('finds two-byte header extensions (RFC 8285 §4.3)', () => {
  const data = [0x00, 0x20, 0x03, 7, 8, 9, 0xc8, 0x00, 0x05, 0x01, 5, 0];
  const b = makeRtp({ extension: { profile: 0x1003, data } });
  const h = parseRtpHeader(b)!;
  const at = findHeaderExtension(b, h, 0x20);
  assert.equal(b[at], 7);
  assert.equal(headerExtensionLength(b, h, 0x20), 3);
  const empty = findHeaderExtension(b, h, 0xc8);
  assert.ok(empty > 0);
  assert.equal(headerExtensionLength(b, h, 0xc8), 0);
  assert.equal(b[findHeaderExtension(b, h, 5)], 5);
  assert.equal(findHeaderExtension(b, h, 6), -1);
  assert.equal(findHeaderExtension(b, h, 300), -1);
  // overrunning length
  const bad = makeRtp({ extension: { profile: 0x1000, data: [0x05, 0x09, 1, 2] }, payload: new Uint8Array(32) });
  assert.equal(findHeaderExtension(bad, parseRtpHeader(bad)!, 5), -1);
});

test('unknown extension profiles and absent extensions yield -1', () => {
  const other = makeRtp({ extension: { profile: 0x1234, data: [0x10, 1, 0, 0] } });
  assert.equal(findHeaderExtension(other, parseRtpHeader(other)!, 1), -1);
  const none = makeRtp();
  assert.equal(findHeaderExtension(none, parseRtpHeader(none)!, 1), -1);
});

test('fuzz: 20k random buffers never throw and parsed headers stay in bounds', () => {
  const next = makeRandom(0x5eed);
  let parsed = 0;
  for (let i = 0; i < 20_000; i++) {
    const buf = randomBuffer(next, 96);
    isRtcp(buf);
    const h = parseRtpHeader(buf);
    if (h === null) continue;
    parsed++;
    assert.ok(h.payloadOffset + h.payloadLength + h.paddingLength === buf.length);
    assert.ok(h.payloadLength >= 0);
    for (let id = 0; id <= 16; id++) {
      const at = findHeaderExtension(buf, h, id);
      if (at >= 0) {
        const len = extensionLengthAt(buf, h, at);
        assert.ok(at + len <= h.extensionOffset + h.extensionLength);
      }
    }
  }
  assert.ok(parsed > 100, `only ${parsed} random buffers parsed; fuzz is too shallow`);
});
