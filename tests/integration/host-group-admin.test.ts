// A group's admins may enter its rooms past the lock, the lobby and the password; its members may not.
// And anyone in a meeting may report it over the WebSocket: the report keeps metadata only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { BotJoinError, createRoom, sleep, waitUntil, type Bot } from '@treff/load';
import type { CreateGroupResponse, CreateRoomResponse, MemberCredentialResponse, ReportsResponse } from '@treff/protocol';
import { closeWhenDone, joinBot, startTestServer } from './helpers.js';
import { http } from './host-helpers.js';

const OPERATOR_SECRET = 'host-controls-operator-secret';
let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

const SILENT = { audio: false, video: false };

async function join(roomId: string, name: string, extra: Parameters<typeof joinBot>[3] = {}): Promise<Bot> {
  const bot = await joinBot(server!, roomId, name, { publish: SILENT, ...extra });
  bots.push(bot);
  return bot;
}

/** The operator's reports of a room, once there are `count` of them. */
async function reportsOf(roomId: string, count: number): Promise<ReportsResponse['reports']> {
  for (let i = 0; i < 100; i++) {
    const res = await http<ReportsResponse>(server!, 'GET', '/api/admin/reports?status=all', { secret: OPERATOR_SECRET });
    const reports = res.body.reports.filter((r) => r.roomId === roomId);
    if (reports.length >= count) return reports;
    await sleep(100);
  }
  throw new Error(`fewer than ${count} reports of the room`);
}

test('group admins pass the lock, the lobby and the password of their group’s rooms', async () => {
  server = await startTestServer({ operatorSecret: OPERATOR_SECRET });
  const group = (await http<CreateGroupResponse>(server, 'POST', '/api/groups', { body: { name: 'Board' } })).body;
  const inviteCode = new URLSearchParams(new URL(group.memberInviteUrl).hash.slice(1)).get('join')!;
  const admin = await http<MemberCredentialResponse>(server, 'POST', `/api/groups/${group.groupId}/admin-credential`, {
    secret: group.adminSecret,
    body: { name: 'Chair' },
  });
  assert.equal(admin.status, 201, JSON.stringify(admin.body));
  assert.equal(admin.body.member.role, 'admin');
  const member = (await http<MemberCredentialResponse>(server, 'POST', `/api/groups/${group.groupId}/members`, { body: { name: 'Member', inviteCode } })).body;
  const room = await http<CreateRoomResponse>(server, 'POST', '/api/rooms', { secret: member.token, body: { title: 'Board meeting', groupId: group.groupId } });
  assert.equal(room.status, 201, JSON.stringify(room.body));
  const { roomId, hostSecret } = room.body;

  const host = await join(roomId, 'host', { hostSecret });
  host.send({ type: 'update-settings', settings: { locked: true, lobby: true, password: 'board only' } });
  await waitUntil(() => host.room?.settings.locked === true && host.room.settings.passwordRequired, { timeoutMs: 10_000, what: 'the settings' });

  await assert.rejects(
    join(roomId, 'member', { memberToken: member.token, password: 'board only' }),
    (err: unknown) => err instanceof BotJoinError && err.code === 'room-locked',
    'a member meets the lock',
  );
  await assert.rejects(join(roomId, 'stranger'), (err: unknown) => err instanceof BotJoinError && err.code === 'members-only');
  const otherGroup = (await http<CreateGroupResponse>(server, 'POST', '/api/groups', { body: { name: 'Other' } })).body;
  const otherAdmin = (
    await http<MemberCredentialResponse>(server, 'POST', `/api/groups/${otherGroup.groupId}/admin-credential`, { secret: otherGroup.adminSecret, body: { name: 'X' } })
  ).body;
  await assert.rejects(
    join(roomId, 'other admin', { memberToken: otherAdmin.token }),
    (err: unknown) => err instanceof BotJoinError && err.code === 'members-only',
    'an admin of another group is nobody here',
  );

  const chair = await join(roomId, 'chair', { memberToken: admin.body.token });
  assert.equal(chair.inLobby, false, 'straight in, no knock');
  assert.equal(chair.joined?.self.role, 'guest');
  await waitUntil(() => host.participants.has(chair.participantId), { timeoutMs: 10_000, what: 'the host to see the admin' });

  // Unlocked, a member still knocks (lobby) and needs the password.
  host.send({ type: 'update-settings', settings: { locked: false } });
  await waitUntil(() => chair.room?.settings.locked === false, { timeoutMs: 10_000, what: 'the unlock' });
  await assert.rejects(
    join(roomId, 'member', { memberToken: member.token }),
    (err: unknown) => err instanceof BotJoinError && err.code === 'password-required',
  );
});

test('a report over the WebSocket keeps metadata only, and is rate-limited per participant', async () => {
  const { roomId } = await createRoom(server!.url, 'reported');
  const alice = await join(roomId, 'Alice');
  const bob = await join(roomId, 'Bob');
  const received = alice.nextSignal('report-received', 10_000);
  alice.send({ type: 'report', reason: 'spam', text: '  links everywhere \n' });
  await received;
  const reports = await reportsOf(roomId, 1);
  const [report] = reports;
  assert.deepEqual(Object.keys(report!).sort(), ['closedAt', 'createdAt', 'currentRoomId', 'displayNames', 'id', 'participantCount', 'reason', 'roomId', 'text']);
  assert.equal(report!.reason, 'spam');
  assert.equal(report!.text, 'links everywhere');
  assert.equal(report!.participantCount, 2);
  assert.deepEqual([...report!.displayNames].sort(), ['Alice', 'Bob']);

  for (let i = 0; i < 2; i++) alice.send({ type: 'report', reason: 'abuse' });
  const limited = alice.nextSignal('error', 10_000);
  alice.send({ type: 'report', reason: 'abuse' });
  const error = await limited;
  assert.equal(error.code, 'rate-limited');
  assert.equal(error.fatal, false);
  bob.send({ type: 'report', reason: 'other' });
  await reportsOf(roomId, 4);
  await sleep(300);
  assert.equal((await reportsOf(roomId, 4)).length, 4, 'Alice’s fourth report was refused');
});
