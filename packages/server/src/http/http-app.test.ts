import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateGroupResponse, CreateRoomResponse, MemberCredentialResponse, RoomSummary } from '@treff/protocol';
import { releaseNativeResources } from '@treff/sfu';
import { PROTOCOL_VERSION } from '@treff/protocol';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../server.js';

let server: RunningServer;
const OPERATOR_SECRET = 'operator-secret-for-tests';
/** Everything the server logs, at debug level, to check what it never says. */
const logLines: string[] = [];
const webRoot = mkdtempSync(join(tmpdir(), 'treff-web-'));

before(async () => {
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Treff app</title>');
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  server = await startServer({ host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, webRoot, logger, operatorSecret: OPERATOR_SECRET, maxParticipantsPerRoom: 80 });
});
after(async () => {
  await server.close();
  rmSync(webRoot, { recursive: true, force: true });
  releaseNativeResources();
});

async function createRoom(body?: unknown, bearer?: string): Promise<Response> {
  return post('/api/rooms', body, bearer);
}

async function post(path: string, body?: unknown, bearer?: string): Promise<Response> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  return fetch(`${server.url}${path}`, { method: 'POST', headers, body: body === undefined ? null : JSON.stringify(body) });
}

const errorOf = async (res: Response): Promise<{ error: string; message: string }> => (await res.json()) as { error: string; message: string };

test('POST /api/rooms returns an unguessable room link and a separate host link', async () => {
  const res = await createRoom({ title: '  Weekly   sync ' });
  assert.equal(res.status, 201);
  const room = (await res.json()) as CreateRoomResponse;
  assert.match(room.roomId, /^[A-Za-z0-9_-]{22}$/, '128 bits, base64url');
  assert.equal(room.title, 'Weekly sync');
  assert.equal(room.roomUrl, `${server.url}/r/${room.roomId}`);
  assert.equal(room.hostUrl, `${room.roomUrl}#host=${room.hostSecret}`);
  assert.ok(room.hostSecret.length >= 43, '256-bit host secret');
  const other = (await (await createRoom()).json()) as CreateRoomResponse;
  assert.notEqual(other.roomId, room.roomId);
  assert.equal(other.title, '');
});

test('POST /api/rooms refuses bad titles with a clear error', async () => {
  const long = await createRoom({ title: 'x'.repeat(121) });
  assert.equal(long.status, 400);
  assert.match(((await long.json()) as { message: string }).message, /at most 120/);
  const wrongType = await createRoom({ title: 42 });
  assert.equal(wrongType.status, 400);
  const broken = await fetch(`${server.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":' });
  assert.equal(broken.status, 400);
});

test('GET /api/rooms/:roomId describes a room, 404 for unknown ones', async () => {
  const room = (await (await createRoom({ title: 'Design' })).json()) as CreateRoomResponse;
  const summary = (await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()) as RoomSummary;
  assert.deepEqual(summary, {
    roomId: room.roomId,
    title: 'Design',
    participantCount: 0,
    joinMode: 'link',
    passwordRequired: false,
    lobby: false,
    locked: false,
    requireE2ee: false,
    groupId: null,
    groupName: null,
  });
  const missing = await fetch(`${server.url}/api/rooms/doesNotExist`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: string }).error, 'room-not-found');
});

test('a new room has default settings: open to the link, unlisted, 50 people at most', async () => {
  const room = (await (await createRoom()).json()) as CreateRoomResponse;
  assert.deepEqual(room.settings, {
    joinMode: 'link',
    lobby: false,
    locked: false,
    passwordRequired: false,
    linkSharing: true,
    discoverable: false,
    maxParticipants: 50,
    autoPromote: true,
    requireE2ee: false,
    multipleScreenShares: false,
    groupId: null,
  });
});

test('POST /api/rooms takes settings; the password is kept only as a hash and never returned', async () => {
  const res = await createRoom({ title: 'Board', settings: { password: 'hunter22', lobby: true, locked: true, maxParticipants: 12, linkSharing: false, discoverable: true, autoPromote: false, joinMode: 'invite', requireE2ee: true, multipleScreenShares: true } });
  assert.equal(res.status, 201);
  const text = await res.text();
  assert.doesNotMatch(text, /hunter22|scrypt/);
  const room = JSON.parse(text) as CreateRoomResponse;
  assert.deepEqual(room.settings, { joinMode: 'invite', lobby: true, locked: true, passwordRequired: true, linkSharing: false, discoverable: true, maxParticipants: 12, autoPromote: false, requireE2ee: true, multipleScreenShares: true, groupId: null });
  const summary = (await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()) as RoomSummary;
  assert.deepEqual([summary.passwordRequired, summary.lobby, summary.locked, summary.joinMode, summary.requireE2ee], [true, true, true, 'invite', true]);
});

test('bad settings are refused with an error naming the setting', async () => {
  for (const [settings, pattern] of [
    [{ maxParticipants: 81 }, /at most 80/],
    [{ maxParticipants: 1 }, /maxParticipants/],
    [{ lobby: 'yes' }, /lobby/],
    [{ joinMode: 'friends' }, /joinMode/],
    [{ joinMode: 'group' }, /group/],
    [{ password: '' }, /password/],
    ['nope', /settings/],
  ] as const) {
    const res = await createRoom({ settings });
    assert.equal(res.status, 400, `${JSON.stringify(settings)}: ${res.status}`);
    const body = await errorOf(res);
    assert.equal(body.error, 'bad-request');
    assert.match(body.message, pattern);
  }
  assert.equal((await createRoom([1, 2])).status, 400);
});

test('a group room needs a member credential of that group', async () => {
  const group = (await (await post('/api/groups', { name: 'Choir' })).json()) as CreateGroupResponse;
  const inviteCode = new URL(group.memberInviteUrl).hash.replace('#join=', '');
  const joined = (await (await post(`/api/groups/${group.groupId}/members`, { name: 'Ada', inviteCode })).json()) as MemberCredentialResponse;
  const other = (await (await post('/api/groups', { name: 'Band' })).json()) as CreateGroupResponse;

  assert.equal((await createRoom({ groupId: group.groupId })).status, 401);
  assert.equal((await createRoom({ groupId: group.groupId }, 'not-a-token')).status, 403);
  assert.equal((await createRoom({ groupId: other.groupId }, joined.token)).status, 403, 'a credential of another group');
  assert.equal((await createRoom({ groupId: group.groupId }, group.adminSecret)).status, 403, 'the admin secret is no member credential');
  assert.equal((await createRoom({ groupId: 'noSuchGroup' }, joined.token)).status, 404);

  const res = await createRoom({ title: 'Rehearsal', groupId: group.groupId }, joined.token);
  assert.equal(res.status, 201);
  const room = (await res.json()) as CreateRoomResponse;
  assert.equal(room.settings.joinMode, 'group', 'group rooms are members-only by default');
  assert.equal(room.settings.groupId, group.groupId);
  const summary = (await (await fetch(`${server.url}/api/rooms/${room.roomId}`)).json()) as RoomSummary;
  assert.deepEqual([summary.groupId, summary.groupName], [group.groupId, 'Choir']);
});

test('a blocked room answers 410 from the API and a clear page for its link', async () => {
  const room = (await (await createRoom({ title: 'Spam' })).json()) as CreateRoomResponse;
  const blocked = await post(`/api/admin/rooms/${room.roomId}/block`, undefined, OPERATOR_SECRET);
  assert.equal(blocked.status, 200);
  const api = await fetch(`${server.url}/api/rooms/${room.roomId}`);
  assert.equal(api.status, 410);
  assert.equal((await errorOf(api)).error, 'room-blocked');
  const page = await fetch(room.roomUrl);
  assert.equal(page.status, 410);
  const html = await page.text();
  assert.match(html, /was closed/);
  assert.doesNotMatch(html, /Treff app/, 'the app is not served for a blocked room');
});

test('group pages and the directory page serve the app; unknown groups get a 404 page', async () => {
  const group = (await (await post('/api/groups', { name: 'Club' })).json()) as CreateGroupResponse;
  const page = await fetch(`${server.url}/g/${group.groupId}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Treff app/);
  const rooms = await fetch(`${server.url}/rooms`);
  assert.equal(rooms.status, 200);
  assert.match(await rooms.text(), /Treff app/);
  const missing = await fetch(`${server.url}/g/noSuchGroup`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /doesn.t exist/);
});

