import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presenterLayout, shareOrder, shownShare, STRIP_TILE_WIDTH } from './presenter-layout.js';

test('sharers keep their place and new ones go last, so the newest share is the last', () => {
  assert.deepEqual(shareOrder([], ['a']), ['a']);
  assert.deepEqual(shareOrder(['a'], ['b', 'a']), ['a', 'b']);
  assert.deepEqual(shareOrder(['a', 'b'], ['b']), ['b']);
  assert.deepEqual(shareOrder(['a', 'b'], ['c', 'a', 'b']), ['a', 'b', 'c']);
  assert.deepEqual(shareOrder(['a'], []), []);
});

test('the share shown large is the picked one while it lasts, else the newest, else none', () => {
  assert.equal(shownShare(['a', 'b'], null), 'b');
  assert.equal(shownShare(['a', 'b'], 'a'), 'a');
  assert.equal(shownShare(['b'], 'a'), 'b');
  assert.equal(shownShare([], 'a'), null);
});

test('a wide stage puts small camera tiles beside the screen, which keeps most of the width', () => {
  const layout = presenterLayout(1200, 600, 12);
  assert.equal(layout.strip, 'side');
  assert.equal(layout.tile.width, STRIP_TILE_WIDTH);
  assert.equal(layout.tile.height, 135);
  assert.equal(layout.screen.width, 1200 - 240 - 12);
  assert.equal(layout.screen.height, 600);
  assert.equal(layout.perStrip, 4); // 4 × 135 + 3 × 12 = 576 ≤ 600
  assert.ok(layout.screen.width * layout.screen.height > 10 * layout.tile.width * layout.tile.height);
});

test('a tall stage puts the strip below; nothing is negative or empty on a tiny stage', () => {
  const phone = presenterLayout(390, 700, 8);
  assert.equal(phone.strip, 'below');
  assert.ok(phone.tile.width <= 390 && phone.tile.height <= 700 / 4 + 1);
  assert.equal(phone.screen.width, 390);
  assert.equal(phone.screen.height, 700 - phone.tile.height - 8);
  assert.ok(phone.perStrip >= 1);
  const tiny = presenterLayout(0, 0);
  assert.ok(tiny.screen.width >= 0 && tiny.screen.height >= 0 && tiny.perStrip === 1);
});
