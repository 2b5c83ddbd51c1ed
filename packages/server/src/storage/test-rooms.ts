import type Database from 'better-sqlite3';
import { initialRoomSettings } from './room-settings.js';
import { RoomStore } from './room-store.js';

/** Inserts a plain room for tests of the stores that refer to rooms; returns its key. */
export function insertTestRoom(db: Database.Database, id: string, groupId: string | null = null): number {
  return new RoomStore(db).insert({ id, title: '', hostSecretHash: 'h', createdAt: 1, groupId, settings: initialRoomSettings(100, groupId) }).key;
}
