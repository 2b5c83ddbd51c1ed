import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridLayout } from './layout.js';

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
