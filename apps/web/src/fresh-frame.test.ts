import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFreshFrame } from './fresh-frame.js';

test('a frame received before the track was attached is the previous source\'s, one received after is new', () => {
  assert.equal(isFreshFrame({ receiveTime: 99 }, 100, 1), false);
  assert.equal(isFreshFrame({ receiveTime: 99 }, 100, 5), false, 'however many stale frames are presented');
  assert.equal(isFreshFrame({ receiveTime: 100 }, 100, 1), true);
  assert.equal(isFreshFrame({ receiveTime: 130 }, 100, 2), true);
});

test('without receive times the first presented frame is taken for the stale one', () => {
  assert.equal(isFreshFrame({}, 100, 1), false);
  assert.equal(isFreshFrame({}, 100, 2), true);
});
