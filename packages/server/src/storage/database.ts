import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrations.js';

export const DATABASE_FILE = 'treff.sqlite';

/** Opens (or creates) `<dataDir>/treff.sqlite` and migrates it; `dataDir` null keeps everything in memory. */
export function openDatabase(dataDir: string | null): Database.Database {
  let file = ':memory:';
  if (dataDir !== null) {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, DATABASE_FILE);
  }
  const db = new Database(file);
  try {
    // WAL: readers never wait for the writer, and a crash mid-write leaves the last commit intact.
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
