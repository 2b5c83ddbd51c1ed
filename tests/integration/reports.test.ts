// Reports end to end over HTTP: anyone with the link reports a room; the report keeps metadata only;
// the operator reviews and closes reports and blocks rooms through the operator API and the `admin`
// CLI; a blocked room's meeting ends and its link stops working. Without an operator secret the
// operator API does not exist.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { RunningServer } from '@treff/server';
import type { BlockRoomResponse, CreateRoomResponse, ReportInfo, ReportsResponse } from '@treff/protocol';
import { BotJoinError, waitUntil, type Bot } from '@treff/load';
import { api } from './api-client.js';
import { exitWhenDone, joinBot, startTestServer } from './helpers.js';

const OPERATOR_SECRET = 'reports-test-operator-secret';
const ROOT = resolve(import.meta.dirname, '../..');
let server: RunningServer | undefined;
let plain: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const bot of bots) bot.close();
  await server?.close();
  await plain?.close();
});

/** Runs `npm run admin -- <args>` (the same script, without npm's banner) against a server. */
async function adminCli(args: string[], secret: string | undefined, url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TREFF_OPERATOR_SECRET;
  if (secret !== undefined) env.TREFF_OPERATOR_SECRET = secret;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/server/src/cli/admin.ts', ...args, '--url', url], { cwd: ROOT, env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test('a report keeps room, time, reason, text, count and names only; the operator closes it and blocks the room', async () => {
  server = await startTestServer({ operatorSecret: OPERATOR_SECRET });
  const s = server;
  const room = (await api<CreateRoomResponse>(s, 'POST', '/api/rooms', { body: { title: 'Town hall' } })).body;
  bots.push(await joinBot(s, room.roomId, 'Ada'), await joinBot(s, room.roomId, 'Grace'));

  const before = Date.now();
  const sent = await api(s, 'POST', `/api/rooms/${room.roomId}/reports`, { body: { reason: 'abuse', text: '  someone keeps shouting  ' } });
  assert.equal(sent.status, 204);

  // The operator API wants the operator secret.
  assert.equal((await api(s, 'GET', '/api/admin/reports')).status, 401);
  assert.equal((await api(s, 'GET', '/api/admin/reports', { bearer: `${OPERATOR_SECRET}x` })).status, 403);
  assert.equal((await api(s, 'GET', '/api/admin/reports', { bearer: room.hostSecret })).status, 403, 'a host secret is not the operator’s');
  assert.equal((await api(s, 'POST', `/api/admin/rooms/${room.roomId}/block`, { bearer: 'guess' })).status, 403);
  assert.equal((await api(s, 'GET', `/api/rooms/${room.roomId}`)).status, 200, 'a refused block blocks nothing');
  assert.equal((await api(s, 'GET', '/api/admin/reports?status=closed', { bearer: OPERATOR_SECRET })).status, 400);

  const listed = await api<ReportsResponse>(s, 'GET', '/api/admin/reports', { bearer: OPERATOR_SECRET });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.reports.length, 1);
  const report = listed.body.reports[0]!;
  assert.deepEqual(Object.keys(report).sort(), ['closedAt', 'createdAt', 'currentRoomId', 'displayNames', 'id', 'participantCount', 'reason', 'roomId', 'text'], 'metadata only: no chat, media or addresses');
  assert.deepEqual({ ...report, id: '', createdAt: 0, displayNames: [...report.displayNames].sort() }, {
    id: '',
    roomId: room.roomId,
    currentRoomId: room.roomId,
    createdAt: 0,
    reason: 'abuse',
    text: 'someone keeps shouting',
    participantCount: 2,
    displayNames: ['Ada', 'Grace'],
    closedAt: null,
  });
  assert.ok(report.createdAt >= before && report.createdAt <= Date.now());

  // The CLI: list, refuse a wrong secret, close.
  const cliList = await adminCli(['reports'], OPERATOR_SECRET, s.url);
  assert.equal(cliList.code, 0, cliList.stderr);
  assert.match(cliList.stdout, new RegExp(`${report.id}.*abuse`));
  assert.match(cliList.stdout, /2 present: (Ada, Grace|Grace, Ada)/);
  assert.match(cliList.stdout, /someone keeps shouting/);
  const refused = await adminCli(['reports'], 'not-the-operator-secret', s.url);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /refused the operator secret/);
  const noSecret = await adminCli(['reports'], undefined, s.url);
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /TREFF_OPERATOR_SECRET/);
  const closed = await adminCli(['close-report', report.id], OPERATOR_SECRET, s.url);
  assert.equal(closed.code, 0, closed.stderr);
  assert.match(closed.stdout, /closed/);
  assert.equal((await adminCli(['close-report', report.id], OPERATOR_SECRET, s.url)).code, 2, 'closing twice says so');
  assert.deepEqual((await api<ReportsResponse>(s, 'GET', '/api/admin/reports', { bearer: OPERATOR_SECRET })).body.reports, []);
  const all = (await api<ReportsResponse>(s, 'GET', '/api/admin/reports?status=all', { bearer: OPERATOR_SECRET })).body.reports;
  assert.equal(all.length, 1);
  assert.ok((all[0] as ReportInfo).closedAt! >= report.createdAt);

  // Blocking: the meeting ends for everyone with a clear reason, and the link stops working.
  const blocked = await adminCli(['block-room', room.roomId], OPERATOR_SECRET, s.url);
  assert.equal(blocked.code, 0, blocked.stderr);
  assert.match(blocked.stdout, /blocked; its meeting was ended/);
  await waitUntil(() => bots.every((b) => b.ended !== null), { timeoutMs: 5000, what: 'both participants told the room was closed' });
  assert.deepEqual(bots.map((b) => b.ended?.reason), ['room-closed', 'room-closed']);
  const summary = await api(s, 'GET', `/api/rooms/${room.roomId}`);
  assert.equal(summary.status, 410);
  assert.equal(summary.body.error, 'room-blocked');
  const page = await fetch(room.roomUrl);
  assert.equal(page.status, 410);
  assert.match(await page.text(), /was closed/);
  await assert.rejects(joinBot(s, room.roomId, 'Late'), (err) => err instanceof BotJoinError && err.code === 'room-blocked');
  assert.equal((await api(s, 'POST', `/api/rooms/${room.roomId}/reports`, { body: { reason: 'spam' } })).status, 410);
  for (const [method, path] of [['GET', 'settings'], ['PATCH', 'settings'], ['POST', 'invites'], ['POST', 'rotate-link']] as const) {
    const hostCall = await api(s, method, `/api/rooms/${room.roomId}/${path}`, { bearer: room.hostSecret, body: method === 'GET' ? undefined : {} });
    assert.deepEqual([hostCall.status, hostCall.body.error], [410, 'room-blocked'], `host API ${method} ${path} of a blocked room`);
  }
  assert.equal((await api(s, 'POST', '/api/admin/rooms/noSuchRoom/block', { bearer: OPERATOR_SECRET })).status, 404);
});