test('room pages serve the app; unknown rooms get a friendly 404 page without internals', async () => {
  const room = (await (await createRoom()).json()) as CreateRoomResponse;
  const page = await fetch(room.roomUrl);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Treff app/);
  for (const path of ['/r/doesNotExist', '/r/..%2F..%2Fetc%2Fpasswd', '/r/' + 'x'.repeat(80)]) {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 404, path);
    const html = await res.text();
    assert.match(html, /doesn.t exist/, path);
    assert.doesNotMatch(html, /Error|at .*\.ts/, path);
  }
  const home = await fetch(`${server.url}/`);
  assert.equal(home.status, 200);
  assert.equal(home.headers.get('cache-control'), 'no-cache', 'a new release must reach everyone');
  assert.match(await home.text(), /Treff app/);
  const asset = await fetch(`${server.url}/assets/app-1a2b3c.js`);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('cache-control') ?? '', /immutable/, 'hashed assets are cached for good');
});

test('server pages speak German to a browser that prefers it', async () => {
  const res = await fetch(`${server.url}/r/doesNotExist`, { headers: { 'accept-language': 'de-CH,de;q=0.9,en;q=0.8' } });
  assert.equal(res.status, 404);
  assert.equal(res.headers.get('vary'), 'accept-language');
  const html = await res.text();
  assert.match(html, /<html lang="de">/);
  assert.match(html, /Dieses Meeting gibt es nicht/);
  assert.match(html, /Neues Meeting starten/);
});

test('unknown API paths get JSON 404s; health and metrics answer', async () => {
  const res = await fetch(`${server.url}/api/nope`);
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { error: string }).error, 'not-found');
  assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { ok: true });
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /treff_rooms_created_total \d+/);
  assert.match(metrics, /treff_sfu_packets_forwarded_total \d+/);
});

test('logs never contain room ids, display names or client addresses', async () => {
  const room = (await (await createRoom({ title: 'Secret plans' })).json()) as CreateRoomResponse;
  await fetch(`${room.roomUrl}?name=Ada%20Lovelace&autojoin=1`);
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId: room.roomId, name: 'Ada Lovelace', media: { audio: false, video: false } })));
    ws.on('message', (data) => {
      if (String(data).includes('"joined"')) resolve();
    });
    ws.on('error', reject);
  });
  ws.close();
  await new Promise((r) => setTimeout(r, 200));
  const text = logLines.join('');
  assert.match(text, /participant joined/, 'the join itself is logged');
  for (const secret of [room.roomId, room.hostSecret, 'Ada', 'Secret plans', 'remoteAddress', '/r/']) assert.ok(!text.includes(secret), `logs contain ${secret}`);
});

test('room creation is rate-limited per client', async () => {
  let limited = 0;
  let body: { error: string } | undefined;
  for (let i = 0; i < 40; i++) {
    const res = await createRoom();
    if (res.status === 429) {
      limited++;
      body = (await res.json()) as { error: string };
    }
  }
  assert.ok(limited > 0, 'some of 40 rapid creations must be refused');
  assert.equal(body?.error, 'rate-limited');
});
