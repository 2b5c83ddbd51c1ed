import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isModerator, may, outranksOrEqual, type Action } from './permissions.js';

const HOST_ONLY: Action[] = ['set-role', 'update-settings', 'end-meeting', 'manage-invites', 'rotate-link', 'clear-bans'];
const MODERATION: Action[] = ['lobby-admit', 'lobby-deny', 'remove', 'ban', 'mute', 'request-unmute', 'lock', 'lower-hand', 'stop-screen-share', 'create-poll', 'close-poll', 'share-video'];
const EVERYONE: Action[] = ['chat', 'raise-hand', 'react', 'share-screen', 'vote'];

test('hosts may do everything', () => {
  for (const action of [...HOST_ONLY, ...MODERATION]) assert.equal(may('host', action), true, action);
});

test('co-hosts moderate but change no roles, settings or links, and cannot end the meeting', () => {
  for (const action of MODERATION) assert.equal(may('cohost', action), true, action);
  for (const action of HOST_ONLY) assert.equal(may('cohost', action), false, action);
});

test('guests may do none of it', () => {
  for (const action of [...HOST_ONLY, ...MODERATION]) assert.equal(may('guest', action), false, action);
});

test('co-hosts never act on hosts; hosts act on anyone', () => {
  assert.equal(outranksOrEqual('cohost', 'host'), false);
  assert.equal(outranksOrEqual('cohost', 'cohost'), true);
  assert.equal(outranksOrEqual('cohost', 'guest'), true);
  assert.equal(outranksOrEqual('host', 'host'), true);
  assert.deepEqual((['host', 'cohost', 'guest'] as const).map(isModerator), [true, true, false]);
});

test('everyone in the meeting may chat, raise a hand and react', () => {
  for (const role of ['host', 'cohost', 'guest'] as const) for (const action of EVERYONE) assert.equal(may(role, action), true, `${role} ${action}`);
});
