import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { addStroke, clearBoard, eraseStrokes, readStrokes, STROKE_COLORS, type Stroke } from './whiteboard.js';
import { HISTORY_DEPTH, WhiteboardHistory } from './whiteboard-history.js';
import { boardPair as pair } from './testing/board-pair.js';


const stroke = (id: string, points = [10, 20, 30, 40]): Stroke => ({ id, by: 'p1', color: STROKE_COLORS[0], width: 4, points });
const ids = (strokes: Y.Array<unknown>) => readStrokes(strokes).map((s) => s.id);

test('undo takes back only this browser’s own strokes, one step each, and redo brings them back', () => {
  const { a, b } = pair();
  const history = new WhiteboardHistory(a);
  assert.equal(history.canUndo(), false);
  history.add(stroke('mine1'));
  addStroke(b, stroke('theirs'));
  history.add(stroke('mine2'));
  assert.equal(history.undo(), true);
  assert.deepEqual(ids(b), ['mine1', 'theirs']);
  history.undo();
  assert.deepEqual(ids(b), ['theirs']);
  assert.equal(history.canUndo(), false);
  assert.equal(history.undo(), false, 'nothing of theirs to undo');
  assert.deepEqual(ids(b), ['theirs']);
  history.redo();
  history.redo();
  assert.deepEqual(ids(b), ['theirs', 'mine1', 'mine2']);
  assert.equal(history.canRedo(), false);
});

test('undoing an erase brings the erased strokes back for everyone, where they were; redo erases them again', () => {
  const { a, b } = pair();
  const history = new WhiteboardHistory(a);
  addStroke(b, stroke('first'));
  addStroke(b, stroke('theirs'));
  history.add(stroke('mine'));
  addStroke(b, stroke('last'));
  history.erase(['theirs', 'mine']);
  assert.deepEqual(ids(b), ['first', 'last']);
  history.undo();
  assert.deepEqual(ids(b), ['first', 'theirs', 'mine', 'last']);
  history.redo();
  assert.deepEqual(ids(b), ['first', 'last']);
});

test('a new step forgets what was undone', () => {
  const { a } = pair();
  const history = new WhiteboardHistory(a);
  history.add(stroke('one'));
  history.undo();
  assert.equal(history.canRedo(), true);
  history.add(stroke('two'));
  assert.equal(history.canRedo(), false);
  assert.equal(history.redo(), false);
  assert.deepEqual(ids(a), ['two']);
});

test('undo works by id: our stroke that someone else erased and brought back is still ours to take back', () => {
  const { a, b } = pair();
  const history = new WhiteboardHistory(a);
  const theirs = new WhiteboardHistory(b);
  history.add(stroke('s'));
  theirs.erase(['s']);
  theirs.undo();
  assert.deepEqual(ids(a), ['s']);
  history.undo();
  assert.deepEqual(ids(b), []);
});

test('steps others already took care of are skipped: undo goes on to one that changes the board', () => {
  const { a, b } = pair();
  const history = new WhiteboardHistory(a);
  history.add(stroke('early'));
  history.add(stroke('gone'));
  eraseStrokes(b, ['gone']);
  assert.equal(history.undo(), true);
  assert.deepEqual(ids(b), [], 'the undo of "gone" changed nothing, so "early" went');
  assert.equal(history.redo(), true);
  assert.deepEqual(ids(b), ['early']);
  assert.equal(history.canRedo(), false, 'the step that changed nothing is gone');
});

test('bringing back a stroke that is there again already does not double it', () => {
  const { a, b } = pair();
  const history = new WhiteboardHistory(a);
  addStroke(b, stroke('theirs'));
  history.erase(['theirs']);
  addStroke(b, stroke('theirs'));
  assert.equal(history.undo(), false);
  assert.equal(a.length, 1);
});

test('what this browser erased does not stay in its copy of the board (nothing is kept from garbage collection)', () => {
  const { a, b, docA } = pair();
  const history = new WhiteboardHistory(a);
  const long = Array.from({ length: 2000 }, (_, i) => (i * 7) % 900);
  for (let i = 0; i < 10; i++) history.add(stroke(`s${i}`, long));
  const full = Y.encodeStateAsUpdate(docA).byteLength;
  history.erase(readStrokes(a).map((s) => s.id));
  assert.ok(Y.encodeStateAsUpdate(docA).byteLength < full / 10, `${Y.encodeStateAsUpdate(docA).byteLength} of ${full} bytes left`);
  history.undo();
  assert.equal(readStrokes(b).length, 10, 'the undo still has the strokes');
  clearBoard(a);
  assert.ok(Y.encodeStateAsUpdate(docA).byteLength < full / 5);
});

test('the history goes back a bounded number of steps', () => {
  const { a } = pair();
  const history = new WhiteboardHistory(a);
  for (let i = 0; i < HISTORY_DEPTH + 5; i++) history.add(stroke(`s${i}`));
  let undone = 0;
  while (history.undo()) undone++;
  assert.equal(undone, HISTORY_DEPTH);
  assert.equal(readStrokes(a).length, 5);
});

test('every step, undo and redo tells the app to redraw its buttons', () => {
  const { a } = pair();
  const history = new WhiteboardHistory(a);
  let changes = 0;
  history.events.on('change', () => changes++);
  history.add(stroke('x'));
  history.undo();
  history.redo();
  assert.equal(changes, 3);
});

for (const by of ['this browser', 'someone else'] as const) {
  test(`after a clear by ${by}, undo and redo bring nothing back onto the board`, () => {
    const { a, b } = pair();
    const history = new WhiteboardHistory(a);
    addStroke(b, stroke('theirs'));
    history.erase(['theirs']);
    history.add(stroke('mine'));
    history.add(stroke('undone'));
    history.undo();
    clearBoard(by === 'this browser' ? a : b);
    assert.deepEqual(ids(a), []);
    assert.equal(history.undo(), false);
    assert.deepEqual(ids(b), [], 'undo did not bring back the stroke erased before the clear');
    assert.equal(history.redo(), false);
    assert.deepEqual(ids(b), [], 'redo did not bring back the stroke undone before the clear');
    assert.equal(history.canUndo(), false);
    assert.equal(history.canRedo(), false);
    history.add(stroke('after'));
    assert.equal(history.undo(), true, 'steps after the clear are undone as before');
    assert.deepEqual(ids(b), []);
    assert.equal(history.redo(), true);
    assert.deepEqual(ids(b), ['after']);
  });
}
