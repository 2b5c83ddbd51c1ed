import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Breakouts, Room } from '@treff/client';
import { BreakoutBadge, BroadcastBanner } from './breakout-badge.js';

const OPEN: Breakouts = { rooms: [{ id: 'b1', name: 'Kitchen' }], assignments: {}, selfSelect: false, remainingMs: null, receivedAt: 0 };
const badge = (breakouts: Breakouts | null, myBreakout: string | null) =>
  renderToString(h(BreakoutBadge, { room: { breakouts, myBreakout } as unknown as Room, onOpen: () => undefined }));

test('the header badge: nothing without rooms; the room we are in (the main room too), with the time left when timed', () => {
  assert.equal(badge(null, null), '');
  assert.match(badge(OPEN, 'b1'), /aria-label="Your room: Kitchen"/);
  assert.match(badge(OPEN, null), /aria-label="Your room: Main room"/);
  assert.doesNotMatch(badge(OPEN, 'b1'), /role="timer"/);
  const timed = badge({ ...OPEN, remainingMs: 600_000, receivedAt: performance.now() }, 'b1');
  assert.match(timed, /<span class="breakout-time" role="timer" aria-label="(10:00|9:59) left">(10:00|9:59)<\/span>/);
});

test('the broadcast banner is an alert with who sent it, the text, and a way to dismiss it', () => {
  const html = renderToString(h(BroadcastBanner, { broadcast: { key: 1, fromName: 'Hana', text: 'Back <b>soon</b>' }, onDismiss: () => undefined }));
  assert.match(html, /role="alert"/);
  assert.match(html, /<strong>Hana to all rooms<\/strong><p>Back &lt;b>soon&lt;\/b><\/p>/);
  assert.match(html, /aria-label="Dismiss the message"/);
});
