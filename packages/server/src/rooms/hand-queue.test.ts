import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandQueue } from './hand-queue.js';

test('hands queue in raise order; raising again keeps the place; lowering reports a change only once', () => {
  const hands = new HandQueue();
  assert.equal(hands.raise('b'), true);
  assert.equal(hands.raise('a'), true);
  assert.equal(hands.raise('b'), false);
  assert.deepEqual(hands.queue, ['b', 'a']);
  assert.equal(hands.lower('b'), true);
  assert.equal(hands.lower('b'), false);
  assert.deepEqual(hands.queue, ['a']);
});
