import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isVp8Keyframe,
  isVp8PictureId15Bit,
  readVp8KeyframeSize,
  readVp8PictureId,
  readVp8TemporalLayer,
  readVp8Tl0PicIdx,
  setVp8PictureId,
  setVp8Tl0PicIdx,
  vp8DescriptorEnd,
} from './vp8.js';
import { makeRandom } from './testkit.js';

// Payload header of a key frame: P bit 0, then the start code (RFC 7741 §4.3, RFC 6386 §9.1).
const KEY = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a];
const DELTA = [0x11, 0x02, 0x00];

function at(bytes: number[], lead = 5): [Uint8Array, number, number] {
  // Place the payload at a non-zero offset, like inside an RTP packet.
  const buf = new Uint8Array(lead + bytes.length + 3);
  buf.set(bytes, lead);
  return [buf, lead, bytes.length];
}

test('key frame without extensions', () => {
  assert.equal(isVp8Keyframe(...at([0x10, ...KEY])), true);
  assert.equal(isVp8Keyframe(...at([0x10, ...DELTA])), false);
});

test('key frame only at the start of partition 0', () => {
  assert.equal(isVp8Keyframe(...at([0x00, ...KEY])), false); // S=0: continuation
  assert.equal(isVp8Keyframe(...at([0x11, ...KEY])), false); // PID=1
  assert.equal(isVp8Keyframe(...at([0x30, ...KEY])), true); // N (non-reference) bit does not matter
});

test('key frame behind a full descriptor with 15-bit picture id', () => {
  // X=1,S=1 | I,L,T,K | M=1 picture id 0x1234 | TL0PICIDX 7 | TID 2, Y, KEYIDX 3
  const d = [0x90, 0xf0, 0x80 | 0x12, 0x34, 7, (2 << 6) | 0x20 | 3];
  assert.equal(vp8DescriptorEnd(...at([...d, ...KEY])), 5 + d.length);
  assert.equal(isVp8Keyframe(...at([...d, ...KEY])), true);
  assert.equal(isVp8Keyframe(...at([...d, ...DELTA])), false);
  assert.equal(readVp8PictureId(...at([...d, ...KEY])), 0x1234);
  assert.equal(isVp8PictureId15Bit(...at([...d, ...KEY])), true);
  assert.equal(readVp8Tl0PicIdx(...at([...d, ...KEY])), 7);
  assert.equal(readVp8TemporalLayer(...at([...d, ...KEY])), 2);
});

test('7-bit picture id, and absent fields', () => {
  const d = [0x90, 0x80, 0x55];
  assert.equal(readVp8PictureId(...at([...d, ...DELTA])), 0x55);
  assert.equal(isVp8PictureId15Bit(...at([...d, ...DELTA])), false);
  assert.equal(readVp8Tl0PicIdx(...at([...d, ...DELTA])), -1);
  assert.equal(readVp8TemporalLayer(...at([...d, ...DELTA])), -1);
  assert.equal(readVp8PictureId(...at([0x10, ...DELTA])), -1);
  assert.equal(readVp8PictureId(...at([0x90, 0x40, 9, ...DELTA])), -1); // X but no I
  assert.equal(readVp8Tl0PicIdx(...at([0x90, 0x40, 9, ...DELTA])), 9); // L without I
  assert.equal(readVp8TemporalLayer(...at([0x90, 0x20, 0x40, ...DELTA])), 1); // T only
});

test('setVp8PictureId keeps the field width', () => {
  const [b15, o15, l15] = at([0x90, 0x80, 0x80, 0x01, ...DELTA]);
  assert.equal(setVp8PictureId(b15, o15, l15, 0x7fff), true);
  assert.equal(readVp8PictureId(b15, o15, l15), 0x7fff);
  assert.equal(setVp8PictureId(b15, o15, l15, 0x8001), true); // wraps modulo 2^15
  assert.equal(readVp8PictureId(b15, o15, l15), 1);
  assert.equal(isVp8PictureId15Bit(b15, o15, l15), true);
  const [b7, o7, l7] = at([0x90, 0x80, 0x01, ...DELTA]);
  assert.equal(setVp8PictureId(b7, o7, l7, 200), true);
  assert.equal(readVp8PictureId(b7, o7, l7), 200 & 0x7f);
  const [bn, on, ln] = at([0x10, ...DELTA]);
  assert.equal(setVp8PictureId(bn, on, ln, 5), false);
  assert.deepEqual([...bn], [...at([0x10, ...DELTA])[0]]);
});

test('setVp8Tl0PicIdx', () => {
  const [b, o, l] = at([0x90, 0xc0, 0x80, 0x01, 5, ...DELTA]);
  assert.equal(setVp8Tl0PicIdx(b, o, l, 256 + 3), true);
  assert.equal(readVp8Tl0PicIdx(b, o, l), 3);
  assert.equal(readVp8PictureId(b, o, l), 1);
  assert.equal(setVp8Tl0PicIdx(...at([0x10, ...DELTA]), 1), false);
});

