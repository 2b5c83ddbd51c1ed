import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE } from './database.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { initialRoomSettings } from './room-settings.js';
import { openStorage } from './storage.js';

test('everything stored survives closing and reopening the data folder, member credentials included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treff-storage-'));
  try {
    const first = await openStorage(dir);
    await first.groups.create({ id: 'g1', name: 'Choir', adminSecretHash: 'admin', memberInviteHash: 'invite', createdAt: 1 });
    const member = { id: 'm1', groupId: 'g1', name: 'Ada', role: 'member' as const, createdAt: 2, revokedAt: null };
    await first.groups.addMember(member);
    const token = await first.credentials.issue(member);
    const room = await first.rooms.insert({ id: 'r1', title: 'Rehearsal', hostSecretHash: 'host', createdAt: 3, groupId: 'g1', settings: initialRoomSettings(100, 'g1') });
    await first.rooms.updateSettings(room.key, { passwordHash: await hashPassword('sing'), lobby: true, locked: true });
    const invite = await first.invites.create(room.key, 'Bob', 'tok', 4);
    await first.bans.add({ roomKey: room.key, deviceHash: 'dev', inviteId: null, memberId: null, createdAt: 5 });
    await first.reports.add({ id: 'p1', roomKey: room.key, roomId: 'r1', createdAt: 6, reason: 'other', text: 'loud', participantCount: 3, displayNames: ['Ada'], closedAt: null });
    await first.close();

    const again = await openStorage(dir);
    const reopened = await again.rooms.get('r1');
    assert.ok(reopened);
    assert.deepEqual({ ...reopened.settings, passwordHash: null }, { ...initialRoomSettings(100, 'g1'), lobby: true, locked: true });
    assert.equal(await verifyPassword('sing', reopened.settings.passwordHash!), true);
    assert.deepEqual(await again.credentials.verify(token), member, 'the signing key outlives the process');
    assert.equal((await again.invites.findActive(room.key, 'tok'))?.id, invite.id);
    assert.equal(await again.bans.isBanned(room.key, { deviceHash: 'dev', inviteId: null, memberId: null }), true);
    assert.equal((await again.reports.list('open'))[0]?.text, 'loud');
    await again.close();
    assert.doesNotMatch(readFileSync(join(dir, DATABASE_FILE)).toString('latin1'), /sing\b/, 'the password is never stored');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('in-memory storage keeps nothing between opens', async () => {
  const a = await openStorage(null);
  await a.groups.create({ id: 'g1', name: 'x', adminSecretHash: 'a', memberInviteHash: 'i', createdAt: 1 });
  a.close();
  const b = await openStorage(null);
  assert.equal(await b.groups.get('g1'), null);
  b.close();
});
