import type Database from 'better-sqlite3';
import type { RoomRecord, StoredRoomSettings } from './records.js';
import { initialRoomSettings } from './room-settings.js';
import { SqliteRoomStore } from './room-store.js';
import type { RoomStore } from './stores.js';

/** Inserts a plain room for tests of the stores that refer to rooms; returns its key. */
export async function insertTestRoom(db: Database.Database, id: string, groupId: string | null = null): Promise<number> {
  return (await new SqliteRoomStore(db).insert({ id, title: '', hostSecretHash: 'h', createdAt: 1, groupId, settings: initialRoomSettings(100, groupId) })).key;
}

/** A room with a fresh random id and the defaults, `settings` overriding them: for tests of live meetings. */
export function insertRandomRoom(rooms: RoomStore, settings: Partial<StoredRoomSettings> = {}, groupId: string | null = null): Promise<RoomRecord> {
  return rooms.insert({
    id: `room${Math.random().toString(36).slice(2)}`,
    title: 'Test',
    hostSecretHash: 'x',
    createdAt: 0,
    groupId,
    settings: { ...initialRoomSettings(100, groupId), ...settings },
  });
}
