// Groups without accounts, over the HTTP API: an admin link and a member invite link; members join with
// the invite code and keep a signed credential; a removed member's credential and a rotated invite code
// stop working at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import type { CreateGroupResponse, CreateRoomResponse, GroupResponse, MemberCredentialResponse, MembersResponse, RotateInviteResponse } from '@treff/protocol';
import type { Bot } from '@treff/load';
import { api, fragment } from './api-client.js';
import { exitWhenDone, joinBot, joinOutcome, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const bot of bots) bot.close();
  await server?.close();
});

const refusal = (joining: Promise<Bot>): Promise<string> => joinOutcome(joining, bots);

test('a group: members join with the invite, create group rooms, and lose access when removed or when the invite rotates', async () => {
  server = await startTestServer();
  const s = server;

  const created = await api<CreateGroupResponse>(s, 'POST', '/api/groups', { body: { name: '  Tuesday   choir ' } });
  assert.equal(created.status, 201);
  const group = created.body;
  assert.equal(group.name, 'Tuesday choir');
  assert.match(group.groupId, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(group.adminUrl, `${s.url}/g/${group.groupId}#admin=${group.adminSecret}`);
  assert.match(group.memberInviteUrl, new RegExp(`^${s.url}/g/${group.groupId}#join=[A-Za-z0-9_-]{43}$`));
  const inviteCode = fragment(group.memberInviteUrl, 'join');
  assert.equal(fragment(group.adminUrl, 'admin'), group.adminSecret);
  assert.equal((await api(s, 'POST', '/api/groups', { body: { name: '' } })).status, 400);

  // Members join with the invite code.
  const wrong = await api(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Eve', inviteCode: 'guessed' } });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.error, 'invalid-invite');
  assert.equal((await api(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { inviteCode } })).status, 400, 'a name is needed');
  assert.equal((await api(s, 'POST', '/api/groups/noSuchGroup/members', { body: { name: 'Ada', inviteCode } })).status, 404);
  const ada = (await api<MemberCredentialResponse>(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Ada', inviteCode } })).body;
  const bob = (await api<MemberCredentialResponse>(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Bob', inviteCode } })).body;
  assert.equal(ada.member.name, 'Ada');
  assert.equal(ada.member.role, 'member');
  assert.match(ada.token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'a signed token (JWS compact)');

  // A member creates a room of the group; it is members-only and listed in the group.
  const room = await api<CreateRoomResponse>(s, 'POST', '/api/rooms', { body: { title: 'Rehearsal', groupId: group.groupId }, bearer: ada.token });
  assert.equal(room.status, 201);
  assert.equal(room.body.settings.joinMode, 'group');
  assert.equal(room.body.settings.groupId, group.groupId);
  const info = await api<GroupResponse>(s, 'GET', `/api/groups/${group.groupId}`, { bearer: bob.token });
  assert.equal(info.status, 200);
  assert.deepEqual(info.body, {
    groupId: group.groupId,
    name: 'Tuesday choir',
    rooms: [{ roomId: room.body.roomId, title: 'Rehearsal', participantCount: 0, roomUrl: room.body.roomUrl }],
    self: bob.member,
    isAdmin: false,
  });
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}`)).status, 401);
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}`, { bearer: 'nonsense' })).status, 403);

  // Only admins manage members: the admin secret, or a member with an admin credential.
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}/members`, { bearer: ada.token })).status, 403);
  assert.equal((await api(s, 'DELETE', `/api/groups/${group.groupId}/members/${bob.member.id}`, { bearer: ada.token })).status, 403);
  assert.equal((await api(s, 'POST', `/api/groups/${group.groupId}/rotate-invite`, { bearer: ada.token })).status, 403);
  assert.equal((await api(s, 'POST', `/api/groups/${group.groupId}/admin-credential`, { body: { name: 'Ada' }, bearer: ada.token })).status, 403);
  const asAdmin = await api<GroupResponse>(s, 'GET', `/api/groups/${group.groupId}`, { bearer: group.adminSecret });
  assert.deepEqual([asAdmin.body.isAdmin, asAdmin.body.self], [true, null]);
  const admin = (await api<MemberCredentialResponse>(s, 'POST', `/api/groups/${group.groupId}/admin-credential`, { body: { name: 'Carol' }, bearer: group.adminSecret })).body;
  assert.equal(admin.member.role, 'admin');
  const members = await api<MembersResponse>(s, 'GET', `/api/groups/${group.groupId}/members`, { bearer: admin.token });
  assert.deepEqual(members.body.members.map((m) => [m.name, m.role]), [['Ada', 'member'], ['Bob', 'member'], ['Carol', 'admin']]);

  // A removed member's credential stops working at once; the others keep theirs.
  assert.equal((await api(s, 'DELETE', `/api/groups/${group.groupId}/members/${ada.member.id}`, { bearer: admin.token })).status, 204);
  assert.equal((await api(s, 'DELETE', `/api/groups/${group.groupId}/members/${ada.member.id}`, { bearer: admin.token })).status, 404, 'already removed');
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}`, { bearer: ada.token })).status, 403);
  assert.equal((await api(s, 'POST', '/api/rooms', { body: { groupId: group.groupId }, bearer: ada.token })).status, 403);
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}`, { bearer: bob.token })).status, 200);
  const after = await api<MembersResponse>(s, 'GET', `/api/groups/${group.groupId}/members`, { bearer: group.adminSecret });
  assert.deepEqual(after.body.members.map((m) => m.name), ['Bob', 'Carol']);

  // A rotated invite: the old code stops working, the new one works; members keep their credentials.
  const rotated = await api<RotateInviteResponse>(s, 'POST', `/api/groups/${group.groupId}/rotate-invite`, { bearer: group.adminSecret });
  assert.equal(rotated.status, 200);
  const newCode = fragment(rotated.body.memberInviteUrl, 'join');
  assert.notEqual(newCode, inviteCode);
  const stale = await api(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Dan', inviteCode } });
  assert.equal(stale.status, 403);
  assert.equal(stale.body.error, 'invalid-invite');
  assert.equal((await api(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Dan', inviteCode: newCode } })).status, 201);
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}`, { bearer: bob.token })).status, 200);

  // A credential from one group opens nothing in another.
  const other = (await api<CreateGroupResponse>(s, 'POST', '/api/groups', { body: { name: 'Band' } })).body;
  assert.equal((await api(s, 'GET', `/api/groups/${other.groupId}`, { bearer: bob.token })).status, 403);
  assert.equal((await api(s, 'GET', `/api/groups/${other.groupId}/members`, { bearer: group.adminSecret })).status, 403);
});

