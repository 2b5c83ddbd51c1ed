import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeqNewer, isTsNewer, seqAdd, seqDiff, tsAdd, tsDiff } from './sequence.js';

test('seqDiff is the signed 16-bit distance', () => {
  assert.equal(seqDiff(5, 3), 2);
  assert.equal(seqDiff(3, 5), -2);
  assert.equal(seqDiff(0, 65535), 1);
  assert.equal(seqDiff(65535, 0), -1);
  assert.equal(seqDiff(100, 100), 0);
  assert.equal(seqDiff(32767, 0), 32767);
  assert.equal(seqDiff(32768, 0), -32768);
  assert.equal(seqDiff(0, 32768), -32768);
});

test('isSeqNewer follows RFC 1982 across the wrap', () => {
  assert.ok(isSeqNewer(0, 65535));
  assert.ok(isSeqNewer(10, 65000));
  assert.ok(!isSeqNewer(65535, 0));
  assert.ok(!isSeqNewer(7, 7));
  assert.ok(!isSeqNewer(32768, 0));
  assert.ok(!isSeqNewer(0, 32768));
});

test('seqAdd wraps both ways', () => {
  assert.equal(seqAdd(65535, 1), 0);
  assert.equal(seqAdd(0, -1), 65535);
  assert.equal(seqAdd(100, 70000), (100 + 70000) % 65536);
});

test('tsDiff and isTsNewer handle the 32-bit wrap', () => {
  assert.equal(tsDiff(0, 0xffffffff), 1);
  assert.equal(tsDiff(0xffffffff, 0), -1);
  assert.equal(tsDiff(3000, 0), 3000);
  assert.equal(tsDiff(0x7fffffff, 0), 0x7fffffff);
  assert.equal(tsDiff(0x80000000, 0), -0x80000000);
  assert.ok(isTsNewer(100, 0xffffff00));
  assert.ok(!isTsNewer(0xffffff00, 100));
});

test('tsAdd returns an unsigned 32-bit value', () => {
  assert.equal(tsAdd(0xffffffff, 1), 0);
  assert.equal(tsAdd(0, -1), 0xffffffff);
  assert.equal(tsAdd(0xfffffff0, 0x20), 0x10);
});
