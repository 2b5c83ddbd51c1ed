import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import {
  LIMITS,
  type CreateGroupResponse,
  type GroupResponse,
  type MemberCredentialResponse,
  type MemberInfo,
  type MembersResponse,
  type RotateInviteResponse,
} from '@treff/protocol';
import { hashSecret, newGroupId, newSecret, newShortId, secretMatches } from '../ids.js';
import type { GroupRecord, MemberRecord } from '../storage/records.js';
import { sendAuthError, sendError } from './api-error.js';
import { bearerToken } from './bearer-token.js';
import type { ApiDeps } from './http-app.js';
import { PUBLIC_ID } from './public-id.js';
import { parseBody } from './parse-body.js';

const Name = (what: string, max: number) =>
  v.pipe(
    v.string(`${what} must be a string`),
    v.transform((s) => s.replace(/\s+/g, ' ').trim()),
    v.minLength(1, `${what} must not be empty`),
    v.maxLength(max, `${what} must be at most ${max} characters`),
  );
const CreateGroupBody = v.object({ name: Name('name', LIMITS.groupName) });
const JoinGroupBody = v.object({
  name: Name('name', LIMITS.nameLength),
  inviteCode: v.pipe(v.string('inviteCode must be a string'), v.minLength(1, 'inviteCode must not be empty'), v.maxLength(LIMITS.secretLength)),
});
const AdminCredentialBody = v.object({ name: Name('name', LIMITS.nameLength) });

const memberInfo = (m: MemberRecord): MemberInfo => ({ id: m.id, name: m.name, role: m.role, createdAt: m.createdAt });

/** Who is calling a group endpoint: the admin secret's holder (member null), or a member with a credential. */
interface GroupCaller {
  member: MemberRecord | null;
  isAdmin: boolean;
}

/**
 * Groups without accounts. Creating one gives an admin secret and a member invite code; members join
 * with the code and get a signed credential their device keeps. Admins (the secret, or a member with an
 * admin credential) list and remove members and rotate the invite code.
 */