test('a group room admits members with their credential, and nobody else: not strangers, not removed members', async () => {
  const s = server!;
  const group = (await api<CreateGroupResponse>(s, 'POST', '/api/groups', { body: { name: 'Reading circle' } })).body;
  const inviteCode = fragment(group.memberInviteUrl, 'join');
  const ada = (await api<MemberCredentialResponse>(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Ada', inviteCode } })).body;
  const bob = (await api<MemberCredentialResponse>(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Bob', inviteCode } })).body;
  const room = (await api<CreateRoomResponse>(s, 'POST', '/api/rooms', { body: { title: 'Chapter 3', groupId: group.groupId }, bearer: ada.token })).body;
  assert.equal((await api(s, 'DELETE', `/api/groups/${group.groupId}/members/${ada.member.id}`, { bearer: group.adminSecret })).status, 204);

  assert.equal(await refusal(joinBot(s, room.roomId, 'Bob', { memberToken: bob.token })), 'joined');
  assert.equal(await refusal(joinBot(s, room.roomId, 'Stranger')), 'members-only');
  assert.equal(await refusal(joinBot(s, room.roomId, 'Ada', { memberToken: ada.token })), 'members-only', 'a removed member is refused');
  assert.equal(await refusal(joinBot(s, room.roomId, 'Forger', { memberToken: `${bob.token.slice(0, -2)}xx` })), 'members-only');
  const listed = await api<GroupResponse>(s, 'GET', `/api/groups/${group.groupId}`, { bearer: bob.token });
  assert.equal(listed.body.rooms[0]?.participantCount, 1, 'the group page shows who is in its rooms');
});

test('guessing invite codes is rate-limited', async () => {
  const s = server!;
  const group = (await api<CreateGroupResponse>(s, 'POST', '/api/groups', { body: { name: 'Guarded' } })).body;
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) statuses.push((await api(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Eve', inviteCode: `guess-${i}` } })).status);
  assert.ok(statuses.includes(429), `25 rapid guesses must be throttled, got ${statuses.join(' ')}`);
  assert.ok(statuses.every((code) => code === 403 || code === 429));
});
