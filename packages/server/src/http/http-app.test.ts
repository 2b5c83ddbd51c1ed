import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateRoomResponse, RoomSummary } from '@treff/protocol';
import { releaseNativeResources } from '@treff/sfu';
import { PROTOCOL_VERSION } from '@treff/protocol';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../server.js';

let server: RunningServer;
/** Everything the server logs, at debug level, to check what it never says. */
const logLines: string[] = [];
const webRoot = mkdtempSync(join(tmpdir(), 'treff-web-'));

before(async () => {
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Treff app</title>');
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
  server = await startServer({ host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, webRoot, logger });
});
after(async () => {
  await server.close();
  rmSync(webRoot, { recursive: true, force: true });
  releaseNativeResources();
});

async function createRoom(body?: unknown): Promise<Response> {
  return fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
}

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
  assert.deepEqual(summary, { roomId: room.roomId, title: 'Design', participantCount: 0 });
  const missing = await fetch(`${server.url}/api/rooms/doesNotExist`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: string }).error, 'room-not-found');
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
  for (let i = 0; i < 40; i++) if ((await createRoom()).status === 429) limited++;
  assert.ok(limited > 0, 'some of 40 rapid creations must be refused');
});
