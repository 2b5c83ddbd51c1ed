import type { JoinMode, ReportReason } from '@treff/protocol';

/**
 * What the server keeps on disk (SQLite), as the rest of the server sees it. Secrets are stored only as
 * hashes; no media, chat, participant lists or addresses are ever stored.
 */

/** A room's persistent settings. `locked` persists too: a lock after a removal must survive a restart. */
export interface StoredRoomSettings {
  joinMode: JoinMode;
  lobby: boolean;
  locked: boolean;
  /** scrypt hash of the room password (see `password-hash.ts`); null: no password. */
  passwordHash: string | null;
  linkSharing: boolean;
  discoverable: boolean;
  maxParticipants: number;
  autoPromote: boolean;
  /** Only clients that encrypt end to end may join (see docs/signaling.md, `e2ee-required`). */
  requireE2ee: boolean;
  /** Several participants may share their screens at once. */
  multipleScreenShares: boolean;
}

export interface RoomRecord {
  /** Internal, immutable key; other tables refer to it, so a rotated link keeps bans, invites and reports. */
  key: number;
  /** The public id in the room link; changes when the link is rotated. */
  id: string;
  title: string;
  /** SHA-256 of the host secret; the secret itself is never stored. */
  hostSecretHash: string;
  createdAt: number;
  groupId: string | null;
  settings: StoredRoomSettings;
  /** Set when the operator closed the room and blocked its link. */
  blockedAt: number | null;
}

export interface InviteRecord {
  id: string;
  roomKey: number;
  label: string;
  /** SHA-256 of the invite token. */
  tokenHash: string;
  createdAt: number;
  revokedAt: number | null;
}

/** A ban binds whatever identified the removed participant: their device id, invite, or group membership. */
export interface BanRecord {
  roomKey: number;
  /** SHA-256 of the device id the browser sent; null when it sent none. */
  deviceHash: string | null;
  inviteId: string | null;
  memberId: string | null;
  createdAt: number;
}

export interface GroupRecord {
  id: string;
  name: string;
  /** SHA-256 of the group admin secret (the admin link's fragment). */
  adminSecretHash: string;
  /** SHA-256 of the current member invite code; rotating it stops the old member invite link. */
  memberInviteHash: string;
  createdAt: number;
}

export interface MemberRecord {
  id: string;
  groupId: string;
  name: string;
  role: 'admin' | 'member';
  createdAt: number;
  /** A revoked member's credential stops working at once. */
  revokedAt: number | null;
}

/** Metadata only: never media, chat or notes. */
export interface ReportRecord {
  id: string;
  roomKey: number;
  /** The room id at the time of the report. */
  roomId: string;
  createdAt: number;
  reason: ReportReason;
  text: string;
  participantCount: number;
  displayNames: string[];
  closedAt: number | null;
}
