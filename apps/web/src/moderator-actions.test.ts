import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '@treff/client';
import { actionsFor } from './moderator-actions.js';

function fakeRoom(isHost: boolean) {
  const calls: string[] = [];
  return {
    calls,
    room: {
      isHost,
      mute: (id: string, kinds: readonly string[]) => (calls.push(`mute ${id} ${kinds.join(',')}`), true),
      requestUnmute: (id: string, kind: string) => (calls.push(`ask ${id} ${kind}`), true),
      setRole: (id: string, role: Role, options?: { handOver?: boolean }) => (calls.push(`role ${id} ${role}${options?.handOver ? ' handover' : ''}`), true),
      remove: (id: string, options?: { ban?: boolean }) => (calls.push(`remove ${id}${options?.ban ? ' ban' : ''}`), true),
      stopScreenShareOf: (id: string) => (calls.push(`stop share ${id}`), true),
    },
  };
}

const person = (role: Role, audio: boolean, video: boolean) => ({ id: 'p1', role, media: { audio, video } });

test('a host sees mute, role changes, hand-over and remove for a guest; each runs its SDK call', () => {
  const { room, calls } = fakeRoom(true);
  const actions = actionsFor(room, person('guest', true, true));
  assert.deepEqual(actions.map((a) => a.label), ['Mute their microphone', 'Stop their camera', 'Make co-host', 'Make host', 'Hand over hosting', 'Remove', 'Remove and ban']);
  for (const action of actions) action.run();
  assert.deepEqual(calls, ['mute p1 audio', 'mute p1 video', 'role p1 cohost', 'role p1 host', 'role p1 host handover', 'remove p1', 'remove p1 ban']);
});

test('muted devices are asked for, never turned on', () => {
  const { room, calls } = fakeRoom(true);
  const actions = actionsFor(room, person('cohost', false, false));
  assert.deepEqual(actions.slice(0, 2).map((a) => a.label), ['Ask them to unmute', 'Ask them to turn the camera on']);
  actions.slice(0, 2).forEach((a) => a.run());
  assert.deepEqual(calls, ['ask p1 audio', 'ask p1 video']);
  assert.ok(actions.some((a) => a.label === 'Make guest'));
  assert.ok(!actions.some((a) => a.label === 'Make co-host'));
});

test('a co-host gets no role changes, and nothing at all for a host (the server refuses co-hosts acting on hosts)', () => {
  const { room } = fakeRoom(false);
  assert.deepEqual(actionsFor(room, person('guest', true, false)).map((a) => a.label), ['Mute their microphone', 'Ask them to turn the camera on', 'Remove', 'Remove and ban']);
  assert.deepEqual(actionsFor(room, person('cohost', false, true)).map((a) => a.label), ['Ask them to unmute', 'Stop their camera', 'Remove', 'Remove and ban']);
  assert.deepEqual(actionsFor(room, person('host', true, true)), []);
  assert.deepEqual(actionsFor(room, person('host', false, false)), []);
});

test('the remove actions say who is being removed before the message goes out, the others do not', () => {
  const { room, calls } = fakeRoom(true);
  const actions = actionsFor(room, person('guest', true, true), (id) => calls.push(`removing ${id}`));
  for (const action of actions) action.run();
  assert.deepEqual(calls.filter((c) => c.startsWith('remov')), ['removing p1', 'remove p1', 'removing p1', 'remove p1 ban']);
});

test('whoever shares a screen can have it stopped by a host or co-host, right after the camera actions', () => {
  for (const isHost of [true, false]) {
    const { room, calls } = fakeRoom(isHost);
    const actions = actionsFor(room, { ...person('guest', true, true), screen: true });
    const at = actions.findIndex((a) => a.label === 'Stop screen share');
    assert.equal(at, 2, `host: ${isHost}`);
    actions[at]?.run();
    assert.deepEqual(calls, ['stop share p1']);
    assert.ok(!actionsFor(room, person('guest', true, true)).some((a) => a.label === 'Stop screen share'));
  }
});
