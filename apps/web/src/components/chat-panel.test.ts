import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Room } from '@treff/client';
import { ChatPanel } from './chat-panel.js';

const SEALED = 'AAAAAQAAc2VjcmV0LWNpcGhlcnRleHQtYnl0ZXM';

function fakeRoom(status: 'encrypted' | 'not-encrypted', chat: readonly object[], myBreakout: string | null = null) {
  return {
    self: { id: 'me', name: 'Me' },
    myBreakout,
    breakouts: myBreakout === null ? null : { rooms: [{ id: myBreakout, name: 'Kitchen' }], assignments: {}, selfSelect: false, remainingMs: null, receivedAt: 0 },
    participants: new Map([['b', { id: 'b', name: 'Bob' }]]),
    chat,
    e2ee: { supported: true, status, blockers: [], epoch: 0, required: false },
    sendChat: () => true,
  } as unknown as Room;
}

const entry = (id: string, text: string | null, encrypted: boolean) => ({ id, from: 'b', fromName: 'Bob', to: null, at: 0, text, encrypted, sealed: SEALED });
const render = (room: Room) => renderToString(h(ChatPanel, { room, onClose: () => undefined }));

test('a message sealed before we joined shows as such, and nothing of the sealed text is rendered', () => {
  const html = render(fakeRoom('encrypted', [entry('m1', null, true), entry('m2', 'hello', true)]));
  assert.match(html, /<p class="chat-text chat-sealed muted">Encrypted message sent before you joined<\/p>/);
  assert.match(html, /<span class="chat-text">hello<\/span>/);
  assert.doesNotMatch(html, new RegExp(SEALED.slice(0, 12)));
});

test('once chat is encrypted, earlier messages sent in clear say so', () => {
  const html = render(fakeRoom('encrypted', [entry('m1', 'before', false), entry('m2', 'after', true)]));
  assert.equal(html.match(/not end-to-end encrypted/g)?.length, 1);
  assert.match(html, /<span class="chat-clear">not end-to-end encrypted<\/span><time[^>]*>[^<]*<\/time><\/div><span class="chat-text">before/);
});

test('the lock hint shows while chat is encrypted, and only then', () => {
  assert.match(render(fakeRoom('encrypted', [])), /Messages are end-to-end encrypted/);
  assert.doesNotMatch(render(fakeRoom('not-encrypted', [entry('m1', 'hi', false)])), /end-to-end encrypted/);
});

test('hosts and co-hosts can export the chat; others cannot', () => {
  const room = fakeRoom('not-encrypted', []);
  assert.doesNotMatch(render(room), /Export chat/);
  assert.match(render({ ...room, isModerator: true } as unknown as Room), /<button type="button" class="button small ghost">Export chat \(Markdown\)<\/button>/);
});

test('in a breakout room: its public messages and all private ones, not the main room’s; "Everyone" means the room', () => {
  const chat = [
    { ...entry('m1', 'main talk', false), encrypted: false },
    { ...entry('m2', 'kitchen talk', false), breakout: 'b1' },
    { ...entry('m3', 'just for you', false), to: 'me' },
  ];
  const inKitchen = render(fakeRoom('not-encrypted', chat, 'b1'));
  assert.match(inKitchen, /kitchen talk/);
  assert.match(inKitchen, /just for you/);
  assert.doesNotMatch(inKitchen, /main talk/);
  assert.match(inKitchen, /<option selected value>Everyone in Kitchen<\/option>/);
  const inMain = render(fakeRoom('not-encrypted', chat));
  assert.match(inMain, /main talk/);
  assert.doesNotMatch(inMain, /kitchen talk/);
  assert.match(inMain, /<option selected value>Everyone<\/option>/, 'no rooms open: the whole meeting');
  const mainWhileOpen = render({ ...fakeRoom('not-encrypted', chat, 'b1'), myBreakout: null } as unknown as Room);
  assert.match(mainWhileOpen, /main talk/);
  assert.match(mainWhileOpen, /<option selected value>Everyone in the main room<\/option>/, 'rooms open: only the main room reads it');
});
