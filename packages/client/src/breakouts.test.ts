import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@treff/protocol';
import {
  assignBreakoutMessage, breakoutProblem, broadcastMessage, closeBreakoutsMessage, joinBreakoutMessage, openBreakoutsMessage, breakoutsNews, remainingMs, sameBreakouts, type Breakouts,
} from './breakouts.js';

const open = { rooms: ['One', 'Two'], assign: 'manual', minutes: null, selfSelect: false } as const;
const state = (extra: Partial<Breakouts> = {}): Breakouts => ({
  rooms: [{ id: 'b1', name: 'One' }, { id: 'b2', name: 'Two' }], assignments: { bob: 'b1' }, selfSelect: false, remainingMs: 60_000, receivedAt: 1000, ...extra,
});

test('openBreakoutsMessage normalizes names as the server does and carries the options', () => {
  assert.deepEqual(openBreakoutsMessage({ rooms: ['  Room\t 1 ', 'Room 2'], assign: 'random', minutes: 15, selfSelect: true }), {
    type: 'breakout-open', rooms: ['Room 1', 'Room 2'], assign: 'random', minutes: 15, selfSelect: true,
  });
  assert.deepEqual(openBreakoutsMessage(open), { type: 'breakout-open', rooms: ['One', 'Two'], assign: 'manual', minutes: null, selfSelect: false });
});

test('openBreakoutsMessage refuses what the server would refuse', () => {
  assert.throws(() => openBreakoutsMessage({ ...open, rooms: [] }), RangeError);
  assert.throws(() => openBreakoutsMessage({ ...open, rooms: Array.from({ length: LIMITS.breakoutRooms + 1 }, (_, i) => `R${i}`) }), RangeError);
  assert.doesNotThrow(() => openBreakoutsMessage({ ...open, rooms: Array.from({ length: LIMITS.breakoutRooms }, (_, i) => `R${i}`) }));
  assert.throws(() => openBreakoutsMessage({ ...open, rooms: ['One', ' \n '] }), RangeError);
  assert.throws(() => openBreakoutsMessage({ ...open, rooms: ['x'.repeat(LIMITS.breakoutName + 1)] }), RangeError);
  assert.doesNotThrow(() => openBreakoutsMessage({ ...open, rooms: [` ${'x'.repeat(LIMITS.breakoutName)} `] }));
  for (const minutes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, LIMITS.breakoutMinutes + 1]) {
    assert.throws(() => openBreakoutsMessage({ ...open, minutes }), RangeError, String(minutes));
  }
  assert.doesNotThrow(() => openBreakoutsMessage({ ...open, minutes: LIMITS.breakoutMinutes }));
  assert.throws(() => openBreakoutsMessage({ ...open, assign: 'alphabetical' as 'manual' }), RangeError);
});

test('breakoutProblem names the rule a request breaks, one code each, and null for one the server takes', () => {
  assert.equal(breakoutProblem(open), null);
  assert.equal(breakoutProblem({ ...open, rooms: [] }), 'no-rooms');
  assert.equal(breakoutProblem({ ...open, rooms: Array.from({ length: LIMITS.breakoutRooms + 1 }, (_, i) => `R${i}`) }), 'too-many-rooms');
  assert.equal(breakoutProblem({ ...open, rooms: ['One', ' \n '] }), 'name-missing');
  assert.equal(breakoutProblem({ ...open, rooms: ['x'.repeat(LIMITS.breakoutName + 1)] }), 'name-too-long');
  assert.equal(breakoutProblem({ ...open, rooms: [` ${'x'.repeat(LIMITS.breakoutName)} `] }), null);
  assert.equal(breakoutProblem({ ...open, assign: 'alphabetical' as 'manual' }), 'assign-invalid');
  assert.equal(breakoutProblem({ ...open, minutes: 1.5 }), 'minutes-invalid');
  assert.equal(breakoutProblem({ ...open, minutes: LIMITS.breakoutMinutes }), null);
});

