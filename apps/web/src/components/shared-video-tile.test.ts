import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { SharedVideoTile } from './shared-video-tile.js';

const video = { url: 'https://media.example/talk.webm', playing: true, position: 12, by: 'p1', receivedAt: 0 };
const render = (moderator: boolean) =>
  renderToString(h(SharedVideoTile, { video, moderator, onChange: () => undefined, onStop: () => undefined, width: 960, height: 540 }));

test('everyone sees a figure named "Shared video" that loads the URL itself, at the given size', () => {
  const html = render(false);
  assert.match(html, /<figure class="tile screen-tile shared-video-tile" aria-label="Shared video" style="width: ?960px; ?height: ?540px;?">/);
  assert.match(html, /<video [^>]*src="https:\/\/media\.example\/talk\.webm"/);
});

test('only moderators get the native controls and "Stop video"', () => {
  const guest = render(false);
  assert.doesNotMatch(guest, /<video [^>]*controls/);
  assert.doesNotMatch(guest, /Stop video/);
  const moderator = render(true);
  assert.match(moderator, /<video [^>]*controls/);
  assert.match(moderator, />Stop video<\/button>/);
});
