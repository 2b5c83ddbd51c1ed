import type { JoinMode, LobbyEntry, ParticipantInfo, ReportReason, Role, RoomSettings, RoomSettingsUpdate } from './messages.js';

/**
 * The HTTP API (`/api/…`). Errors are `{ error, message }` with a 4xx/5xx status. Host endpoints take the
 * room's host secret as `Authorization: Bearer <hostSecret>`; group endpoints a member credential or the
 * group's admin secret; operator endpoints the operator secret. A wrong or missing secret gets 401/403 and
 * changes nothing.
 */

/** Body of `POST /api/rooms`. With `groupId`, send a member credential of that group as bearer token. */
export interface CreateRoomRequest {
  title?: string;
  groupId?: string;
  settings?: RoomSettingsUpdate;
}

/** Response of `POST /api/rooms` (and of `POST /api/rooms/:roomId/rotate-link`, with the new id). */
export interface CreateRoomResponse {
  roomId: string;
  title: string;
  /** Share this with guests. */
  roomUrl: string;
  /** Keep this: opening it joins as host. The secret sits in the fragment, so it never reaches server logs. */
  hostUrl: string;
  hostSecret: string;
  settings: RoomSettings;
}

/** Response of `GET /api/rooms/:roomId`: what the pre-join screen needs to know. */
export interface RoomSummary {
  roomId: string;
  title: string;
  participantCount: number;
  joinMode: JoinMode;
  passwordRequired: boolean;
  lobby: boolean;
  locked: boolean;
  /** Only browsers that encrypt end to end get in (others are refused with `e2ee-required`). */
  requireE2ee: boolean;
  groupId: string | null;
  groupName: string | null;
}

/** `GET /api/rooms/:roomId/participants` (host). */
export interface ParticipantsResponse {
  participants: ParticipantInfo[];
}

/** `GET /api/rooms/:roomId/lobby` (host). */
export interface LobbyResponse {
  waiting: LobbyEntry[];
}

/** Body of `POST /api/rooms/:roomId/participants/:participantId/mute` and `POST /api/rooms/:roomId/mute-all`; default `["audio"]`. */
export interface MuteRequest {
  kinds?: ('audio' | 'video')[];
}

/** Body of `POST /api/rooms/:roomId/participants/:participantId/remove`. */
export interface RemoveRequest {
  ban?: boolean;
}

/**
 * Answer (200) of a remove with `ban` when nothing identified the participant to ban (no device id,
 * invite or membership): they were removed and the room locked, but nothing keeps them out once it is
 * unlocked. Otherwise a remove answers 204.
 */
export interface UnboundBanResponse {
  banned: false;
  message: string;
}

/** Body of `POST /api/rooms/:roomId/participants/:participantId/role`. */
export interface SetRoleRequest {
  role: Role;
}

/** A personal invite to an invite-only room (the token is shown once, at creation). */
export interface InviteInfo {
  id: string;
  label: string;
  createdAt: number;
  revoked: boolean;
}

/** Response of `POST /api/rooms/:roomId/invites` (body `{ label? }`). */
export interface CreateInviteResponse {
  invite: InviteInfo;
  /** `<roomUrl>#invite=<token>`: the token is in the fragment, never in server logs. */
  inviteUrl: string;
}

/** `GET /api/rooms/:roomId/invites` (host). Revoke with `DELETE /api/rooms/:roomId/invites/:inviteId`. */
export interface InvitesResponse {
  invites: InviteInfo[];
}

/** Body of `POST /api/rooms/:roomId/reports` (anyone with the room link; rate-limited). */
export interface ReportRequest {
  reason: ReportReason;
  text?: string;
}

/** `GET /api/directory`: rooms their hosts made discoverable. */
export interface DirectoryResponse {
  rooms: { roomId: string; title: string; participantCount: number; roomUrl: string; passwordRequired: boolean; lobby: boolean }[];
}

// ---- groups ----

/** Body of `POST /api/groups`. */
export interface CreateGroupRequest {
  name: string;
}

/** Response of `POST /api/groups`. */
export interface CreateGroupResponse {
  groupId: string;
  name: string;
  /** `/g/<groupId>#admin=<secret>`: keep it; it manages the group. */
  adminUrl: string;
  adminSecret: string;
  /** `/g/<groupId>#join=<code>`: share it with members; rotating it stops the old one. */
  memberInviteUrl: string;
}

export interface MemberInfo {
  id: string;
  name: string;
  role: 'admin' | 'member';
  createdAt: number;
}

/**
 * Response of `POST /api/groups/:groupId/members` (body `{ name, inviteCode }`) and of
 * `POST /api/groups/:groupId/admin-credential` (body `{ name }`, bearer admin secret): the credential the
 * device keeps and sends as `memberToken` when joining the group's rooms.
 */
export interface MemberCredentialResponse {
  member: MemberInfo;
  token: string;
}

/** `GET /api/groups/:groupId` (bearer member credential or admin secret). */
export interface GroupResponse {
  groupId: string;
  name: string;
  rooms: { roomId: string; title: string; participantCount: number; roomUrl: string }[];
  /** The caller's membership; null for the admin secret. */
  self: MemberInfo | null;
  isAdmin: boolean;
}

/** `GET /api/groups/:groupId/members` (admin). Remove with `DELETE /api/groups/:groupId/members/:memberId`. */
export interface MembersResponse {
  members: MemberInfo[];
}

/** Response of `POST /api/groups/:groupId/rotate-invite` (admin). */
export interface RotateInviteResponse {
  memberInviteUrl: string;
}

// ---- operator ----

export interface ReportInfo {
  id: string;
  /** The room's id when it was reported. */
  roomId: string;
  /** Its id now: another after its host rotated the link. Either one blocks the room. */
  currentRoomId: string;
  createdAt: number;
  reason: ReportReason;
  text: string;
  participantCount: number;
  displayNames: string[];
  closedAt: number | null;
}

/** `GET /api/admin/reports[?status=open|all]` (bearer operator secret). */
export interface ReportsResponse {
  reports: ReportInfo[];
}

/** Response of `POST /api/admin/rooms/:roomId/block` (the room's current id, or any id a report shows). */
export interface BlockRoomResponse {
  /** The room's id now. */
  roomId: string;
  blockedAt: number;
  /** Whether a meeting was going on and was ended. */
  endedMeeting: boolean;
}

export interface ApiError {
  error: string;
  message: string;
}
