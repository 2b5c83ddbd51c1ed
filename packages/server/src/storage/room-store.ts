import type Database from 'better-sqlite3';
import type { JoinMode } from '@treff/protocol';
import type { RoomRecord, StoredRoomSettings } from './records.js';
import type { RoomStore } from './stores.js';

interface RoomRow {
  key: number;
  id: string;
  title: string;
  host_secret_hash: string;
  created_at: number;
  group_id: string | null;
  join_mode: string;
  lobby: number;
  locked: number;
  password_hash: string | null;
  link_sharing: number;
  discoverable: number;
  max_participants: number;
  auto_promote: number;
  require_e2ee: number;
  multiple_screen_shares: number;
  blocked_at: number | null;
}

const COLUMNS = `key, id, title, host_secret_hash, created_at, group_id, join_mode, lobby, locked, password_hash,
  link_sharing, discoverable, max_participants, auto_promote, require_e2ee, multiple_screen_shares, blocked_at`;

/** Setting → column; the only column names an update may touch (no caller text ever reaches SQL). */
const SETTING_COLUMNS: { [K in keyof StoredRoomSettings]: string } = {
  joinMode: 'join_mode',
  lobby: 'lobby',
  locked: 'locked',
  passwordHash: 'password_hash',
  linkSharing: 'link_sharing',
  discoverable: 'discoverable',
  maxParticipants: 'max_participants',
  autoPromote: 'auto_promote',
  requireE2ee: 'require_e2ee',
  multipleScreenShares: 'multiple_screen_shares',
};

const toRecord = (row: RoomRow): RoomRecord => ({
  key: row.key,
  id: row.id,
  title: row.title,
  hostSecretHash: row.host_secret_hash,
  createdAt: row.created_at,
  groupId: row.group_id,
  settings: {
    joinMode: row.join_mode as JoinMode,
    lobby: row.lobby === 1,
    locked: row.locked === 1,
    passwordHash: row.password_hash,
    linkSharing: row.link_sharing === 1,
    discoverable: row.discoverable === 1,
    maxParticipants: row.max_participants,
    autoPromote: row.auto_promote === 1,
    requireE2ee: row.require_e2ee === 1,
    multipleScreenShares: row.multiple_screen_shares === 1,
  },
  blockedAt: row.blocked_at,
});

const toColumnValue = (value: StoredRoomSettings[keyof StoredRoomSettings]): string | number | null =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

export type { RoomRecord, StoredRoomSettings } from './records.js';

/** Rooms outlive their meetings: a link keeps working until the room is blocked or its link rotated. */
export class SqliteRoomStore implements RoomStore {
  private readonly insertStmt;
  private readonly getStmt;
  private readonly getByKeyStmt;
  private readonly rotateStmt;
  private readonly blockStmt;
  private readonly touchStmt;
  private readonly discoverableStmt;
  private readonly byGroupStmt;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare<[string, string, string, number, number, string | null, string, number, number, string | null, number, number, number, number, number, number], RoomRow>(
      `INSERT INTO rooms (id, title, host_secret_hash, created_at, last_used_at, group_id, join_mode, lobby, locked, password_hash,
        link_sharing, discoverable, max_participants, auto_promote, require_e2ee, multiple_screen_shares)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    );
    this.getStmt = db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE id = ?`);
    this.getByKeyStmt = db.prepare<[number], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE key = ?`);
    this.rotateStmt = db.prepare<[string, number], RoomRow>(`UPDATE rooms SET id = ? WHERE key = ? RETURNING ${COLUMNS}`);
    this.blockStmt = db.prepare<[number, number]>('UPDATE rooms SET blocked_at = coalesce(blocked_at, ?) WHERE key = ?');
    this.touchStmt = db.prepare<[number, number]>('UPDATE rooms SET last_used_at = ? WHERE key = ?');
    this.discoverableStmt = db.prepare<[number], RoomRow>(
      `SELECT ${COLUMNS} FROM rooms WHERE discoverable = 1 AND blocked_at IS NULL ORDER BY last_used_at DESC, key DESC LIMIT ?`,
    );
    this.byGroupStmt = db.prepare<[string], RoomRow>(`SELECT ${COLUMNS} FROM rooms WHERE group_id = ? AND blocked_at IS NULL ORDER BY created_at, key`);
  }

  async insert(room: Omit<RoomRecord, 'key' | 'blockedAt'>): Promise<RoomRecord> {
    const s = room.settings;
    const row = this.insertStmt.get(
      room.id, room.title, room.hostSecretHash, room.createdAt, room.createdAt, room.groupId, s.joinMode, Number(s.lobby), Number(s.locked),
      s.passwordHash, Number(s.linkSharing), Number(s.discoverable), s.maxParticipants, Number(s.autoPromote), Number(s.requireE2ee),
      Number(s.multipleScreenShares),
    );
    return toRecord(row!);
  }

  async get(id: string): Promise<RoomRecord | null> {
    const row = this.getStmt.get(id);
    return row ? toRecord(row) : null;
  }

  async getByKey(key: number): Promise<RoomRecord | null> {
    const row = this.getByKeyStmt.get(key);
    return row ? toRecord(row) : null;
  }

  async updateSettings(key: number, changes: Partial<StoredRoomSettings>): Promise<RoomRecord> {
    const entries = (Object.keys(SETTING_COLUMNS) as (keyof StoredRoomSettings)[]).filter((name) => changes[name] !== undefined);
    if (entries.length > 0) {
      const sql = `UPDATE rooms SET ${entries.map((name) => `${SETTING_COLUMNS[name]} = ?`).join(', ')} WHERE key = ?`;
      this.db.prepare(sql).run(...entries.map((name) => toColumnValue(changes[name]!)), key);
    }
    const record = await this.getByKey(key);
    if (record === null) throw new Error(`no room with key ${key}`);
    return record;
  }

  async rotateId(key: number, newId: string): Promise<RoomRecord> {
    const row = this.rotateStmt.get(newId, key);
    if (row === undefined) throw new Error(`no room with key ${key}`);
    return toRecord(row);
  }

  async block(key: number, now: number): Promise<void> {
    this.blockStmt.run(now, key);
  }

  async touch(key: number, now: number): Promise<void> {
    this.touchStmt.run(now, key);
  }

  async listDiscoverable(limit: number): Promise<RoomRecord[]> {
    return this.discoverableStmt.all(limit).map(toRecord);
  }

  async listByGroup(groupId: string): Promise<RoomRecord[]> {
    return this.byGroupStmt.all(groupId).map(toRecord);
  }
}
