import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EPOCHS, epochOf, kidOf, newKeyTag, tagOf } from './key-id.js';

test('a KID carries the key tag and the epoch modulo 65536', () => {
  assert.equal(EPOCHS, 65536);
  assert.equal(kidOf(0, 0), 0);
  assert.equal(kidOf(1, 2), 65538);
  const largest = kidOf(0xffff_ffff, 65535);
  assert.equal(largest, 2 ** 48 - 1);
  assert.ok(Number.isSafeInteger(largest));
  for (const [tag, epoch] of [[7, 0], [0xdead_beef, 12], [0xffff_ffff, 70_000], [123, 65536]] as const) {
    const kid = kidOf(tag, epoch);
    assert.equal(tagOf(kid), tag);
    assert.equal(epochOf(kid), epoch % 65536);
  }
});

test('rejects tags and epochs out of range', () => {
  for (const tag of [-1, 2 ** 32, 1.5, Number.NaN]) assert.throws(() => kidOf(tag, 0), RangeError);
  for (const epoch of [-1, 0.5, Number.POSITIVE_INFINITY]) assert.throws(() => kidOf(1, epoch), RangeError);
});

test('new key tags are non-zero uint32 and differ', () => {
  const tags = new Set(Array.from({ length: 50 }, newKeyTag));
  assert.ok(tags.size > 45);
  for (const tag of tags) assert.ok(Number.isInteger(tag) && tag > 0 && tag <= 0xffff_ffff);
});
