import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { presenterLayout } from '../presenter-layout.js';
import { PresenterStage, SHARED_VIDEO_ID, type Share } from './presenter-stage.js';

const share = (id: string, name: string, self = false): Share => ({ id, name, track: null, self });
const render = (shares: Share[], shownId: string | null) =>
  renderToString(h(PresenterStage, { shares, shownId, onPick: () => undefined, layout: presenterLayout(1200, 600, 12), gap: 12, children: h('figure', { 'aria-label': 'Bo' }) }));

test('the shown share is a figure named after its sharer, at the layout\'s size, beside the camera strip', () => {
  const html = render([share('a', 'Ana')], null);
  assert.match(html, /<figure class="tile screen-tile" aria-label="Ana’s screen" style="width: ?948px; ?height: ?600px;?">/);
  assert.match(html, /role="group" aria-label="Cameras"[^>]*><figure aria-label="Bo">/);
  assert.doesNotMatch(html, /Screen shares/, 'no switcher for one share');
});

test('several shares: the newest (or the picked one) is shown and a switcher offers each; our own is "Your screen"', () => {
  const shares = [share('a', 'Ana'), share('me', 'Me', true)];
  const newest = render(shares, null);
  assert.match(newest, /aria-label="Your screen"/);
  assert.match(newest, /role="group" aria-label="Screen shares"/);
  assert.match(newest, /aria-pressed="false"[^>]*>Ana’s screen<\/button>/);
  assert.match(newest, /aria-pressed="true"[^>]*>Your screen<\/button>/);
  assert.match(render(shares, 'a'), /<figure class="tile screen-tile" aria-label="Ana’s screen"/);
});

const renderWithVideo = (shares: Share[], shownId: string | null) =>
  renderToString(h(PresenterStage, { shares, video: h('figure', { 'aria-label': 'Shared video' }), shownId, onPick: () => undefined, layout: presenterLayout(1200, 600, 12), gap: 12, children: null }));

test('a shared video alone takes the large place, with no switcher', () => {
  const html = renderWithVideo([], null);
  assert.match(html, /<div class="presenter-screen"><figure aria-label="Shared video">/);
  assert.doesNotMatch(html, /Screen shares/);
});

test('a shared video beside a screen share: the switcher offers both and shows the one picked', () => {
  const onShare = renderWithVideo([share('a', 'Ana')], 'a');
  assert.match(onShare, /<figure class="tile screen-tile" aria-label="Ana’s screen"/);
  assert.doesNotMatch(onShare, /<figure aria-label="Shared video">/);
  assert.match(onShare, /aria-pressed="false"[^>]*>Shared video<\/button>/);
  const onVideo = renderWithVideo([share('a', 'Ana')], SHARED_VIDEO_ID);
  assert.match(onVideo, /<figure aria-label="Shared video">/);
  assert.doesNotMatch(onVideo, /screen-tile/);
  assert.match(onVideo, /aria-pressed="true"[^>]*>Shared video<\/button>/);
});
