import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, type BreakoutState } from '@treff/protocol';
import { breakoutRequest, chatOfRoom, countdown, groupByRoom, mayJoin, moveNotice, resizeNames, roomMates, roomName, sharesHere } from './breakout-view.js';

const STATE: BreakoutState = { rooms: [{ id: 'b1', name: 'Kitchen' }, { id: 'b2', name: 'Garden' }], assignments: { bob: 'b1', eve: 'b2' }, selfSelect: false, remainingMs: null };
const person = (id: string, breakout?: string) => (breakout === undefined ? { id } : { id, breakout });

test('roomMates: only those in the same room (tiles and video subscriptions); the main room is absent breakout', () => {
  const people = [person('ann'), person('bob', 'b1'), person('eve', 'b2'), person('tom', 'b1')];
  assert.deepEqual(roomMates(people, null).map((p) => p.id), ['ann']);
  assert.deepEqual(roomMates(people, 'b1').map((p) => p.id), ['bob', 'tom']);
  assert.deepEqual(roomMates(people, 'b9').map((p) => p.id), []);
});

test('chatOfRoom: public messages of the room one is in, and all private ones', () => {
  const entries = [
    { id: 'm1', to: null },
    { id: 'm2', to: null, breakout: 'b1' },
    { id: 'm3', to: 'me', breakout: 'b2' },
    { id: 'm4', to: 'bob' },
    { id: 'm5', to: null, breakout: 'b2' },
  ];
  assert.deepEqual(chatOfRoom(entries, null).map((m) => m.id), ['m1', 'm3', 'm4']);
  assert.deepEqual(chatOfRoom(entries, 'b1').map((m) => m.id), ['m2', 'm3', 'm4']);
  assert.deepEqual(chatOfRoom(entries, 'b2').map((m) => m.id), ['m3', 'm4', 'm5']);
});

test('groupByRoom: main room first, rooms in order, people kept in order; a closed room counts as main', () => {
  const people = [person('ann'), person('bob', 'b1'), person('eve', 'b2'), person('tom', 'b1'), person('old', 'gone')];
  assert.deepEqual(groupByRoom(STATE, people).map((g) => [g.id, g.name, g.people.map((p) => p.id)]), [
    [null, null, ['ann', 'old']],
    ['b1', 'Kitchen', ['bob', 'tom']],
    ['b2', 'Garden', ['eve']],
  ]);
  assert.deepEqual(groupByRoom(null, people).map((g) => [g.id, g.people.length]), [[null, 5]]);
});

test('roomName: a room’s name; null for the main room or a room that is not open', () => {
  assert.equal(roomName(STATE, 'b2'), 'Garden');
  assert.equal(roomName(STATE, null), null);
  assert.equal(roomName(STATE, 'b9'), null);
  assert.equal(roomName(null, 'b1'), null);
});

test('mayJoin: moderators anywhere; others their assigned room, or any with self-select', () => {
  assert.equal(mayJoin(STATE, 'b2', 'mod', true), true);
  assert.equal(mayJoin(STATE, 'b1', 'bob', false), true);
  assert.equal(mayJoin(STATE, 'b2', 'bob', false), false);
  assert.equal(mayJoin(STATE, 'b1', 'new', false), false);
  assert.equal(mayJoin(STATE, 'b1', undefined, false), false);
  assert.equal(mayJoin({ ...STATE, selfSelect: true }, 'b2', 'bob', false), true);
});

test('countdown: m:ss, h:mm:ss from an hour, rounded up and never negative', () => {
  assert.equal(countdown(600_000), '10:00');
  assert.equal(countdown(59_001), '1:00');
  assert.equal(countdown(59_000), '0:59');
  assert.equal(countdown(1), '0:01');
  assert.equal(countdown(0), '0:00');
  assert.equal(countdown(-500), '0:00');
  assert.equal(countdown(3_600_000), '1:00:00');
  assert.equal(countdown(LIMITS.breakoutMinutes * 60_000), '24:00:00');
  assert.equal(countdown(3_661_000), '1:01:01');
});

