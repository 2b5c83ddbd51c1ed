import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STROKE_POINTS, STROKE_COLORS, type Stroke } from '@treff/client';
import { simplify, strokePoints, strokesHit, toBoardPoint } from './whiteboard-geometry.js';

test('a pointer maps to the board when the board fills its box exactly', () => {
  const rect = { left: 100, top: 50, width: 800, height: 450 };
  assert.deepEqual(toBoardPoint(100, 50, rect), [0, 0]);
  assert.deepEqual(toBoardPoint(900, 500, rect), [1600, 900]);
  assert.deepEqual(toBoardPoint(500, 275, rect), [800, 450]);
  assert.deepEqual(toBoardPoint(100.3, 50.2, rect), [1, 0], 'rounded to whole board units');
});

test('a pointer maps past the margins of a box wider or taller than 16:9', () => {
  // 1000×450: the board is 800 wide, centred, with 100 px of margin each side.
  const wide = { left: 0, top: 0, width: 1000, height: 450 };
  assert.deepEqual(toBoardPoint(100, 0, wide), [0, 0]);
  assert.deepEqual(toBoardPoint(500, 225, wide), [800, 450]);
  // 800×650: the board is 450 tall with 100 px above and below.
  const tall = { left: 0, top: 0, width: 800, height: 650 };
  assert.deepEqual(toBoardPoint(400, 100, tall), [800, 0]);
  assert.deepEqual(toBoardPoint(800, 550, tall), [1600, 900]);
});

test('a pointer outside the board is kept on its edge; an empty box maps to the corner', () => {
  const rect = { left: 0, top: 0, width: 800, height: 450 };
  assert.deepEqual(toBoardPoint(-50, 900, rect), [0, 900]);
  assert.deepEqual(toBoardPoint(5000, -3, rect), [1600, 0]);
  assert.deepEqual(toBoardPoint(10, 10, { left: 0, top: 0, width: 0, height: 0 }), [0, 0]);
});

test('simplify drops points on a straight line and keeps the corners', () => {
  const line = [0, 0, 10, 0, 20, 0, 30, 0, 30, 10, 30, 20];
  assert.deepEqual(simplify(line, 0.5), [0, 0, 30, 0, 30, 20]);
  assert.deepEqual(simplify([0, 0, 10, 1, 20, 0], 0.5), [0, 0, 10, 1, 20, 0], 'a bend beyond the tolerance stays');
  assert.deepEqual(simplify([0, 0, 10, 1, 20, 0], 2), [0, 0, 20, 0]);
  assert.deepEqual(simplify([5, 5], 1), [5, 5]);
});

test('strokePoints drops repeats and always fits the point limit', () => {
  assert.deepEqual(strokePoints([3, 4, 3, 4, 3, 4]), [3, 4], 'a click is a dot');
  // A zigzag of 5000 points, each a corner: simplified more coarsely until it fits.
  const zigzag = Array.from({ length: 5000 }, (_, i) => [i % 1600, (i * 7) % 900]).flat();
  const fitted = strokePoints(zigzag);
  assert.ok(fitted.length <= MAX_STROKE_POINTS * 2, `${fitted.length / 2} points`);
  assert.deepEqual(fitted.slice(0, 2), [0, 0]);
  assert.deepEqual(fitted.slice(-2), zigzag.slice(-2), 'the line still ends where it ended');
  assert.ok(fitted.every(Number.isInteger));
});

const line = (id: string, points: number[], width = 4): Stroke => ({ id, by: 'p', color: STROKE_COLORS[0], width, points });

test('the eraser hits strokes its path touches, counting the stroke’s width', () => {
  const strokes = [line('h', [0, 100, 200, 100]), line('v', [500, 0, 500, 200], 20), line('dot', [800, 800])];
  assert.deepEqual(strokesHit(strokes, [100, 95], [100, 95], 4), ['h'], '5 units away, reach 2 + 4');
  assert.deepEqual(strokesHit(strokes, [100, 90], [100, 90], 4), [], '10 units away');
  assert.deepEqual(strokesHit(strokes, [480, 50], [480, 50], 8), [], '20 from a 20-wide line, reach 10 + 8');
  assert.deepEqual(strokesHit(strokes, [485, 50], [485, 50], 8), ['v']);
  // A fast swipe crossing both lines between two pointer samples still hits them.
  assert.deepEqual(strokesHit(strokes, [100, 80], [600, 200], 1), ['h', 'v']);
  assert.deepEqual(strokesHit(strokes, [803, 800], [803, 800], 2), ['dot']);
});
