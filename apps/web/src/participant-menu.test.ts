import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '@treff/client';
import { participantMenu } from './participant-menu.js';

function fakeRoom(opts: { moderator: boolean; supported: boolean }) {
  const calls: string[] = [];
  const record = (call: string) => (calls.push(call), true);
  return {
    calls,
    room: {
      isHost: opts.moderator,
      isModerator: opts.moderator,
      e2ee: { supported: opts.supported },
      mute: (id: string) => record(`mute ${id}`),
      requestUnmute: (id: string) => record(`ask ${id}`),
      setRole: (id: string, role: Role) => record(`role ${id} ${role}`),
      remove: (id: string) => record(`remove ${id}`),
    },
  };
}

const identity = { publicKey: 'A'.repeat(87), keyTag: 7 };
const person = (e2ee: typeof identity | null, role: Role = 'guest') => ({ id: 'p1', role, media: { audio: true, video: true }, e2ee });

test('a guest gets only "Verify security code" for someone who encrypts, and it opens the dialog at them', () => {
  const { room, calls } = fakeRoom({ moderator: false, supported: true });
  const opened: string[] = [];
  const menu = participantMenu(room, person(identity), (id) => opened.push(id));
  assert.deepEqual(menu.map((a) => a.label), ['Verify security code']);
  assert.equal(menu[0]!.run(), true);
  assert.deepEqual(opened, ['p1']);
  assert.deepEqual(calls, []);
});

test('nothing to verify with someone whose app cannot encrypt, or when this browser cannot', () => {
  assert.deepEqual(participantMenu(fakeRoom({ moderator: false, supported: true }).room, person(null), () => undefined), []);
  assert.deepEqual(participantMenu(fakeRoom({ moderator: false, supported: false }).room, person(identity), () => undefined), []);
});

test('moderators get verification first, then their actions', () => {
  const { room } = fakeRoom({ moderator: true, supported: true });
  const labels = participantMenu(room, person(identity), () => undefined).map((a) => a.label);
  assert.equal(labels[0], 'Verify security code');
  assert.deepEqual(labels.slice(1, 3), ['Mute their microphone', 'Stop their camera']);
  assert.ok(labels.includes('Remove'));
  assert.ok(!participantMenu(room, person(null), () => undefined).some((a) => a.label === 'Verify security code'));
});