test('moveNotice: a move someone else made is told; one we asked for, or no change, is not', () => {
  assert.deepEqual(moveNotice(null, 'b1', undefined), { to: 'room', id: 'b1' });
  assert.deepEqual(moveNotice('b1', null, undefined), { to: 'main' });
  assert.deepEqual(moveNotice('b1', 'b2', undefined), { to: 'room', id: 'b2' });
  assert.equal(moveNotice('b1', 'b1', undefined), null);
  assert.equal(moveNotice(null, 'b1', 'b1'), null);
  assert.equal(moveNotice('b1', null, null), null);
  assert.deepEqual(moveNotice(null, 'b2', 'b1'), { to: 'room', id: 'b2' }, 'moved elsewhere than asked');
});

test('breakoutRequest: names normalized, timer optional whole minutes; what keeps a draft from being sent', () => {
  const draft = { names: [' Kitchen ', 'Garden  patio'], assign: 'manual' as const, minutes: '', selfSelect: false };
  assert.deepEqual(breakoutRequest(draft), { ok: true, request: { rooms: ['Kitchen', 'Garden patio'], assign: 'manual', minutes: null, selfSelect: false } });
  assert.deepEqual(breakoutRequest({ ...draft, minutes: ' 15 ', assign: 'random', selfSelect: true }), {
    ok: true, request: { rooms: ['Kitchen', 'Garden patio'], assign: 'random', minutes: 15, selfSelect: true },
  });
  const problem = (d: Partial<typeof draft>) => {
    const r = breakoutRequest({ ...draft, ...d });
    return r.ok ? null : r.problem;
  };
  assert.equal(problem({ names: [] }), 'no-rooms');
  assert.equal(problem({ names: Array.from({ length: LIMITS.breakoutRooms + 1 }, (_, i) => `R${i}`) }), 'too-many-rooms');
  assert.equal(problem({ names: ['A', '  '] }), 'name-missing');
  assert.equal(problem({ names: ['x'.repeat(LIMITS.breakoutName + 1)] }), 'name-too-long');
  for (const minutes of ['0', '-5', '1.5', 'ten', '1e2', String(LIMITS.breakoutMinutes + 1)]) assert.equal(problem({ minutes }), 'minutes-invalid', minutes);
  assert.equal(problem({ minutes: String(LIMITS.breakoutMinutes) }), null);
});

test('resizeNames: keeps what was typed, names new fields, stays within 1 and the limit', () => {
  const nameFor = (n: number) => `Room ${n}`;
  assert.deepEqual(resizeNames(['Kitchen'], 3, nameFor), ['Kitchen', 'Room 2', 'Room 3']);
  assert.deepEqual(resizeNames(['Kitchen', 'Garden', 'Hall'], 2, nameFor), ['Kitchen', 'Garden']);
  assert.deepEqual(resizeNames(['Kitchen'], 0, nameFor), ['Kitchen']);
  assert.deepEqual(resizeNames([], Number.NaN, nameFor), ['Room 1']);
  assert.equal(resizeNames([], 500, nameFor).length, LIMITS.breakoutRooms);
});

test('sharesHere: a screen share is ours to see (and toast) only in our own room', () => {
  assert.equal(sharesHere({ screen: true }, null), true);
  assert.equal(sharesHere({ screen: true, breakout: 'b1' }, null), false, 'shared in a breakout room, we are in the main room');
  assert.equal(sharesHere({ screen: true }, 'b1'), false, 'shared in the main room, we are in a breakout room');
  assert.equal(sharesHere({ screen: true, breakout: 'b1' }, 'b1'), true);
  assert.equal(sharesHere({ screen: false, breakout: 'b1' }, 'b1'), false);
  assert.equal(sharesHere({}, null), false);
});
