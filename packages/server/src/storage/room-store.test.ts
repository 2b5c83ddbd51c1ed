import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './database.js';
import { initialRoomSettings } from './room-settings.js';
import { RoomStore } from './room-store.js';

const room = (id: string, extra: { groupId?: string | null; createdAt?: number } = {}) => ({
  id,
  title: `Room ${id}`,
  hostSecretHash: `hash-${id}`,
  createdAt: extra.createdAt ?? 5,
  groupId: extra.groupId ?? null,
  settings: initialRoomSettings(100, extra.groupId ?? null),
});

test('rooms and their settings survive a restart when stored in a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'treff-store-'));
  try {
    const db = openDatabase(dir);
    const store = new RoomStore(db);
    const inserted = store.insert(room('r1'));
    store.updateSettings(inserted.key, { lobby: true, locked: true, passwordHash: 'scrypt$x', maxParticipants: 12, discoverable: true, requireE2ee: true, multipleScreenShares: true });
    db.close();
    const again = new RoomStore(openDatabase(dir));
    const record = again.get('r1');
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
    assert.equal(again.get('nope'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate room ids are refused; rooms of unknown groups too', () => {
  const store = new RoomStore(openDatabase(null));
  store.insert(room('r1'));
  assert.throws(() => store.insert(room('r1')), /UNIQUE/);
  assert.throws(() => store.insert(room('r2', { groupId: 'no-such-group' })), /FOREIGN KEY/);
});

test('new rooms get the default size, capped by the server limit; group rooms are members-only', () => {
  assert.equal(initialRoomSettings(100, null).maxParticipants, 50);
  assert.equal(initialRoomSettings(8, null).maxParticipants, 8);
  assert.equal(initialRoomSettings(100, 'g').joinMode, 'group');
});

test('updateSettings changes only the given settings; false and null are values, undefined is not', () => {
  const store = new RoomStore(openDatabase(null));
  const { key } = store.insert(room('r1'));
  store.updateSettings(key, { lobby: true, passwordHash: 'h' });
  const after = store.updateSettings(key, { lobby: false, linkSharing: undefined, passwordHash: null });
  assert.equal(after.settings.lobby, false);
  assert.equal(after.settings.linkSharing, true);
  assert.equal(after.settings.passwordHash, null);
  assert.deepEqual(store.updateSettings(key, {}), after);
  assert.throws(() => store.updateSettings(999, { lobby: true }), /no room/);
});

test('rotating a room id keeps its key: the old id is gone, the new one finds the same room', () => {
  const store = new RoomStore(openDatabase(null));
  const { key } = store.insert(room('old'));
  const rotated = store.rotateId(key, 'new');
  assert.equal(rotated.key, key);
  assert.equal(store.get('old'), null);
  assert.equal(store.get('new')?.key, key);
  assert.equal(store.getByKey(key)?.id, 'new');
  store.insert(room('other'));
  assert.throws(() => store.rotateId(key, 'other'), /UNIQUE/);
  assert.throws(() => store.rotateId(999, 'x'), /no room/);
});

test('blocked rooms are still found by id but leave the directory and group listings', () => {
  const db = openDatabase(null);
  db.prepare("INSERT INTO groups (id, name, admin_secret_hash, member_invite_hash, created_at) VALUES ('g', 'G', 'a', 'm', 1)").run();
  const store = new RoomStore(db);
  const a = store.insert(room('a', { groupId: 'g', createdAt: 1 }));
  const b = store.insert(room('b', { groupId: 'g', createdAt: 2 }));
  store.insert(room('c'));
  for (const r of [a, b]) store.updateSettings(r.key, { discoverable: true });
  store.touch(a.key, 100);
  store.touch(b.key, 50);
  assert.deepEqual(store.listDiscoverable(10).map((r) => r.id), ['a', 'b'], 'most recently used first; unlisted rooms never');
  assert.deepEqual(store.listDiscoverable(1).map((r) => r.id), ['a']);
  assert.deepEqual(store.listByGroup('g').map((r) => r.id), ['a', 'b']);
  store.block(a.key, 7);
  store.block(a.key, 9);
  assert.equal(store.get('a')?.blockedAt, 7, 'the first block counts');
  assert.deepEqual(store.listDiscoverable(10).map((r) => r.id), ['b']);
  assert.deepEqual(store.listByGroup('g').map((r) => r.id), ['b']);
});