test('truncated descriptors are rejected, not read past the payload', () => {
  const full = [0x90, 0xf0, 0x80 | 0x12, 0x34, 7, 0x80, ...KEY];
  for (let len = 0; len < 7; len++) {
    // The buffer holds the full descriptor, but the payload length says it is cut short.
    const [b, o] = at(full);
    assert.equal(isVp8Keyframe(b, o, len), false, `len ${len}`);
    if (len < 4) assert.equal(readVp8PictureId(b, o, len), -1, `len ${len}`);
    if (len < 5) assert.equal(readVp8Tl0PicIdx(b, o, len), -1, `len ${len}`);
    if (len < 6) assert.equal(readVp8TemporalLayer(b, o, len), -1, `len ${len}`);
    if (len < 6) assert.equal(vp8DescriptorEnd(b, o, len), -1, `len ${len}`);
  }
  assert.equal(isVp8Keyframe(new Uint8Array(0), 0, 0), false);
});

test('fuzz: random payloads never throw and never report offsets beyond the payload', () => {
  const next = makeRandom(7741);
  for (let i = 0; i < 20_000; i++) {
    const len = next() % 12;
    const buf = new Uint8Array(len + 4);
    for (let j = 0; j < buf.length; j++) buf[j] = next() & 0xff;
    const off = 2;
    const payloadLength = Math.max(0, len - 2);
    isVp8Keyframe(buf, off, payloadLength);
    const end = vp8DescriptorEnd(buf, off, payloadLength);
    assert.ok(end <= off + payloadLength);
    const pid = readVp8PictureId(buf, off, payloadLength);
    assert.ok(pid >= -1 && pid <= 0x7fff);
    readVp8Tl0PicIdx(buf, off, payloadLength);
    readVp8TemporalLayer(buf, off, payloadLength);
    const copy = buf.slice();
    setVp8PictureId(buf, off, payloadLength, 0x7fff);
    setVp8Tl0PicIdx(buf, off, payloadLength, 0xff);
    // Writes never touch bytes outside the payload.
    for (let j = 0; j < off; j++) assert.equal(buf[j], copy[j]);
    for (let j = off + payloadLength; j < buf.length; j++) assert.equal(buf[j], copy[j]);
  }
});

test('key frame size (RFC 6386 §9.1), scale bits ignored', () => {
  // frame tag (key, show), start code, width 1280 | scale 2 << 14, height 720 | scale 1 << 14
  const key = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05 | 0x80, 0xd0, 0x02 | 0x40];
  assert.equal(readVp8KeyframeSize(...at([0x10, ...key])), (1280 << 16) | 720);
  const d = [0x90, 0xe0, 0x80 | 0x12, 0x34, 7, 2 << 6];
  assert.equal(readVp8KeyframeSize(...at([...d, ...key])), (1280 << 16) | 720);
  // maximum 14-bit dimensions stay positive
  const big = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0xff, 0xff, 0xff, 0xff];
  assert.equal(readVp8KeyframeSize(...at([0x10, ...big])), (0x3fff << 16) | 0x3fff);
});

test('key frame size is -1 unless this packet starts a key frame and holds the whole header', () => {
  const key = [0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x05, 0xd0, 0x02];
  assert.equal(readVp8KeyframeSize(...at([0x00, ...key])), -1, 'S=0');
  assert.equal(readVp8KeyframeSize(...at([0x12, ...key])), -1, 'partition 2');
  assert.equal(readVp8KeyframeSize(...at([0x10, 0x11, ...key.slice(1)])), -1, 'interframe');
  assert.equal(readVp8KeyframeSize(...at([0x10, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2b, 0, 5, 0xd0, 2])), -1, 'bad start code');
  for (let n = 1; n <= key.length; n++) {
    assert.equal(readVp8KeyframeSize(...at([0x10, ...key].slice(0, n))), -1, `${n} bytes`);
  }
  assert.equal(readVp8KeyframeSize(...at([0x90, 0x80])), -1, 'descriptor cut short');
});

test('fuzz: key frame size never throws and never reads past the payload', () => {
  const next = makeRandom(6386);
  for (let i = 0; i < 20_000; i++) {
    const n = next() % 24;
    const bytes: number[] = [];
    for (let k = 0; k < n; k++) bytes.push(next() & 0xff);
    if (n > 0 && (next() & 1) === 0) bytes[0] = (bytes[0]! & 0xe0) | 0x10;
    const [buf, off, len] = at(bytes, 2);
    // Poison the bytes after the payload: a read beyond it would change the result.
    buf.fill(0x9d, off + len);
    const size = readVp8KeyframeSize(buf, off, len);
    buf.fill(0x00, off + len);
    assert.equal(readVp8KeyframeSize(buf, off, len), size);
    assert.ok(size === -1 || size >= 0);
  }
});
