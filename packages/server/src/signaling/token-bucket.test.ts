import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './token-bucket.js';

test('allows a burst, then the steady rate', () => {
  let now = 0;
  const bucket = new TokenBucket(10, 3, () => now);
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
  now += 100; // one token per 100 ms at 10/s
  assert.equal(bucket.take(), true);
  assert.equal(bucket.take(), false);
  now += 10_000; // never more than the burst
  assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
});

test('a take can cost more than one token: refused whole while the bucket has fewer, the tokens kept for cheaper takes', () => {
  let now = 0;
  const bucket = new TokenBucket(100, 250, () => now);
  assert.equal(bucket.take(200), true);
  assert.equal(bucket.take(100), false, '50 left');
  assert.equal(bucket.take(50), true, 'the refused take cost nothing');
  assert.equal(bucket.take(), false);
  now += 1000;
  assert.equal(bucket.take(101), false);
  assert.equal(bucket.take(100), true);
});
