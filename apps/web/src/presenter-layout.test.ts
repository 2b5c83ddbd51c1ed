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
  const phone = presenterLayout(404, 600, 8);
  assert.equal(phone.strip, 'below');
  assert.ok(phone.tile.height <= 600 / 4 + 1);
  assert.equal(phone.screen.width, 404);
  assert.equal(phone.screen.height, 600 - phone.tile.height - 8);
  const tiny = presenterLayout(0, 0);
  assert.ok(tiny.screen.width >= 0 && tiny.screen.height >= 0 && tiny.tile.width >= 0 && tiny.perStrip >= 1);
});

test('the strip always holds someone else and the self view', () => {
  for (const [w, h] of [[404, 600], [320, 560], [1200, 260], [700, 300], [1280, 720]] as const) {
    const layout = presenterLayout(w, h, 8);
    assert.ok(layout.perStrip >= 2, `${w}×${h}: ${layout.perStrip} place(s)`);
    const used = layout.strip === 'side' ? 2 * layout.tile.height + 8 : 2 * layout.tile.width + 8;
    assert.ok(used <= (layout.strip === 'side' ? h : w), `${w}×${h}: two tiles do not fit`);
  }
});
