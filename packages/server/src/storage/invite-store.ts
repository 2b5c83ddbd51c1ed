import type Database from 'better-sqlite3';
import { newShortId } from '../ids.js';
import type { InviteRecord } from './records.js';
import type { InviteStore } from './stores.js';

interface InviteRow {
  id: string;
  room_key: number;
  label: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

const toRecord = (row: InviteRow): InviteRecord => ({
  id: row.id,
  roomKey: row.room_key,
  label: row.label,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Personal invites to invite-only rooms; only the token's hash is kept. */
export class SqliteInviteStore implements InviteStore {
  private readonly insertStmt;
  private readonly listStmt;
  private readonly revokeStmt;
  private readonly findStmt;

  constructor(db: Database.Database) {
    this.insertStmt = db.prepare<[string, number, string, string, number], InviteRow>(
      'INSERT INTO invites (id, room_key, label, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
    );
    this.listStmt = db.prepare<[number], InviteRow>('SELECT * FROM invites WHERE room_key = ? ORDER BY created_at, rowid');
    this.revokeStmt = db.prepare<[number, number, string]>('UPDATE invites SET revoked_at = ? WHERE room_key = ? AND id = ? AND revoked_at IS NULL');
    this.findStmt = db.prepare<[number, string], InviteRow>('SELECT * FROM invites WHERE room_key = ? AND token_hash = ? AND revoked_at IS NULL');
  }

  async create(roomKey: number, label: string, tokenHash: string, now: number): Promise<InviteRecord> {
    return toRecord(this.insertStmt.get(newShortId(), roomKey, label, tokenHash, now)!);
  }

  async list(roomKey: number): Promise<InviteRecord[]> {
    return this.listStmt.all(roomKey).map(toRecord);
  }

  async revoke(roomKey: number, inviteId: string, now: number): Promise<boolean> {
    return this.revokeStmt.run(now, roomKey, inviteId).changes > 0;
  }

  async findActive(roomKey: number, tokenHash: string): Promise<InviteRecord | null> {
    const row = this.findStmt.get(roomKey, tokenHash);
    return row ? toRecord(row) : null;
  }
}
