import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE, openDatabase } from './database.js';
import { MIGRATIONS, SchemaTooNewError } from './migrations.js';
import { SqliteRoomStore as RoomStore } from './room-store.js';

async function withDir(fn: (dir: string) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'treff-migrate-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a data file of the first release (no user_version, rooms table only) upgrades and keeps its rooms', async () => {
  await withDir(async (dir) => {
    // Exactly what the first release's RoomStore created and wrote.
    const old = new Database(join(dir, DATABASE_FILE));
    old.pragma('journal_mode = WAL');
    old.exec(`CREATE TABLE IF NOT EXISTS rooms (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      host_secret_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_used_at INTEGER NOT NULL
    ) STRICT`);
    old.prepare('INSERT INTO rooms (id, title, host_secret_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)').run('legacyRoom', 'Standup', 'h', 5, 9);
    old.close();

    const db = openDatabase(dir);
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    const room = await new RoomStore(db).get('legacyRoom');
    assert.ok(room);
    assert.equal(room.title, 'Standup');
    assert.equal(room.hostSecretHash, 'h');
    assert.equal(room.createdAt, 5);
    assert.equal(room.groupId, null);
    assert.equal(room.blockedAt, null);
    assert.deepEqual(room.settings, { joinMode: 'link', lobby: false, locked: false, passwordHash: null, linkSharing: true, discoverable: false, maxParticipants: 50, autoPromote: true, requireE2ee: false, multipleScreenShares: false });
    assert.equal(typeof room.key, 'number');
    db.close();
  });
});

test('a data file at version 1 upgrades too, and opening an up-to-date file again changes nothing', async () => {
  await withDir(async (dir) => {
    const old = new Database(join(dir, DATABASE_FILE));
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare('INSERT INTO rooms VALUES (?, ?, ?, ?, ?)').run('v1Room', '', 'h', 1, 1);
    old.close();
    openDatabase(dir).close();
    const db = openDatabase(dir);
    assert.equal((await new RoomStore(db).get('v1Room'))?.hostSecretHash, 'h');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });
});

test('a file from a newer server is refused instead of being misread', async () => {
  await withDir(async (dir) => {
    const newer = new Database(join(dir, DATABASE_FILE));
    newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    newer.close();
    assert.throws(() => openDatabase(dir), SchemaTooNewError);
  });
});

test('a migration that fails leaves the file at the previous version', async () => {
  await withDir(async (dir) => {
    // A v1 file whose rooms table is missing a column migration 2 copies: migration 2 must fail as a whole.
    const broken = new Database(join(dir, DATABASE_FILE));
    broken.exec('CREATE TABLE rooms (id TEXT PRIMARY KEY, title TEXT NOT NULL) STRICT');
    broken.pragma('user_version = 1');
    broken.close();
    assert.throws(() => openDatabase(dir), /no such column/);
    const after = new Database(join(dir, DATABASE_FILE));
    assert.equal(after.pragma('user_version', { simple: true }), 1);
    assert.deepEqual(after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all(), [{ name: 'rooms' }]);
    after.close();
  });
});

test('a data file at version 2 gets requireE2ee off for its rooms, and the setting is stored from then on', async () => {
  await withDir(async (dir) => {
    const old = new Database(join(dir, DATABASE_FILE));
    old.exec(MIGRATIONS[0]!);
    old.exec(MIGRATIONS[1]!);
    old.pragma('user_version = 2');
    old.prepare('INSERT INTO rooms (id, title, host_secret_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)').run('v2Room', '', 'h', 1, 1);
    old.close();
    const db = openDatabase(dir);
    const rooms = new RoomStore(db);
    const room = await rooms.get('v2Room');
    assert.ok(room);
    assert.equal(room.settings.requireE2ee, false);
    assert.equal((await rooms.updateSettings(room.key, { requireE2ee: true })).settings.requireE2ee, true);
    db.close();
    const reopened = openDatabase(dir);
    assert.equal((await new RoomStore(reopened).get('v2Room'))?.settings.requireE2ee, true);
    reopened.close();
  });
});

test('a data file at version 3 gets multipleScreenShares off for its rooms, and the setting is stored from then on', async () => {
  await withDir(async (dir) => {
    const old = new Database(join(dir, DATABASE_FILE));
    for (const migration of MIGRATIONS.slice(0, 3)) old.exec(migration);
    old.pragma('user_version = 3');
    old.prepare('INSERT INTO rooms (id, title, host_secret_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)').run('v3Room', '', 'h', 1, 1);
    old.close();
    const db = openDatabase(dir);
    const rooms = new RoomStore(db);
    const room = await rooms.get('v3Room');
    assert.ok(room);
    assert.equal(room.settings.multipleScreenShares, false);
    assert.equal((await rooms.updateSettings(room.key, { multipleScreenShares: true })).settings.multipleScreenShares, true);
    db.close();
    const reopened = openDatabase(dir);
    assert.equal((await new RoomStore(reopened).get('v3Room'))?.settings.multipleScreenShares, true);
    reopened.close();
  });
});
