import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearPrefixLength, isVp8KeyFrame } from './clear-prefix.js';

// A 640x360 VP8 key frame: frame tag (key frame, version 0, shown, partition size), start code, size.
const KEY_FRAME = new Uint8Array([0x50, 0x2d, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01, 0x11, 0x22, 0x33]);
// A delta frame: bit 0 of the first byte set.
const DELTA_FRAME = new Uint8Array([0x31, 0x04, 0x00, 0xaa, 0xbb, 0xcc]);

test('VP8 key frames keep 10 bytes in clear: tag, start code, width and height', () => {
  assert.equal(isVp8KeyFrame(KEY_FRAME), true);
  assert.equal(clearPrefixLength('video', KEY_FRAME), 10);
});

test('VP8 delta frames keep the 3-byte frame tag in clear', () => {
  assert.equal(isVp8KeyFrame(DELTA_FRAME), false);
  assert.equal(clearPrefixLength('video', DELTA_FRAME), 3);
});

test('Opus frames keep nothing in clear', () => {
  assert.equal(clearPrefixLength('audio', new Uint8Array([0x78, 0x01, 0x02, 0x03])), 0);
  assert.equal(clearPrefixLength('audio', KEY_FRAME), 0);
});

test('a frame shorter than its prefix stays in clear whole', () => {
  assert.equal(clearPrefixLength('video', new Uint8Array(0)), 0);
  assert.equal(clearPrefixLength('video', KEY_FRAME.subarray(0, 1)), 1);
  assert.equal(clearPrefixLength('video', KEY_FRAME.subarray(0, 9)), 9);
  assert.equal(clearPrefixLength('video', KEY_FRAME.subarray(0, 10)), 10);
  assert.equal(clearPrefixLength('video', DELTA_FRAME.subarray(0, 2)), 2);
  assert.equal(clearPrefixLength('audio', new Uint8Array(0)), 0);
});
