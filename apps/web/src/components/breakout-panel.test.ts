import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Breakouts, Room } from '@treff/client';
import { BreakoutPanel } from './breakout-panel.js';

const OPEN: Breakouts = {
  rooms: [{ id: 'b1', name: 'Kitchen' }, { id: 'b2', name: 'Garden' }], assignments: { bob: 'b1', eve: 'b1' }, selfSelect: false, remainingMs: null, receivedAt: 0,
};

function fakeRoom(o: { moderator: boolean; breakouts: Breakouts | null; mine?: string; selfId?: string }) {
  const selfId = o.selfId ?? 'me';
  const self = { id: selfId, name: 'Ada', role: o.moderator ? 'host' : 'guest', ...(o.mine ? { breakout: o.mine } : {}) };
  const people = [
    { id: 'bob', name: 'Bob', role: 'guest', joinedAt: 1, breakout: 'b1' },
    { id: 'eve', name: 'Eve', role: 'guest', joinedAt: 2 },
  ].filter((p) => p.id !== selfId);
  return {
    self, isModerator: o.moderator, breakouts: o.breakouts, myBreakout: o.mine ?? null,
    participants: new Map(people.map((p) => [p.id, p])),
  } as unknown as Room;
}
const render = (room: Room) => renderToString(h(BreakoutPanel, { room, onJoin: () => undefined, onClose: () => undefined }));
const count = (html: string, pattern: RegExp) => html.match(new RegExp(pattern, 'g'))?.length ?? 0;

test('no rooms open: moderators get the form with two named rooms; others are told none are open', () => {
  const form = render(fakeRoom({ moderator: true, breakouts: null }));
  assert.match(form, /aria-label="Name of room 1"[^>]*value="Room 1"|value="Room 1"[^>]*aria-label="Name of room 1"/);
  assert.match(form, /value="Room 2"/);
  assert.match(form, /<button type="submit"[^>]*>Open breakout rooms<\/button>/);
  const guest = render(fakeRoom({ moderator: false, breakouts: null }));
  assert.match(guest, /No breakout rooms are open\./);
  assert.doesNotMatch(guest, /<form/);
});

test('open rooms, a moderator: everyone under their room, a select per other person on their room, join for each room, broadcast and close', () => {
  const html = render(fakeRoom({ moderator: true, breakouts: OPEN }));
  assert.match(html, /<h3 id="breakout-main">Main room<\/h3><span class="muted">2 people<\/span>/, 'Ada and Eve');
  assert.match(html, /<h3 id="breakout-b1">Kitchen<\/h3><span class="muted">1 person<\/span>/);
  assert.match(html, /<h3 id="breakout-b2">Garden<\/h3><span class="muted">0 people<\/span>/);
  assert.equal(count(html, /<select aria-label="Room for /), 2, 'not for oneself');
  assert.match(html, /<select aria-label="Room for Bob"[^>]*><option value>Main room<\/option><option selected value="b1">Kitchen<\/option>/);
  assert.match(html, /<select aria-label="Room for Eve"[^>]*><option selected value>Main room<\/option>/);
  assert.match(html, /aria-label="Join Kitchen"/);
  assert.match(html, /aria-label="Join Garden"/);
  assert.match(html, /Send to all rooms/);
  assert.match(html, /Close all rooms/);
  assert.doesNotMatch(html, /Return to main room/, 'already in the main room');
});

test('open rooms, a guest: join only the assigned room without self-select, any with it; no moderator controls', () => {
  const assigned = render(fakeRoom({ moderator: false, breakouts: OPEN, selfId: 'eve' }));
  assert.match(assigned, /aria-label="Join Kitchen"/);
  assert.doesNotMatch(assigned, /aria-label="Join Garden"/);
  assert.doesNotMatch(assigned, /<select|Close all rooms|Send to all rooms/);
  const free = render(fakeRoom({ moderator: false, breakouts: { ...OPEN, selfSelect: true } }));
  assert.match(free, /aria-label="Join Kitchen"/);
  assert.match(free, /aria-label="Join Garden"/);
  assert.match(free, /Pick a room to join/);
});

test('in a breakout room: "You are here" on it, and the way back to the main room', () => {
  const html = render(fakeRoom({ moderator: false, breakouts: { ...OPEN, remainingMs: 90_000, receivedAt: performance.now() }, mine: 'b1' }));
  assert.match(html, /<section class="breakout-room here"[^>]*><header class="breakout-room-header"><h3 id="breakout-b1">Kitchen<\/h3><span class="muted">2 people<\/span><span class="badge">You are here<\/span>/);
  assert.match(html, /Return to main room/);
  assert.match(html, /1:30 left|1:29 left/);
});

test('a co-host gets no select for a host (the server would refuse the move); a host gets one for everyone', () => {
  const room = (role: 'host' | 'cohost') =>
    ({
      self: { id: 'me', name: 'Ada', role }, isModerator: true, isHost: role === 'host', breakouts: OPEN, myBreakout: null,
      participants: new Map([
        ['hal', { id: 'hal', name: 'Hal', role: 'host', joinedAt: 1 }],
        ['bob', { id: 'bob', name: 'Bob', role: 'guest', joinedAt: 2, breakout: 'b1' }],
      ]),
    }) as unknown as Room;
  const cohost = render(room('cohost'));
  assert.doesNotMatch(cohost, /aria-label="Room for Hal"/);
  assert.match(cohost, /aria-label="Room for Bob"/);
  const host = render(room('host'));
  assert.match(host, /aria-label="Room for Hal"/);
  assert.match(host, /aria-label="Room for Bob"/);
});
