import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import * as Y from 'yjs';
import type { Room } from '@treff/client';
import { NotesPanel } from './notes-panel.js';

function fakeRoom({ status = 'encrypted', sync = 'synced', connection = 'connected' }: { status?: string; sync?: string; connection?: string } = {}) {
  const doc = new Y.Doc();
  return {
    connectionState: connection,
    e2ee: { supported: true, status, blockers: [], epoch: 0, required: false, identityChanged: [] },
    docs: { notes: doc.getText('notes'), sync: () => sync, bytes: () => 0, maxBytes: 100_000, events: { on: () => () => undefined } },
  } as unknown as Room;
}

const render = (room: Room) => renderToString(h(NotesPanel, { room, title: 'Weekly', onClose: () => undefined }));

test('the notes panel labels its textarea and offers the Markdown download', () => {
  const html = render(fakeRoom());
  assert.match(html, /<h2 id="notes-heading">Notes<\/h2>/);
  assert.match(html, /<textarea[^>]*aria-label="Shared notes"[^>]*aria-describedby="notes-hint"/);
  assert.match(html, /Download as Markdown<\/button>/);
});

test('it says whether everyone has the notes: saved, syncing, or offline', () => {
  assert.match(render(fakeRoom()), /role="status">Saved to everyone</);
  assert.match(render(fakeRoom({ sync: 'syncing' })), /role="status">Syncing…</);
  assert.match(render(fakeRoom({ connection: 'reconnecting' })), /role="status">Offline: your changes go out when you are back</);
});

test('it says the notes are end-to-end encrypted only while they are, and that they vanish either way', () => {
  const encrypted = render(fakeRoom());
  assert.match(encrypted, /Notes are end-to-end encrypted[^<]*vanish when the meeting ends/);
  const clear = render(fakeRoom({ status: 'not-encrypted' }));
  assert.match(clear, /Notes are not end-to-end encrypted right now[^<]*vanish when the meeting ends/);
  assert.doesNotMatch(clear, /Notes are end-to-end encrypted/);
});
