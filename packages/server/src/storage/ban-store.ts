import type Database from 'better-sqlite3';
import type { BanRecord } from './records.js';
import type { BanStore } from './stores.js';

/** Who stays out of a room for good (until a host clears the bans). */
export class SqliteBanStore implements BanStore {
  private readonly addStmt;
  private readonly matchStmt;
  private readonly clearStmt;

  constructor(db: Database.Database) {
    this.addStmt = db.prepare<[number, string | null, string | null, string | null, number]>(
      'INSERT INTO bans (room_key, device_hash, invite_id, member_id, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    // A null on either side never matches (SQL's `=` with NULL is not true): a participant who sent no device id is not banned by another's ban without one.
    this.matchStmt = db.prepare<{ room: number; device: string | null; invite: string | null; member: string | null }, { one: number }>(
      `SELECT 1 AS one FROM bans WHERE room_key = @room
        AND (device_hash = @device OR invite_id = @invite OR member_id = @member) LIMIT 1`,
    );
    this.clearStmt = db.prepare<[number]>('DELETE FROM bans WHERE room_key = ?');
  }

  async add(ban: BanRecord): Promise<boolean> {
    if (ban.deviceHash === null && ban.inviteId === null && ban.memberId === null) return false;
    this.addStmt.run(ban.roomKey, ban.deviceHash, ban.inviteId, ban.memberId, ban.createdAt);
    return true;
  }

  async isBanned(roomKey: number, who: { deviceHash: string | null; inviteId: string | null; memberId: string | null }): Promise<boolean> {
    return this.matchStmt.get({ room: roomKey, device: who.deviceHash, invite: who.inviteId, member: who.memberId }) !== undefined;
  }

  async clear(roomKey: number): Promise<number> {
    return this.clearStmt.run(roomKey).changes;
  }
}
