import { test } from 'node:test';
import assert from 'node:assert/strict';
import { focusOf } from './speaker-view.js';

test('the pinned participant is shown large while present, whoever speaks', () => {
  assert.equal(focusOf(['a', 'b', 'c'], 'b', 'c', 'a'), 'b');
  assert.equal(focusOf(['a', 'c'], 'b', 'c', 'a'), 'c', 'a pinned participant who left gives way to the speaker');
});

test('without a pin the active speaker is large; in a pause the last one stays; alone, nobody', () => {
  assert.equal(focusOf(['a', 'b'], null, 'b', 'a'), 'b');
  assert.equal(focusOf(['a', 'b'], null, null, 'b'), 'b');
  assert.equal(focusOf(['a', 'b'], null, 'me', 'gone'), 'a', 'our own voice or a departed speaker falls back to the first');
  assert.equal(focusOf([], 'a', 'a', 'a'), null);
});
