import { DEFAULT_ROOM_SIZE, type RoomSettings, type RoomSettingsUpdate } from '@treff/protocol';
import { hashPassword } from './password-hash.js';
import type { RoomRecord, StoredRoomSettings } from './records.js';

/** A new room's settings: open to anyone with the link (group rooms: to members), no lobby, unlisted. */
export function initialRoomSettings(serverMaxParticipants: number, groupId: string | null): StoredRoomSettings {
  return {
    joinMode: groupId === null ? 'link' : 'group',
    lobby: false,
    locked: false,
    passwordHash: null,
    linkSharing: true,
    discoverable: false,
    maxParticipants: Math.min(DEFAULT_ROOM_SIZE, serverMaxParticipants),
    autoPromote: true,
    requireE2ee: false,
    multipleScreenShares: false,
  };
}

export class SettingsError extends Error {}

/**
 * What an update changes in storage (the password hashed). Throws `SettingsError` for an update that
 * cannot apply to this room: a size above the server's limit, or group-only entry for a room without a group.
 */
export async function settingsChanges(update: RoomSettingsUpdate, room: { groupId: string | null }, serverMaxParticipants: number): Promise<Partial<StoredRoomSettings>> {
  if (update.maxParticipants !== undefined && update.maxParticipants > serverMaxParticipants) {
    throw new SettingsError(`maxParticipants must be at most ${serverMaxParticipants} on this server`);
  }
  if (update.joinMode === 'group' && room.groupId === null) throw new SettingsError('joinMode "group" needs a room created from a group');
  const { password, ...rest } = update;
  const changes: Partial<StoredRoomSettings> = { ...rest };
  if (password === null) changes.passwordHash = null;
  else if (password !== undefined) changes.passwordHash = await hashPassword(password);
  return changes;
}

/** The settings as participants see them: whether there is a password, never its hash. */
export function publicRoomSettings(room: RoomRecord): RoomSettings {
  const { passwordHash, ...rest } = room.settings;
  return { ...rest, passwordRequired: passwordHash !== null, groupId: room.groupId };
}
