import type { BanRecord, GroupRecord, InviteRecord, MemberRecord, ReportRecord, RoomRecord, StoredRoomSettings } from './records.js';

// What the server keeps, as the rest of it sees it. Two implementations: SQLite (one machine, the default) and
// Redis (several machines sharing one Redis). Every call is async so that both fit; the contract tests in
// stores.test.ts run against each.

/** Rooms outlive their meetings: a link keeps working until the room is blocked or its link rotated. */
export interface RoomStore {
  /** Rejects on a duplicate id or an unknown group. */
  insert(room: Omit<RoomRecord, 'key' | 'blockedAt'>): Promise<RoomRecord>;
  /** By public id; blocked rooms are returned too (callers check `blockedAt`). */
  get(id: string): Promise<RoomRecord | null>;
  getByKey(key: number): Promise<RoomRecord | null>;
  /** Rejects when there is no such room. */
  updateSettings(key: number, changes: Partial<StoredRoomSettings>): Promise<RoomRecord>;
  /** Gives the room a new public id: the old link stops working, invites, bans and reports stay. Rejects when there is no such room. */
  rotateId(key: number, newId: string): Promise<RoomRecord>;
  /** The operator closed the room; its link answers "blocked" from now on. The first block's time is kept. */
  block(key: number, now: number): Promise<void>;
  /** Records that a meeting took place: the directory lists recently used rooms first. */
  touch(key: number, now: number): Promise<void>;
  /** Rooms their hosts listed in the directory, not blocked, most recently used first. */
  listDiscoverable(limit: number): Promise<RoomRecord[]>;
  /** A group's rooms that are not blocked, oldest first. */
  listByGroup(groupId: string): Promise<RoomRecord[]>;
}

/** Who stays out of a room for good (until a host clears the bans). */
export interface BanStore {
  /**
   * Stores a ban; false (nothing stored) when it identifies nobody, since it would match nobody. The
   * caller tells whoever banned that it could not bind.
   */
  add(ban: BanRecord): Promise<boolean>;
  /** A null on either side never matches: a participant who sent no device id is not banned by another's ban without one. */
  isBanned(roomKey: number, who: { deviceHash: string | null; inviteId: string | null; memberId: string | null }): Promise<boolean>;
  /** Lifts every ban of the room; resolves to how many there were. */
  clear(roomKey: number): Promise<number>;
}

/** Personal invites to invite-only rooms; only the token's hash is kept. */
export interface InviteStore {
  create(roomKey: number, label: string, tokenHash: string, now: number): Promise<InviteRecord>;
  /** Every invite of the room, revoked ones too, oldest first. */
  list(roomKey: number): Promise<InviteRecord[]>;
  /** False when the room has no such invite or it was already revoked. */
  revoke(roomKey: number, inviteId: string, now: number): Promise<boolean>;
  /** The room's invite with this token hash, if it is not revoked. */
  findActive(roomKey: number, tokenHash: string): Promise<InviteRecord | null>;
}

/** Groups without accounts: an admin secret, a rotating member invite code, and members holding credentials. */
export interface GroupStore {
  create(group: GroupRecord): Promise<void>;
  get(id: string): Promise<GroupRecord | null>;
  /** The old member invite link stops working; members who already joined keep their credentials. */
  rotateMemberInvite(id: string, memberInviteHash: string): Promise<void>;
  /** Rejects when the group does not exist. */
  addMember(member: MemberRecord): Promise<void>;
  /** Revoked members are returned too (callers check `revokedAt`). */
  getMember(id: string): Promise<MemberRecord | null>;
  /** Members that are not revoked, in the order they joined. */
  listMembers(groupId: string): Promise<MemberRecord[]>;
  /** False when the group has no such member or it was already revoked. */
  revokeMember(groupId: string, memberId: string, now: number): Promise<boolean>;
}

/** A report as the operator lists it: with the room's id now, which differs after a link rotation. */
export type ListedReport = ReportRecord & { currentRoomId: string };

/** Reports to the operator: metadata only (see `ReportRecord`). */
export interface ReportStore {
  /** A report's closedAt is ignored: every report starts open. */
  add(report: ReportRecord): Promise<void>;
  /** Oldest first. */
  list(status: 'open' | 'all'): Promise<ListedReport[]>;
  /**
   * The room a report was made about under this id, even if its link was rotated since. Only ids that
   * appear in reports resolve: the store keeps no other history of a room's ids.
   */
  roomKeyReportedAs(roomId: string): Promise<number | null>;
  /** False when there is no such report or it was already closed. */
  close(id: string, now: number): Promise<boolean>;
}
