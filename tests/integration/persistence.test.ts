// Restart persistence: everything a host, a group or the operator set up lives in the SQLite file and
// is still there, and still enforced, after the server stops and starts again on the same data folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@treff/server';
import type {
  CreateGroupResponse,
  CreateInviteResponse,
  CreateRoomResponse,
  DirectoryResponse,
  GroupResponse,
  MemberCredentialResponse,
  ReportsResponse,
  RoomSettings,
  RoomSummary,
} from '@treff/protocol';
import { PROTOCOL_VERSION } from '@treff/protocol';
import type { Bot } from '@treff/load';
import { api, fragment } from './api-client.js';
import { exitWhenDone, joinBot, joinOutcome, startTestServer } from './helpers.js';
import { deviceId, RawSocket } from './host-helpers.js';

const OPERATOR_SECRET = 'persistence-test-operator-secret';
const dataDir = mkdtempSync(join(tmpdir(), 'treff-persist-'));
let server: RunningServer | undefined;
const bots: Bot[] = [];
const sockets: RawSocket[] = [];
exitWhenDone(async () => {
  for (const s of sockets) s.close();
  for (const bot of bots) bot.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startTestServer({ dataDir, operatorSecret: OPERATOR_SECRET });

const joinCode = (joining: Promise<Bot>): Promise<string> => joinOutcome(joining, bots);

test('rooms with their settings, password, invites, bans, groups, member credentials and reports survive a restart', async () => {
  server = await start();
  let s = server;
  const createRoom = async (body: object, bearer?: string) => {
    const res = await api<CreateRoomResponse>(s, 'POST', '/api/rooms', { body, ...(bearer === undefined ? {} : { bearer }) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };

  // Set everything up.
  const guarded = await createRoom({ title: 'Board', settings: { password: 'sesame', lobby: true, locked: true, maxParticipants: 7, discoverable: true, linkSharing: false } });
  const withPassword = await createRoom({ title: 'Quiz', settings: { password: 'sesame' } });
  const inviteOnly = await createRoom({ title: 'Dinner', settings: { joinMode: 'invite' } });
  const invite = (await api<CreateInviteResponse>(s, 'POST', `/api/rooms/${inviteOnly.roomId}/invites`, { body: { label: 'Ada' }, bearer: inviteOnly.hostSecret })).body;
  const inviteToken = fragment(invite.inviteUrl, 'invite');
  const rotated = await createRoom({ title: 'Rotated' });
  const rotation = await api<CreateRoomResponse>(s, 'POST', `/api/rooms/${rotated.roomId}/rotate-link`, { bearer: rotated.hostSecret });
  assert.equal(rotation.status, 200);

  const bansRoom = await createRoom({ title: 'Bans' });
  const troll = await joinBot(s, bansRoom.roomId, 'Troll', { deviceId: deviceId('troll') });
  bots.push(troll);
  const participants = await api<{ participants: { id: string; name: string }[] }>(s, 'GET', `/api/rooms/${bansRoom.roomId}/participants`, { bearer: bansRoom.hostSecret });
  const trollId = participants.body.participants.find((p) => p.name === 'Troll')!.id;
  assert.equal((await api(s, 'POST', `/api/rooms/${bansRoom.roomId}/participants/${trollId}/remove`, { body: { ban: true }, bearer: bansRoom.hostSecret })).status, 204);
  assert.equal((await api(s, 'POST', `/api/rooms/${bansRoom.roomId}/unlock`, { bearer: bansRoom.hostSecret })).status, 200);

  const group = (await api<CreateGroupResponse>(s, 'POST', '/api/groups', { body: { name: 'Choir' } })).body;
  const inviteCode = fragment(group.memberInviteUrl, 'join');
  const member = (await api<MemberCredentialResponse>(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Ada', inviteCode } })).body;
  const groupRoom = await createRoom({ title: 'Rehearsal', groupId: group.groupId }, member.token);

  assert.equal((await api(s, 'POST', `/api/rooms/${guarded.roomId}/reports`, { body: { reason: 'spam', text: 'adverts' } })).status, 204);
  const expectedSettings = (await api<RoomSettings>(s, 'GET', `/api/rooms/${guarded.roomId}/settings`, { bearer: guarded.hostSecret })).body;

  for (const bot of bots.splice(0)) bot.close();
  await server.close();
  server = await start();
  s = server;

  // Settings, through the API.
  const summary = await api<RoomSummary>(s, 'GET', `/api/rooms/${guarded.roomId}`);
  assert.equal(summary.status, 200);
  assert.deepEqual(
    { ...summary.body },
    { roomId: guarded.roomId, title: 'Board', participantCount: 0, joinMode: 'link', passwordRequired: true, lobby: true, locked: true, requireE2ee: false, groupId: null, groupName: null },
  );
  const settings = await api<RoomSettings>(s, 'GET', `/api/rooms/${guarded.roomId}/settings`, { bearer: guarded.hostSecret });
  assert.equal(settings.status, 200, 'the host secret still works');
  assert.deepEqual(settings.body, expectedSettings);
  assert.deepEqual([settings.body.maxParticipants, settings.body.discoverable, settings.body.linkSharing], [7, true, false]);
  assert.deepEqual((await api<DirectoryResponse>(s, 'GET', '/api/directory')).body.rooms.map((r) => r.roomId), [guarded.roomId]);

  // The password is still required, and still checked (raw WebSocket joins).
  const raw = await RawSocket.open(s);
  sockets.push(raw);
  await raw.expectError({ type: 'join', v: PROTOCOL_VERSION, roomId: withPassword.roomId, name: 'Guest', media: { audio: false, video: false } }, 'password-required');
  const raw2 = await RawSocket.open(s);
  sockets.push(raw2);
  await raw2.expectError({ type: 'join', v: PROTOCOL_VERSION, roomId: withPassword.roomId, name: 'Guest', password: 'sesam', media: { audio: false, video: false } }, 'wrong-password');
  assert.equal(await joinCode(joinBot(s, withPassword.roomId, 'Guest', { password: 'sesame' })), 'joined');
  // The lock holds too.
  assert.equal(await joinCode(joinBot(s, guarded.roomId, 'Guest', { password: 'sesame' })), 'room-locked');

  // Invites, rotated links and bans.
  assert.equal(await joinCode(joinBot(s, inviteOnly.roomId, 'Nobody')), 'not-invited');
  assert.equal(await joinCode(joinBot(s, inviteOnly.roomId, 'Ada', { inviteToken })), 'joined');
  assert.equal((await api(s, 'GET', `/api/rooms/${rotated.roomId}`)).status, 404, 'the old link stays dead');
  assert.equal((await api(s, 'GET', `/api/rooms/${rotation.body.roomId}`)).status, 200);
  assert.equal(await joinCode(joinBot(s, bansRoom.roomId, 'Troll', { deviceId: deviceId('troll') })), 'banned');
  assert.equal(await joinCode(joinBot(s, bansRoom.roomId, 'Friend', { deviceId: deviceId('friend') })), 'joined');

  // The group: its secrets, its member's credential (the signing key persisted) and its rooms.
  const groupInfo = await api<GroupResponse>(s, 'GET', `/api/groups/${group.groupId}`, { bearer: member.token });
  assert.equal(groupInfo.status, 200);
  assert.deepEqual(groupInfo.body.rooms.map((r) => r.roomId), [groupRoom.roomId]);
  assert.deepEqual(groupInfo.body.self, member.member);
  assert.equal((await api(s, 'GET', `/api/groups/${group.groupId}/members`, { bearer: group.adminSecret })).status, 200);
  assert.equal((await api(s, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Bob', inviteCode } })).status, 201);
  assert.equal(await joinCode(joinBot(s, groupRoom.roomId, 'Ada', { memberToken: member.token })), 'joined');

  // The report.
  const reports = (await api<ReportsResponse>(s, 'GET', '/api/admin/reports', { bearer: OPERATOR_SECRET })).body.reports;
  assert.deepEqual(reports.map((r) => [r.roomId, r.reason, r.text]), [[guarded.roomId, 'spam', 'adverts']]);
});
