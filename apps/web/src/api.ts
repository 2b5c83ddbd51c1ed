import type {
  ApiError,
  CreateGroupResponse,
  CreateInviteResponse,
  CreateRoomResponse,
  DirectoryResponse,
  GroupResponse,
  InvitesResponse,
  MemberCredentialResponse,
  MembersResponse,
  RoomSummary,
  RotateInviteResponse,
} from '@treff/protocol';
import { text } from './strings.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Call {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: object;
  /** A host secret, member credential or group admin secret, sent as `Authorization: Bearer`. */
  bearer?: string;
}

async function request<T>(path: string, call: Call = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.body) headers['content-type'] = 'application/json';
  if (call.bearer) headers.authorization = `Bearer ${call.bearer}`;
  let response: Response;
  try {
    response = await fetch(path, { method: call.method ?? 'GET', headers, ...(call.body ? { body: JSON.stringify(call.body) } : {}) });
  } catch {
    throw new ApiFailure(0, 'network', text.unreachable);
  }
  // 204 and empty bodies are fine for the calls that return nothing.
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body as Partial<ApiError> | null;
    throw new ApiFailure(response.status, error?.error ?? 'http', error?.message ?? text.serverAnswered(response.status));
  }
  return body as T;
}

const room = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`;
const group = (groupId: string) => `/api/groups/${encodeURIComponent(groupId)}`;

export function createRoom(title: string, options: { groupId?: string; memberToken?: string } = {}): Promise<CreateRoomResponse> {
  const trimmed = title.trim();
  return request('/api/rooms', {
    method: 'POST',
    body: { ...(trimmed ? { title: trimmed } : {}), ...(options.groupId ? { groupId: options.groupId } : {}) },
    ...(options.memberToken ? { bearer: options.memberToken } : {}),
  });
}

export function getRoom(roomId: string): Promise<RoomSummary> {
  return request(room(roomId));
}

export function getDirectory(): Promise<DirectoryResponse> {
  return request('/api/directory');
}

// ---- host endpoints (bearer host secret) ----

export function createInvite(roomId: string, hostSecret: string, label: string): Promise<CreateInviteResponse> {
  const trimmed = label.trim();
  return request(`${room(roomId)}/invites`, { method: 'POST', bearer: hostSecret, body: trimmed ? { label: trimmed } : {} });
}

export function listInvites(roomId: string, hostSecret: string): Promise<InvitesResponse> {
  return request(`${room(roomId)}/invites`, { bearer: hostSecret });
}

export async function revokeInvite(roomId: string, hostSecret: string, inviteId: string): Promise<void> {
  await request(`${room(roomId)}/invites/${encodeURIComponent(inviteId)}`, { method: 'DELETE', bearer: hostSecret });
}

/** The old link stops working; the response carries the room's new id and links (the host secret stays). */
export function rotateLink(roomId: string, hostSecret: string): Promise<CreateRoomResponse> {
  return request(`${room(roomId)}/rotate-link`, { method: 'POST', bearer: hostSecret });
}

// ---- groups ----

export function createGroup(name: string): Promise<CreateGroupResponse> {
  return request('/api/groups', { method: 'POST', body: { name: name.trim() } });
}

/** `credential`: a member credential or the group's admin secret. */
export function getGroup(groupId: string, credential: string): Promise<GroupResponse> {
  return request(group(groupId), { bearer: credential });
}

export function joinGroup(groupId: string, inviteCode: string, name: string): Promise<MemberCredentialResponse> {
  return request(`${group(groupId)}/members`, { method: 'POST', body: { name: name.trim(), inviteCode } });
}

/** A member credential for the admin's own device, so the admin can join the group's rooms (even locked ones). */
export function adminCredential(groupId: string, adminSecret: string, name: string): Promise<MemberCredentialResponse> {
  return request(`${group(groupId)}/admin-credential`, { method: 'POST', bearer: adminSecret, body: { name: name.trim() } });
}

export function listMembers(groupId: string, adminSecret: string): Promise<MembersResponse> {
  return request(`${group(groupId)}/members`, { bearer: adminSecret });
}

export async function removeMember(groupId: string, adminSecret: string, memberId: string): Promise<void> {
  await request(`${group(groupId)}/members/${encodeURIComponent(memberId)}`, { method: 'DELETE', bearer: adminSecret });
}

export function rotateGroupInvite(groupId: string, adminSecret: string): Promise<RotateInviteResponse> {
  return request(`${group(groupId)}/rotate-invite`, { method: 'POST', bearer: adminSecret });
}
