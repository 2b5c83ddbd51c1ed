import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyPassword } from './password-hash.js';
import { initialRoomSettings, publicRoomSettings, settingsChanges, SettingsError } from './room-settings.js';

test('an update hashes a new password, null removes it, absent leaves it', async () => {
  const set = await settingsChanges({ password: 'open sesame', lobby: true }, { groupId: null }, 100);
  assert.equal(set.lobby, true);
  assert.equal(await verifyPassword('open sesame', set.passwordHash!), true);
  assert.equal('password' in set, false, 'the plain password is never part of what is stored');
  assert.deepEqual(await settingsChanges({ password: null }, { groupId: null }, 100), { passwordHash: null });
  assert.deepEqual(await settingsChanges({ locked: false }, { groupId: null }, 100), { locked: false });
});

test('updates that cannot apply are refused', async () => {
  await assert.rejects(settingsChanges({ maxParticipants: 101 }, { groupId: null }, 100), SettingsError);
  await assert.rejects(settingsChanges({ joinMode: 'group' }, { groupId: null }, 100), /needs a room created from a group/);
  assert.deepEqual(await settingsChanges({ joinMode: 'group', maxParticipants: 100 }, { groupId: 'g' }, 100), { joinMode: 'group', maxParticipants: 100 });
});

test('participants see whether there is a password, never its hash', () => {
  const settings = { ...initialRoomSettings(100, 'g'), passwordHash: 'scrypt$secret' };
  const seen = publicRoomSettings({ key: 1, id: 'r', title: '', hostSecretHash: 'h', createdAt: 1, groupId: 'g', settings, blockedAt: null });
  assert.deepEqual(seen, { joinMode: 'group', lobby: false, locked: false, passwordRequired: true, linkSharing: true, discoverable: false, maxParticipants: 50, autoPromote: true, requireE2ee: false, multipleScreenShares: false, groupId: 'g' });
});
