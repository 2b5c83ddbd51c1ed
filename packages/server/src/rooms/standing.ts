import type { RoomRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import type { Identity } from './participant.js';
import { RoomError } from './room-error.js';

/**
 * Why someone checked at knock time may no longer come in: banned since, or the membership or invite
 * the room's join mode needs was revoked while they waited. Null when they still may. Admission
 * checked the same things when they knocked; a lobby can hold them for minutes.
 */
export async function lostStanding(storage: Storage, record: RoomRecord, identity: Identity): Promise<RoomError | null> {
  if (identity.hostLink) return null;
  if (await storage.bans.isBanned(record.key, identity)) return new RoomError('banned', 'you were removed from this meeting and cannot rejoin it');
  const { joinMode } = record.settings;
  if (joinMode === 'group' && !(await memberActive(storage, identity.memberId))) {
    return new RoomError('members-only', 'this meeting is open to members of its group only, and your membership was revoked');
  }
  if (joinMode === 'invite' && !identity.groupAdmin && !(await inviteActive(storage, record.key, identity.inviteId))) {
    return new RoomError('not-invited', 'this meeting is by personal invitation only, and your invite was revoked');
  }
  return null;
}

async function memberActive(storage: Storage, memberId: string | null): Promise<boolean> {
  if (memberId === null) return false;
  const member = await storage.groups.getMember(memberId);
  return member !== null && member.revokedAt === null;
}

async function inviteActive(storage: Storage, roomKey: number, inviteId: string | null): Promise<boolean> {
  return inviteId !== null && (await storage.invites.list(roomKey)).some((invite) => invite.id === inviteId && invite.revokedAt === null);
}
