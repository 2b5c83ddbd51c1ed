import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface RoomRecord {
  id: string;
  title: string;
  /** SHA-256 of the host secret; the secret itself is never stored. */
  hostSecretHash: string;
  createdAt: number;
}

/** Rooms outlive their meetings: a link keeps working until the room is deleted. Embedded SQLite. */
export class RoomStore {
  private readonly db: Database.Database;
  private readonly insertStmt: Database.Statement<[string, string, string, number, number]>;
  private readonly getStmt: Database.Statement<[string], { id: string; title: string; host_secret_hash: string; created_at: number }>;
  private readonly touchStmt: Database.Statement<[number, string]>;

  /** `dataDir` null keeps everything in memory. */
  constructor(dataDir: string | null) {
    let file = ':memory:';
    if (dataDir !== null) {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, 'treff.sqlite');
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS rooms (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      host_secret_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_used_at INTEGER NOT NULL
    ) STRICT`);
    this.insertStmt = this.db.prepare('INSERT INTO rooms (id, title, host_secret_hash, created_at, last_used_at) VALUES (?, ?, ?, ?, ?)');
    this.getStmt = this.db.prepare('SELECT id, title, host_secret_hash, created_at FROM rooms WHERE id = ?');
    this.touchStmt = this.db.prepare('UPDATE rooms SET last_used_at = ? WHERE id = ?');
  }

  insert(room: RoomRecord): void {
    this.insertStmt.run(room.id, room.title, room.hostSecretHash, room.createdAt, room.createdAt);
  }

  get(id: string): RoomRecord | null {
    const row = this.getStmt.get(id);
    return row ? { id: row.id, title: row.title, hostSecretHash: row.host_secret_hash, createdAt: row.created_at } : null;
  }

  /** Records that a meeting took place, for future cleanup of long-unused rooms. */
  touch(id: string, now: number): void {
    this.touchStmt.run(now, id);
  }

  close(): void {
    this.db.close();
  }
}
