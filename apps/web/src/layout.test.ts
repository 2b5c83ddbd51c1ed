import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aspectFor, gridLayout } from './layout.js';

test('a single tile fills the limiting dimension', () => {
  assert.deepEqual(gridLayout(1, 1600, 900, 0), { columns: 1, rows: 1, width: 1600, height: 900 });
  assert.deepEqual(gridLayout(1, 1600, 450, 0), { columns: 1, rows: 1, width: 800, height: 450 });
});

test('wide screens put people side by side, phones stack them', () => {
  assert.equal(gridLayout(2, 1600, 900).columns, 2);
  assert.equal(gridLayout(2, 390, 700).columns, 1);
  assert.equal(gridLayout(4, 1600, 900).columns, 2);
  const phone = gridLayout(5, 390, 700);
  assert.ok(phone.columns <= 2, `phone got ${phone.columns} columns`);
});

test('tiles always fit inside the area', () => {
  for (const [count, w, h] of [[3, 1280, 720], [7, 1920, 1080], [9, 390, 600], [16, 800, 500]] as const) {
    const g = gridLayout(count, w, h);
    assert.ok(g.columns * g.rows >= count);
    assert.ok(g.columns * g.width + 8 * (g.columns - 1) <= w, `width overflow for ${count}`);
    assert.ok(g.rows * g.height + 8 * (g.rows - 1) <= h, `height overflow for ${count}`);
  }
});

test('on a portrait stage tiles stretch to fill, within 3:4 to 16:9', () => {
  const aspect = aspectFor(374, 680);
  const two = gridLayout(2, 374, 680, 8, aspect);
  assert.deepEqual([two.columns, two.rows], [1, 2]);
  assert.equal(two.width, 374);
  assert.equal(two.height, 336, 'each of the two fills half the height');
  const one = gridLayout(1, 374, 680, 8, aspect);
  assert.equal(Math.round((one.width / one.height) * 100), 75, 'a single tile stops at 3:4');
  assert.deepEqual(aspectFor(1280, 720), { min: 16 / 9, max: 16 / 9 });
});

test('tiles per page follow the stage and stop at 25', async () => {
  const { tilesPerPage, MAX_TILES_PER_PAGE } = await import('./layout.js');
  assert.equal(tilesPerPage(3000, 2000), MAX_TILES_PER_PAGE);
  assert.equal(tilesPerPage(150, 80), 1, 'a tiny stage still shows one');
  const laptop = tilesPerPage(900, 640, 12);
  assert.ok(laptop >= 9 && laptop <= 20, `laptop got ${laptop}`);
  const phone = tilesPerPage(374, 600, 8);
  assert.ok(phone >= 2 && phone <= 8, `phone got ${phone}`);
});

test('pages: the active speaker joins the first page, others keep their places', async () => {
  const { pageCount, pageItems } = await import('./layout.js');
  const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  assert.equal(pageCount(7, 3), 3);
  assert.equal(pageCount(0, 3), 1);
  assert.deepEqual(pageItems(ids, 3, 0, null), ['a', 'b', 'c']);
  assert.deepEqual(pageItems(ids, 3, 2, null), ['g']);
  assert.deepEqual(pageItems(ids, 3, 9, null), ['g'], 'a page past the end shows the last one');
  assert.deepEqual(pageItems(ids, 3, 0, 'f'), ['a', 'b', 'f']);
  assert.deepEqual(pageItems(ids, 3, 1, 'f'), ['c', 'd', 'e']);
  assert.deepEqual(pageItems(ids, 3, 0, 'b'), ['a', 'b', 'c'], 'already on the first page: nothing moves');
  assert.deepEqual(pageItems(ids, 3, 0, 'zz'), ['a', 'b', 'c']);
});
