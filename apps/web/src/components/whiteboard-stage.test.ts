import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import * as Y from 'yjs';
import { STROKE_COLORS, type Room } from '@treff/client';
import { presenterLayout } from '../presenter-layout.js';
import { WhiteboardStage } from './whiteboard-stage.js';

function fakeRoom(entries: unknown[], moderator = false) {
  const doc = new Y.Doc();
  const strokes = doc.getArray<unknown>('strokes');
  strokes.push(entries);
  return {
    self: { id: 'me' },
    isModerator: moderator,
    docs: { strokes, sync: () => 'synced', bytes: () => 0, maxBytes: 100_000, events: { on: () => () => undefined } },
  } as unknown as Room;
}

const stroke = (id: string, color: string = STROKE_COLORS[3]) => ({ id, by: 'p1', color, width: 8, points: [100, 100, 300, 200] });
const render = (room: Room) => renderToString(h(WhiteboardStage, { room, title: 'Weekly', layout: presenterLayout(1200, 700), gap: 12, children: h('div', { class: 'tile' }) }));

test('every valid stroke is one path in its palette colour; what is not a stroke is not drawn', () => {
  const html = render(fakeRoom([stroke('a'), { ...stroke('b'), color: 'url(#evil)' }, stroke('c', STROKE_COLORS[5]), '<script>']));
  assert.match(html, /data-strokes="2"/);
  assert.match(html, /aria-label="Whiteboard, 2 strokes"/);
  const paths = [...html.matchAll(/<path d="M[^"]+" fill="([^"]+)" data-stroke-id="([^"]+)" data-by="p1"/g)].map((m) => [m[2], m[1]]);
  assert.deepEqual(paths, [['a', STROKE_COLORS[3]], ['c', STROKE_COLORS[5]]]);
  assert.doesNotMatch(html, /evil|<script>/);
});

test('the tools are labelled buttons; pen, black and medium are chosen at first; undo waits for a stroke of ours', () => {
  const html = render(fakeRoom([]));
  for (const label of ['Pen', 'Eraser', 'Black', 'Purple', 'Thin', 'Thick', 'Undo', 'Redo', 'Download as SVG', 'Download as PNG']) {
    assert.match(html, new RegExp(`<button[^>]*aria-label="${label}"`), label);
  }
  assert.match(html, /aria-pressed="true" aria-label="Pen"/);
  assert.match(html, /aria-pressed="true" aria-label="Black"/);
  assert.match(html, /aria-pressed="true" aria-label="Medium"/);
  assert.match(html, /aria-label="Undo" title="Undo your last stroke \(Ctrl\+Z\)" disabled/);
});

test('only hosts and co-hosts can clear the board', () => {
  assert.doesNotMatch(render(fakeRoom([stroke('a')])), /Clear board/);
  assert.match(render(fakeRoom([stroke('a')], true)), /<button[^>]*aria-label="Clear board"/);
});

test('the cameras stay in the strip beside the board', () => {
  assert.match(render(fakeRoom([])), /<div class="camera-strip" role="group" aria-label="Cameras"[^>]*><div class="tile"><\/div><\/div>/);
});
