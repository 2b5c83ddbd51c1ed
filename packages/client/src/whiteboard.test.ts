import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addStroke, BOARD_HEIGHT, BOARD_WIDTH, clearBoard, eraseStrokes, MAX_STROKE_POINTS, newStrokeId, readStrokes, STROKE_COLORS, type Stroke } from './whiteboard.js';
import { boardPair as pair } from './testing/board-pair.js';


const stroke = (id: string, by = 'p1'): Stroke => ({ id, by, color: STROKE_COLORS[1], width: 8, points: [10, 20, 30, 40, 50, 60] });
const ids = (strokes: Y.Array<unknown>) => readStrokes(strokes).map((s) => s.id);

test('a stroke added on one board is read back on the other', () => {
  const { a, b } = pair();
  addStroke(a, stroke('s1'));
  assert.deepEqual(readStrokes(b), [stroke('s1')]);
});

test('entries that are not strokes are skipped, the valid ones kept in order', () => {
  const doc = new Y.Doc();
  const strokes = doc.getArray<unknown>('strokes');
  const good = stroke('ok');
  strokes.push([
    stroke('first'),
    null,
    'a string',
    [1, 2],
    { ...good, id: '' },
    { ...good, id: 'x'.repeat(65) },
    { ...good, by: 7 },
    { ...good, color: 'red' },
    { ...good, color: 'url(javascript:alert(1))' },
    { ...good, width: 0 },
    { ...good, width: 2.5 },
    { ...good, width: 49 },
    { ...good, points: [] },
    { ...good, points: [1, 2, 3] },
    { ...good, points: [1.5, 2] },
    { ...good, points: [-1, 2] },
    { ...good, points: [BOARD_WIDTH + 1, 2] },
    { ...good, points: [1, BOARD_HEIGHT + 1] },
    { ...good, points: ['1', '2'] },
    { ...good, points: [1, Number.NaN] },
    { ...good, points: Array.from({ length: MAX_STROKE_POINTS * 2 + 2 }, () => 5) },
    { ...good, points: 'M0 0' },
    stroke('last'),
  ]);
  assert.deepEqual(ids(strokes), ['first', 'last']);
});

test('a valid stroke is read as exactly its fields, at the limits of the board and the point count', () => {
  const doc = new Y.Doc();
  const strokes = doc.getArray<unknown>('strokes');
  const edge = { id: 'e', by: 'p', color: STROKE_COLORS[0], width: 1, points: [0, 0, BOARD_WIDTH, BOARD_HEIGHT] };
  const long = { ...stroke('long'), points: Array.from({ length: MAX_STROKE_POINTS * 2 }, (_, i) => i % 900) };
  strokes.push([{ ...edge, extra: '<script>' }, long]);
  const [first, second] = readStrokes(strokes);
  assert.deepEqual(first, edge);
  assert.equal(second?.points.length, MAX_STROKE_POINTS * 2);
});

test('a repeated id counts once: the first entry wins', () => {
  const doc = new Y.Doc();
  const strokes = doc.getArray<unknown>('strokes');
  strokes.push([stroke('same', 'p1'), stroke('same', 'p2')]);
  assert.deepEqual(readStrokes(strokes).map((s) => s.by), ['p1']);
});

test('addStroke refuses what readStrokes would skip', () => {
  const doc = new Y.Doc();
  const strokes = doc.getArray<unknown>('strokes');
  assert.throws(() => addStroke(strokes, { ...stroke('s'), points: [0.5, 1] }), RangeError);
  assert.throws(() => addStroke(strokes, { ...stroke('s'), color: 'pink' as Stroke['color'] }), RangeError);
  assert.equal(strokes.length, 0);
});

test('erasing removes the named strokes everywhere, whoever drew them', () => {
  const { a, b } = pair();
  addStroke(a, stroke('s1'));
  addStroke(b, stroke('s2', 'p2'));
  addStroke(a, stroke('s3'));
  assert.equal(eraseStrokes(b, ['s1', 's3', 'missing']), 2);
  assert.deepEqual(ids(a), ['s2']);
  assert.equal(eraseStrokes(a, []), 0);
});

test('clearing the board empties it for both', () => {
  const { a, b } = pair();
  addStroke(a, stroke('s1'));
  addStroke(b, stroke('s2'));
  clearBoard(b);
  assert.deepEqual(ids(a), []);
  assert.equal(b.length, 0);
});

test('stroke ids are random hex', () => {
  const id = newStrokeId();
  assert.match(id, /^[0-9a-f]{24}$/);
  assert.notEqual(newStrokeId(), id);
});
