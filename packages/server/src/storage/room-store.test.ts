import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database.js';
import { initialRoomSettings } from './room-settings.js';
import { SqliteRoomStore as RoomStore } from './room-store.js';

const room = (id: string, extra: { groupId?: string | null; createdAt?: number } = {}) => ({
  id,
  title: `Room ${id}`,
  hostSecretHash: `hash-${id}`,
  createdAt: extra.createdAt ?? 5,
  groupId: extra.groupId ?? null,
  settings: initialRoomSettings(100, extra.groupId ?? null),
});

test('rooms and their settings survive a restart when stored in a data folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treff-store-'));
  try {
    const db = openDatabase(dir);
    const store = new RoomStore(db);
    const inserted = await store.insert(room('r1'));
    await store.updateSettings(inserted.key, { lobby: true, locked: true, passwordHash: 'scrypt$x', maxParticipants: 12, discoverable: true, requireE2ee: true, multipleScreenShares: true });
    db.close();
    const again = new RoomStore(openDatabase(dir));
    const record = await again.get('r1');
    assert.deepEqual(record, {
      key: inserted.key,
      id: 'r1',
      title: 'Room r1',
      hostSecretHash: 'hash-r1',
      createdAt: 5,
      groupId: null,
      blockedAt: null,
      settings: { joinMode: 'link', lobby: true, locked: true, passwordHash: 'scrypt$x', linkSharing: true, discoverable: true, maxParticipants: 12, autoPromote: true, requireE2ee: true, multipleScreenShares: true },
    });
    assert.equal(await again.get('nope'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate room ids are refused; rooms of unknown groups too', async () => {
  const store = new RoomStore(openDatabase(null));
  await store.insert(room('r1'));
  await assert.rejects(async () => await store.insert(room('r1')), /UNIQUE/);
  await assert.rejects(async () => await store.insert(room('r2', { groupId: 'no-such-group' })), /FOREIGN KEY/);
});

test('new rooms get the default size, capped by the server limit; group rooms are members-only', async () => {
  assert.equal(initialRoomSettings(100, null).maxParticipants, 50);
  assert.equal(initialRoomSettings(8, null).maxParticipants, 8);
  assert.equal(initialRoomSettings(100, 'g').joinMode, 'group');
});

test('updateSettings changes only the given settings; false and null are values, undefined is not', async () => {
  const store = new RoomStore(openDatabase(null));
  const { key } = await store.insert(room('r1'));
  await store.updateSettings(key, { lobby: true, passwordHash: 'h' });
  const after = await store.updateSettings(key, { lobby: false, linkSharing: undefined, passwordHash: null });
  assert.equal(after.settings.lobby, false);
  assert.equal(after.settings.linkSharing, true);
  assert.equal(after.settings.passwordHash, null);
  assert.deepEqual(await store.updateSettings(key, {}), after);
  await assert.rejects(async () => await store.updateSettings(999, { lobby: true }), /no room/);
});

test('rotating a room id keeps its key: the old id is gone, the new one finds the same room', async () => {
  const store = new RoomStore(openDatabase(null));
  const { key } = await store.insert(room('old'));
  const rotated = await store.rotateId(key, 'new');
  assert.equal(rotated.key, key);
  assert.equal(await store.get('old'), null);
  assert.equal((await store.get('new'))?.key, key);
  assert.equal((await store.getByKey(key))?.id, 'new');
  await store.insert(room('other'));
  await assert.rejects(async () => await store.rotateId(key, 'other'), /UNIQUE/);
  await assert.rejects(async () => await store.rotateId(999, 'x'), /no room/);
});

test('blocked rooms are still found by id but leave the directory and group listings', async () => {
  const db = openDatabase(null);
  db.prepare("INSERT INTO groups (id, name, admin_secret_hash, member_invite_hash, created_at) VALUES ('g', 'G', 'a', 'm', 1)").run();
  const store = new RoomStore(db);
  const a = await store.insert(room('a', { groupId: 'g', createdAt: 1 }));
  const b = await store.insert(room('b', { groupId: 'g', createdAt: 2 }));
  await store.insert(room('c'));
  for (const r of [a, b]) await store.updateSettings(r.key, { discoverable: true });
  await store.touch(a.key, 100);
  await store.touch(b.key, 50);
  assert.deepEqual((await store.listDiscoverable(10)).map((r) => r.id), ['a', 'b'], 'most recently used first; unlisted rooms never');
  assert.deepEqual((await store.listDiscoverable(1)).map((r) => r.id), ['a']);
  assert.deepEqual((await store.listByGroup('g')).map((r) => r.id), ['a', 'b']);
  await store.block(a.key, 7);
  await store.block(a.key, 9);
  assert.equal((await store.get('a'))?.blockedAt, 7, 'the first block counts');
  assert.deepEqual((await store.listDiscoverable(10)).map((r) => r.id), ['b']);
  assert.deepEqual((await store.listByGroup('g')).map((r) => r.id), ['b']);
});
