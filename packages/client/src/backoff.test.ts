import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

test('doubles from the initial delay and stops at the cap', () => {
  const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };
  const delays = Array.from({ length: 8 }, (_, attempt) => backoffDelay(attempt, noJitter));
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
});

test('jitter only shortens the delay, by at most the jitter fraction', () => {
  assert.equal(backoffDelay(10, DEFAULT_BACKOFF, () => 0), 5000);
  assert.equal(backoffDelay(10, DEFAULT_BACKOFF, () => 0.999999), 4000);
  assert.equal(backoffDelay(0, DEFAULT_BACKOFF, () => 0.5), 225);
});
