import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STROKE_COLORS, type Stroke } from '@treff/client';
import { boardSvg, strokePath } from './whiteboard-svg.js';

const stroke = (points: number[]): Stroke => ({ id: 's', by: 'p', color: STROKE_COLORS[2], width: 8, points });

test('a stroke is a closed outline path of numbers only, near its points', () => {
  const path = strokePath(stroke([100, 100, 200, 120, 300, 100]));
  assert.match(path, /^M[\d.,-]+ Q[\d.,-]+ [\d.,-]+ T[\d.,\s-]+Z$/);
  const numbers = path.match(/-?\d+(\.\d+)?/g)!.map(Number);
  const xs = numbers.filter((_, i) => i % 2 === 0);
  assert.ok(Math.min(...xs) > 80 && Math.max(...xs) < 320, 'the outline stays around the line');
});

test('the same stroke gives the same path in every browser (no pressure, no randomness)', () => {
  assert.equal(strokePath(stroke([0, 0, 50, 50, 90, 10])), strokePath(stroke([0, 0, 50, 50, 90, 10])));
});

test('a single point is a dot of the pen’s width', () => {
  const path = strokePath(stroke([40, 60]));
  assert.match(path, /^M[\d.,]+/);
  assert.ok(path.endsWith('Z'));
});

test('the exported SVG is a standalone file with the paper and every stroke in its palette colour', () => {
  const svg = boardSvg([stroke([1, 1, 9, 9]), { ...stroke([5, 5, 6, 6]), color: STROKE_COLORS[4] }]);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 1600 900" width="1600" height="900">/);
  assert.match(svg, /<rect width="1600" height="900" fill="#[0-9a-f]{6}"\/>/);
  assert.deepEqual([...svg.matchAll(/<path fill="([^"]+)" d="[^"<>]+"\/>/g)].map((m) => m[1]), [STROKE_COLORS[2], STROKE_COLORS[4]]);
  assert.match(svg, /<\/svg>\n$/);
});
