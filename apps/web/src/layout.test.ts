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
