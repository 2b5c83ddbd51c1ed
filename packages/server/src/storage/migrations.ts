import type Database from 'better-sqlite3';
import { DEFAULT_ROOM_SIZE } from '@treff/protocol';

/**
 * Schema changes, in order; migration n brings `PRAGMA user_version` from n-1 to n. Never edit one that
 * has shipped: data files in the wild already ran it. Add a new one instead.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the rooms table of the first release. IF NOT EXISTS: files from before migrations existed (user_version 0) already have it.
  `CREATE TABLE IF NOT EXISTS rooms (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    host_secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
  ) STRICT;`,

  // 2: host controls. Rooms get an immutable integer key, so a rotated link (new public id) keeps its
  // invites, bans and reports; existing rooms keep their id and get today's defaults.
  `CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    admin_secret_hash TEXT NOT NULL,
    member_invite_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE members (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX members_by_group ON members(group_id);

  CREATE TABLE rooms_v2 (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    host_secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    group_id TEXT REFERENCES groups(id),
    join_mode TEXT NOT NULL DEFAULT 'link' CHECK (join_mode IN ('link', 'group', 'invite')),
    lobby INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    link_sharing INTEGER NOT NULL DEFAULT 1,
    discoverable INTEGER NOT NULL DEFAULT 0,
    max_participants INTEGER NOT NULL DEFAULT ${DEFAULT_ROOM_SIZE},
    auto_promote INTEGER NOT NULL DEFAULT 1,
    blocked_at INTEGER
  ) STRICT;
  INSERT INTO rooms_v2 (id, title, host_secret_hash, created_at, last_used_at)
    SELECT id, title, host_secret_hash, created_at, last_used_at FROM rooms ORDER BY created_at;
  DROP TABLE rooms;
  ALTER TABLE rooms_v2 RENAME TO rooms;
  CREATE INDEX rooms_by_group ON rooms(group_id);
  CREATE INDEX rooms_discoverable ON rooms(last_used_at) WHERE discoverable = 1 AND blocked_at IS NULL;

  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    room_key INTEGER NOT NULL REFERENCES rooms(key) ON DELETE CASCADE,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  CREATE INDEX invites_by_token ON invites(room_key, token_hash);

  CREATE TABLE bans (
    room_key INTEGER NOT NULL REFERENCES rooms(key) ON DELETE CASCADE,
    device_hash TEXT,
    invite_id TEXT,
    member_id TEXT,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX bans_by_room ON bans(room_key);

  CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    room_key INTEGER NOT NULL REFERENCES rooms(key) ON DELETE CASCADE,
    room_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    text TEXT NOT NULL,
    participant_count INTEGER NOT NULL,
    display_names TEXT NOT NULL,
    closed_at INTEGER
  ) STRICT;
  CREATE INDEX reports_open ON reports(created_at) WHERE closed_at IS NULL;

  CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret BLOB NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;`,

  // 3: end-to-end encryption. A host may require it; existing rooms keep admitting every client.
  `ALTER TABLE rooms ADD COLUMN require_e2ee INTEGER NOT NULL DEFAULT 0;`,

  // 4: screen sharing. One share at a time unless a host allows several.
  `ALTER TABLE rooms ADD COLUMN multiple_screen_shares INTEGER NOT NULL DEFAULT 0;`,
];

export class SchemaTooNewError extends Error {}

/** Brings the database up to the latest schema, one transaction per migration. Returns the version reached. */
export function migrate(db: Database.Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new SchemaTooNewError(`the database has schema version ${current}, newer than this server knows (${MIGRATIONS.length}); upgrade Treff`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return MIGRATIONS.length;
}