export function registerGroupApi(app: FastifyInstance, { storage, rooms, origin }: ApiDeps): void {
  const groupLink = (request: FastifyRequest, groupId: string) => `${origin(request)}/g/${groupId}`;

  /** The group and caller, or null after an error reply. */
  async function authorize(request: FastifyRequest<{ Params: { groupId: string } }>, reply: FastifyReply, adminOnly: boolean): Promise<{ group: GroupRecord; caller: GroupCaller } | null> {
    const group = PUBLIC_ID.test(request.params.groupId) ? await storage.groups.get(request.params.groupId) : null;
    if (group === null) {
      await sendError(reply, 404, 'group-not-found', 'this group does not exist');
      return null;
    }
    const token = bearerToken(request);
    let caller: GroupCaller | null = null;
    if (token !== null && secretMatches(token, group.adminSecretHash)) caller = { member: null, isAdmin: true };
    else if (token !== null) {
      const member = await storage.credentials.verify(token);
      if (member !== null && member.groupId === group.id) caller = { member, isAdmin: member.role === 'admin' };
    }
    if (caller === null || (adminOnly && !caller.isAdmin)) {
      await sendAuthError(reply, token, adminOnly ? "the group's admin secret or an admin credential" : 'a member credential of this group');
      return null;
    }
    return { group, caller };
  }

  // Each group is a few rows; the limit keeps one client from filling the database.
  app.post('/api/groups', { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parseBody(CreateGroupBody, request.body);
    if (!body.ok) return sendError(reply, 400, 'bad-request', body.message);
    const groupId = newGroupId();
    const adminSecret = newSecret();
    const inviteCode = newSecret();
    await storage.groups.create({ id: groupId, name: body.value.name, adminSecretHash: hashSecret(adminSecret), memberInviteHash: hashSecret(inviteCode), createdAt: Date.now() });
    const link = groupLink(request, groupId);
    const response: CreateGroupResponse = {
      groupId,
      name: body.value.name,
      adminUrl: `${link}#admin=${adminSecret}`,
      adminSecret,
      memberInviteUrl: `${link}#join=${inviteCode}`,
    };
    return reply.code(201).send(response);
  });

  // Rate-limited: it is where invite codes would be guessed.
  app.post<{ Params: { groupId: string } }>('/api/groups/:groupId/members', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parseBody(JoinGroupBody, request.body);
    if (!body.ok) return sendError(reply, 400, 'bad-request', body.message);
    const group = PUBLIC_ID.test(request.params.groupId) ? await storage.groups.get(request.params.groupId) : null;
    if (group === null) return sendError(reply, 404, 'group-not-found', 'this group does not exist');
    if (!secretMatches(body.value.inviteCode, group.memberInviteHash)) {
      return sendError(reply, 403, 'invalid-invite', 'this invite link is not (or no longer) valid; ask the group admin for a new one');
    }
    const member: MemberRecord = { id: newShortId(), groupId: group.id, name: body.value.name, role: 'member', createdAt: Date.now(), revokedAt: null };
    await storage.groups.addMember(member);
    const response: MemberCredentialResponse = { member: memberInfo(member), token: await storage.credentials.issue(member) };
    return reply.code(201).send(response);
  });

  app.post<{ Params: { groupId: string } }>('/api/groups/:groupId/admin-credential', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parseBody(AdminCredentialBody, request.body);
    if (!body.ok) return sendError(reply, 400, 'bad-request', body.message);
    const auth = await authorize(request, reply, true);
    if (auth === null) return reply;
    const member: MemberRecord = { id: newShortId(), groupId: auth.group.id, name: body.value.name, role: 'admin', createdAt: Date.now(), revokedAt: null };
    await storage.groups.addMember(member);
    const response: MemberCredentialResponse = { member: memberInfo(member), token: await storage.credentials.issue(member) };
    return reply.code(201).send(response);
  });

  app.get<{ Params: { groupId: string } }>('/api/groups/:groupId', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request, reply) => {
    const auth = await authorize(request, reply, false);
    if (auth === null) return reply;
    const { group, caller } = auth;
    const response: GroupResponse = {
      groupId: group.id,
      name: group.name,
      rooms: (await storage.rooms.listByGroup(group.id)).map((room) => ({
        roomId: room.id,
        title: room.title,
        participantCount: rooms.liveSize(room.key),
        roomUrl: `${origin(request)}/r/${room.id}`,
      })),
      self: caller.member === null ? null : memberInfo(caller.member),
      isAdmin: caller.isAdmin,
    };
    return response;
  });

  app.get<{ Params: { groupId: string } }>('/api/groups/:groupId/members', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request, reply) => {
    const auth = await authorize(request, reply, true);
    if (auth === null) return reply;
    const response: MembersResponse = { members: (await storage.groups.listMembers(auth.group.id)).map(memberInfo) };
    return response;
  });

  app.delete<{ Params: { groupId: string; memberId: string } }>('/api/groups/:groupId/members/:memberId', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request, reply) => {
    const auth = await authorize(request, reply, true);
    if (auth === null) return reply;
    if (!(await storage.groups.revokeMember(auth.group.id, request.params.memberId, Date.now()))) {
      return sendError(reply, 404, 'not-found', 'this group has no such member (or it was already removed)');
    }
    return reply.code(204).send();
  });

  app.post<{ Params: { groupId: string } }>('/api/groups/:groupId/rotate-invite', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const auth = await authorize(request, reply, true);
    if (auth === null) return reply;
    const inviteCode = newSecret();
    await storage.groups.rotateMemberInvite(auth.group.id, hashSecret(inviteCode));
    const response: RotateInviteResponse = { memberInviteUrl: `${groupLink(request, auth.group.id)}#join=${inviteCode}` };
    return response;
  });
}