test('a host who rotates the link after a report does not dodge the operator: the report shows the new id, and the old one blocks the room', async () => {
  const s = server!;
  const room = (await api<CreateRoomResponse>(s, 'POST', '/api/rooms', { body: { title: 'Rotating' } })).body;
  const bot = await joinBot(s, room.roomId, 'Mallory');
  bots.push(bot);
  assert.equal((await api(s, 'POST', `/api/rooms/${room.roomId}/reports`, { body: { reason: 'spam' } })).status, 204);
  const rotated = (await api<CreateRoomResponse>(s, 'POST', `/api/rooms/${room.roomId}/rotate-link`, { bearer: room.hostSecret })).body;
  assert.notEqual(rotated.roomId, room.roomId);

  const listed = await api<ReportsResponse>(s, 'GET', '/api/admin/reports', { bearer: OPERATOR_SECRET });
  const report = listed.body.reports.find((r) => r.roomId === room.roomId);
  assert.ok(report, 'the report of the old id is listed');
  assert.equal(report.currentRoomId, rotated.roomId);
  const cli = await adminCli(['reports'], OPERATOR_SECRET, s.url);
  assert.match(cli.stdout, new RegExp(`room ${room.roomId} \\(now ${rotated.roomId}\\)`));

  const blocked = await api<BlockRoomResponse>(s, 'POST', `/api/admin/rooms/${room.roomId}/block`, { bearer: OPERATOR_SECRET });
  assert.equal(blocked.status, 200);
  assert.deepEqual([blocked.body.roomId, blocked.body.endedMeeting], [rotated.roomId, true]);
  await waitUntil(() => bot.ended !== null, { timeoutMs: 5000, what: 'the meeting under the new id ended' });
  assert.equal(bot.ended?.reason, 'room-closed');
  assert.equal((await api(s, 'GET', `/api/rooms/${rotated.roomId}`)).status, 410);
  // Only ids a report shows resolve: a made-up id still blocks nothing.
  assert.equal((await api(s, 'POST', '/api/admin/rooms/neverReported/block', { bearer: OPERATOR_SECRET })).status, 404);
});

test('without an operator secret the operator API does not exist; reports are validated and rate-limited', async () => {
  plain = await startTestServer();
  const s = plain;
  for (const path of ['/api/admin/reports']) {
    assert.equal((await api(s, 'GET', path, { bearer: 'anything-at-all-here' })).status, 404);
  }
  assert.equal((await api(s, 'POST', '/api/admin/rooms/x/block', { bearer: 'anything-at-all-here' })).status, 404);
  const cli = await adminCli(['reports'], 'anything-at-all-here', s.url);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /no operator API/);

  const room = (await api<CreateRoomResponse>(s, 'POST', '/api/rooms', {})).body;
  const report = (body: unknown, roomId = room.roomId) => api(s, 'POST', `/api/rooms/${roomId}/reports`, { body });
  const badReason = await report({ reason: 'boring' });
  assert.equal(badReason.status, 400);
  assert.match(String(badReason.body.message), /reason/);
  assert.equal((await report({ reason: 'other', text: 'x'.repeat(2001) })).status, 400);
  assert.equal((await report({ reason: 'other' }, 'noSuchRoom')).status, 404);
  assert.equal((await report({ reason: 'spam' })).status, 204, 'a room with nobody in it can be reported too');
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await report({ reason: 'spam' })).status);
  assert.ok(statuses.includes(429), `reports from one client are rate-limited, got ${statuses.join(' ')}`);
});
