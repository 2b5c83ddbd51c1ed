import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type BreakoutState, type ParticipantInfo } from '@treff/protocol';
import type { Breakouts } from './breakouts.js';
import { remainingMs } from './breakouts.js';
import { joinedRoom } from './testing/joined-room.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';

const info = (id: string, name: string, extra: Partial<ParticipantInfo> = {}): ParticipantInfo => ({
  id, name, role: 'guest', media: { audio: false, video: false }, joinedAt: 1, e2ee: null, ...extra,
});
const STATE: BreakoutState = { rooms: [{ id: 'b1', name: 'Kitchen' }, { id: 'b2', name: 'Garden' }], assignments: { bob: 'b1' }, selfSelect: false, remainingMs: 600_000 };
const joined = (extra: Record<string, unknown> = {}, self: Partial<ParticipantInfo> = {}) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: { id: 'room1', title: 'T', settings: ROOM_SETTINGS, link: null }, self: info('me', 'Ada', { role: 'host', ...self }),
  participants: [info('bob', 'Bob', { breakout: 'b1' })], resumeToken: 'tok', resumed: false, activeSpeakerId: null, ...extra,
});

test('the rooms from joined become room.breakouts, stamped when they arrived; updates and the close are emitted', async () => {
  const before = performance.now();
  const { room, socket } = await joinedRoom(joined({ breakouts: STATE }));
  const got = room.breakouts;
  assert.ok(got);
  assert.deepEqual({ ...got, receivedAt: 0 }, { ...STATE, receivedAt: 0 });
  assert.ok(got.receivedAt >= before && got.receivedAt <= performance.now());
  assert.equal(remainingMs(got, got.receivedAt + 60_000), 540_000);
  const seen: (Breakouts | null)[] = [];
  room.events.on('breakouts', (b) => seen.push(b));
  socket.deliver({ type: 'breakouts', state: { ...STATE, assignments: { bob: 'b2' } } });
  socket.deliver({ type: 'breakouts', state: null });
  assert.deepEqual(seen.map((b) => b?.assignments ?? null), [{ bob: 'b2' }, null]);
  assert.equal(room.breakouts, null);
  room.leave();
});

test('a resume that repeats the rooms keeps the fresh time left; it is news only when the countdown moved by over 2 s or the rooms changed', async () => {
  const { room, socket } = await joinedRoom(joined({ breakouts: STATE }));
  let events = 0;
  room.events.on('breakouts', () => events++);
  const before = performance.now();
  socket.deliver(joined({ resumed: true, breakouts: { ...STATE, remainingMs: 599_000 } }));
  assert.equal(events, 0, 'a second off is no news');
  assert.equal(room.breakouts?.remainingMs, 599_000, 'but the server’s figure is kept');
  assert.ok(room.breakouts.receivedAt >= before, 'stamped with its own arrival');
  socket.deliver(joined({ resumed: true, breakouts: { ...STATE, remainingMs: 590_000 } }));
  assert.equal(events, 1, 'nine seconds off is');
  assert.equal(room.breakouts?.remainingMs, 590_000);
  socket.deliver(joined({ resumed: true, breakouts: null }));
  assert.equal(events, 2);
  assert.equal(room.breakouts, null);
  room.leave();
});

test('a joined without breakouts (older server, or none open) leaves room.breakouts null and emits nothing', async () => {
  let events = 0;
  const { room } = await joinedRoom(joined());
  room.events.on('breakouts', () => events++);
  assert.equal(room.breakouts, null);
  assert.equal(events, 0);
  room.leave();
});

test('myBreakout follows our own ParticipantInfo.breakout; a move is a self-updated', async () => {
  const { room, socket } = await joinedRoom(joined({ breakouts: STATE }, { role: 'guest', breakout: 'b2' }));
  assert.equal(room.myBreakout, 'b2');
  const moves: (string | null)[] = [];
  room.events.on('self-updated', () => moves.push(room.myBreakout));
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada', { breakout: 'b1' }) });
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada') });
  assert.deepEqual(moves, ['b1', null]);
  // Someone else's move updates their Participant, not ours.
  socket.deliver({ type: 'participant-updated', participant: info('bob', 'Bob', { breakout: 'b2' }) });
  assert.equal(room.participants.get('bob')?.breakout, 'b2');
  socket.deliver({ type: 'participant-updated', participant: info('bob', 'Bob') });
  assert.equal(room.participants.get('bob')?.breakout, undefined, 'back in the main room: the absent breakout clears the earlier one');
  assert.equal(room.myBreakout, null);
  room.leave();
});

test('open, assign, join, broadcast and close send their messages; bad input is a RangeError and sends nothing', async () => {
  const { room, socket } = await joinedRoom(joined());
  assert.equal(room.openBreakouts({ rooms: [' Kitchen ', 'Garden'], assign: 'random', minutes: 10, selfSelect: true }), true);
  assert.equal(room.assignBreakout('bob', 'b2'), true);
  assert.equal(room.assignBreakout('bob', null), true);
  assert.equal(room.joinBreakout('b1'), true);
  assert.equal(room.joinBreakout(null), true);
  assert.equal(room.broadcastToBreakouts(' Five minutes left '), true);
  assert.equal(room.closeBreakouts(), true);
  assert.deepEqual(socket.sent.slice(-7), [
    { type: 'breakout-open', rooms: ['Kitchen', 'Garden'], assign: 'random', minutes: 10, selfSelect: true },
    { type: 'breakout-assign', participantId: 'bob', breakoutId: 'b2' },
    { type: 'breakout-assign', participantId: 'bob', breakoutId: null },
    { type: 'breakout-join', breakoutId: 'b1' },
    { type: 'breakout-join', breakoutId: null },
    { type: 'breakout-broadcast', text: 'Five minutes left' },
    { type: 'breakout-close' },
  ]);
  const sent = socket.sent.length;
  assert.throws(() => room.openBreakouts({ rooms: [], assign: 'manual', minutes: null, selfSelect: false }), RangeError);
  assert.throws(() => room.openBreakouts({ rooms: ['A'], assign: 'manual', minutes: 0, selfSelect: false }), RangeError);
  assert.throws(() => room.broadcastToBreakouts('  '), RangeError);
  assert.throws(() => room.assignBreakout('', 'b1'), RangeError);
  assert.equal(socket.sent.length, sent);
  room.leave();
  assert.equal(room.closeBreakouts(), false, 'nothing is sent after leaving');
});

test('a broadcast arrives as a breakout-message event', async () => {
  const { room, socket } = await joinedRoom(joined());
  const got: unknown[] = [];
  room.events.on('breakout-message', (m) => got.push(m));
  socket.deliver({ type: 'breakout-message', from: 'bob', fromName: 'Bob', text: 'Back in 2 minutes', at: 42 });
  assert.deepEqual(got, [{ from: 'bob', fromName: 'Bob', text: 'Back in 2 minutes', at: 42 }]);
  room.leave();
});

test('the server’s refusal of a move is an error event like any other action’s', async () => {
  const { room, socket } = await joinedRoom(joined({ breakouts: STATE }, { role: 'guest' }));
  const errors: string[] = [];
  room.events.on('error', (e) => errors.push(`${e.code}:${e.fatal}`));
  room.joinBreakout('b2');
  socket.deliver({ type: 'error', code: 'forbidden', message: 'these breakout rooms do not allow choosing', fatal: false });
  assert.deepEqual(errors, ['forbidden:false']);
  assert.equal(room.myBreakout, null);
  room.leave();
});
