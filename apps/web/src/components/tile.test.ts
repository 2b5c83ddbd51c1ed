import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { Tile, type TileProps } from './tile.js';

const render = (props: Partial<TileProps>) =>
  renderToString(h(Tile, { label: 'Bo', name: 'Bo', role: 'guest', media: { audio: true, video: true }, videoTrack: null, speaking: false, ...props }));

test('a camera held back for bandwidth says so on the tile; a camera that is off or not received yet does not', () => {
  assert.match(render({ videoPaused: true }), /<span class="tile-paused" title="Your connection cannot carry this video[^"]*">Video paused: not enough bandwidth<\/span>/);
  assert.doesNotMatch(render({ videoPaused: false }), /tile-paused/, 'subscribed but not received yet');
  assert.doesNotMatch(render({ videoPaused: true, media: { audio: true, video: false } }), /tile-paused/, 'the camera is off');
});

test('a remote tile offers pinning, named for the person and pressed while pinned; the self view does not', () => {
  assert.match(render({ pin: { pinned: false, onToggle: () => undefined } }), /<button type="button" class="tile-pin " aria-pressed="false" aria-label="Pin Bo"/);
  assert.match(render({ pin: { pinned: true, onToggle: () => undefined } }), /<button type="button" class="tile-pin pinned" aria-pressed="true" aria-label="Unpin Bo"/);
  assert.doesNotMatch(render({ self: true }), /tile-pin/);
});