test('assign and join take a room id or null for the main room; ids must be 1 to 64 characters', () => {
  assert.deepEqual(assignBreakoutMessage('bob', 'b1'), { type: 'breakout-assign', participantId: 'bob', breakoutId: 'b1' });
  assert.deepEqual(assignBreakoutMessage('bob', null), { type: 'breakout-assign', participantId: 'bob', breakoutId: null });
  assert.throws(() => assignBreakoutMessage('', 'b1'), RangeError);
  assert.throws(() => assignBreakoutMessage('bob', ''), RangeError);
  assert.throws(() => assignBreakoutMessage('x'.repeat(65), 'b1'), RangeError);
  assert.deepEqual(joinBreakoutMessage('b2'), { type: 'breakout-join', breakoutId: 'b2' });
  assert.deepEqual(joinBreakoutMessage(null), { type: 'breakout-join', breakoutId: null });
  assert.throws(() => joinBreakoutMessage('x'.repeat(65)), RangeError);
  assert.deepEqual(closeBreakoutsMessage, { type: 'breakout-close' });
});

test('broadcastMessage trims and refuses empty or overlong text', () => {
  assert.deepEqual(broadcastMessage('  Two minutes left \n'), { type: 'breakout-broadcast', text: 'Two minutes left' });
  assert.throws(() => broadcastMessage('   '), RangeError);
  assert.throws(() => broadcastMessage('x'.repeat(LIMITS.breakoutMessage + 1)), RangeError);
  assert.doesNotThrow(() => broadcastMessage(`  ${'x'.repeat(LIMITS.breakoutMessage)}  `));
});

test('remainingMs counts down from the arrival and stops at 0; null without a timer', () => {
  assert.equal(remainingMs(state(), 1000), 60_000);
  assert.equal(remainingMs(state(), 31_000), 30_000);
  assert.equal(remainingMs(state(), 100_000), 0);
  assert.equal(remainingMs(state(), 500), 60_000, 'a clock before the arrival does not add time');
  assert.equal(remainingMs(state({ remainingMs: null }), 5000), null);
});

test('sameBreakouts: rooms, assignments and self-select matter; the time left does not', () => {
  assert.equal(sameBreakouts(null, null), true);
  assert.equal(sameBreakouts(state(), null), false);
  assert.equal(sameBreakouts(state(), state({ remainingMs: 1000, receivedAt: 9 })), true);
  assert.equal(sameBreakouts(state(), state({ remainingMs: null })), false);
  assert.equal(sameBreakouts(state(), state({ selfSelect: true })), false);
  assert.equal(sameBreakouts(state(), state({ assignments: { bob: 'b2' } })), false);
  assert.equal(sameBreakouts(state(), state({ assignments: { bob: 'b1', eve: 'b1' } })), false);
  assert.equal(sameBreakouts(state(), state({ assignments: {} })), false);
  assert.equal(sameBreakouts(state(), state({ rooms: [{ id: 'b1', name: 'One' }, { id: 'b2', name: 'Deux' }] })), false);
  assert.equal(sameBreakouts(state(), state({ rooms: [{ id: 'b1', name: 'One' }] })), false);
});

test('breakoutsNews: changed rooms, or a countdown more than 2 s off the local one', () => {
  const shown = state({ remainingMs: 60_000, receivedAt: 1000 });
  assert.equal(breakoutsNews(shown, state({ remainingMs: 50_000 }), 11_000), false, 'as the local countdown');
  assert.equal(breakoutsNews(shown, state({ remainingMs: 51_500 }), 11_000), false);
  assert.equal(breakoutsNews(shown, state({ remainingMs: 47_000 }), 11_000), true);
  assert.equal(breakoutsNews(shown, state({ remainingMs: 53_000 }), 11_000), true, 'more time counts too');
  assert.equal(breakoutsNews(shown, state({ remainingMs: 50_000, selfSelect: true }), 11_000), true);
  assert.equal(breakoutsNews(null, null), false);
  assert.equal(breakoutsNews(shown, null), true);
});
