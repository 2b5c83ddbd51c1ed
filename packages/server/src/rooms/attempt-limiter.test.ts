import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptLimiter } from './attempt-limiter.js';

test('a key is blocked after `limit` attempts within the window, and free again once they leave it', () => {
  let now = 0;
  const limiter = new AttemptLimiter(3, 60_000, 100, () => now);
  for (let i = 0; i < 3; i++) {
    assert.equal(limiter.blocked('a'), false);
    limiter.record('a');
    now += 1000;
  }
  assert.equal(limiter.blocked('a'), true);
  assert.equal(limiter.blocked('b'), false, 'other keys are not affected');
  assert.equal(limiter.retryAfterMs('a'), 57_000);
  now = 59_999;
  assert.equal(limiter.blocked('a'), true, 'the first attempt is still inside the window');
  now = 60_000;
  assert.equal(limiter.blocked('a'), false, 'the first attempt left the window');
  assert.equal(limiter.retryAfterMs('a'), 0);
});

test('take records only when not blocked', () => {
  let now = 0;
  const limiter = new AttemptLimiter(2, 1000, 100, () => now);
  assert.deepEqual([limiter.take('k'), limiter.take('k'), limiter.take('k')], [true, true, false]);
  now = 1001;
  assert.equal(limiter.take('k'), true, 'refused attempts did not extend the block');
});

test('memory is bounded: beyond maxKeys the least recently used key is forgotten', () => {
  const limiter = new AttemptLimiter(1, 60_000, 2, () => 0);
  limiter.record('a');
  limiter.record('b');
  limiter.record('a');
  limiter.record('c');
  assert.equal(limiter.blocked('a'), true);
  assert.equal(limiter.blocked('c'), true);
  assert.equal(limiter.blocked('b'), false, 'the least recently used key was dropped');
});

test('release refunds the latest attempt (a right guess does not count)', () => {
  const limiter = new AttemptLimiter(2, 60_000, 100, () => 0);
  limiter.record('k');
  limiter.record('k');
  assert.equal(limiter.blocked('k'), true);
  limiter.release('k');
  assert.equal(limiter.blocked('k'), false);
  limiter.release('k');
  limiter.release('k');
  assert.equal(limiter.take('k'), true);
  assert.equal(limiter.take('k'), true);
  assert.equal(limiter.take('k'), false);
});
