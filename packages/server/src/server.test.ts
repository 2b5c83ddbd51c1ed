import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { releaseNativeResources } from '@treff/sfu';
import { PROTOCOL_VERSION } from '@treff/protocol';
import { startServer } from './server.js';

const server = await startServer({ host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'silent', webRoot: '/nonexistent', heartbeatMs: 50 });
after(async () => {
  await server.close();
  releaseNativeResources();
});

test('sockets that answer pings stay connected across many heartbeats', async () => {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
  let closed = false;
  ws.on('close', () => (closed = true));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let pings = 0;
  ws.on('ping', () => pings++);
  await new Promise((r) => setTimeout(r, 600));
  assert.ok(pings >= 3, `only ${pings} pings`);
  assert.equal(closed, false, 'a live socket was dropped');
  ws.close();
});

test('other WebSocket paths are refused', async () => {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/not-signaling`);
  const error = await new Promise<Error>((resolve) => ws.once('error', resolve));
  assert.match(error.message, /404/);
});

/** Joins a fresh room as its host over a raw socket and returns the link `joined` shows. */
async function linkShown(url: string, headers: Record<string, string> = {}): Promise<string | null> {
  const created = (await (await fetch(`${url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as {
    roomId: string;
    hostSecret: string;
  };
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const joined = new Promise<{ room: { id: string; link: string | null } }>((resolve) =>
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; room: { id: string; link: string | null } };
      if (m.type === 'joined') resolve(m);
    }),
  );
  ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId: created.roomId, name: 'h', hostSecret: created.hostSecret, media: { audio: false, video: false } }));
  const { room } = await joined;
  ws.close();
  assert.equal(room.id, created.roomId);
  return room.link;
}

test('room links use the Host the client connected to; forwarded headers count only behind a trusted proxy', async () => {
  const link = await linkShown(server.url, { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
  assert.match(link ?? '', new RegExp(`^${server.url}/r/[A-Za-z0-9_-]+$`));
});

test('behind a trusted proxy the forwarded scheme and host make the link; --public-url overrides both', async () => {
  const options = { host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'silent', webRoot: '/nonexistent' } as const;
  const proxied = await startServer({ ...options, trustProxy: true });
  const fixed = await startServer({ ...options, trustProxy: true, publicUrl: 'https://meet.example.org' });
  try {
    const forwarded = { 'x-forwarded-host': 'meet.example.net', 'x-forwarded-proto': 'https' };
    assert.match((await linkShown(proxied.url, forwarded)) ?? '', /^https:\/\/meet\.example\.net\/r\//);
    assert.match((await linkShown(fixed.url, forwarded)) ?? '', /^https:\/\/meet\.example\.org\/r\//);
  } finally {
    await proxied.close();
    await fixed.close();
  }
});

/** The first answer to a join with a wrong password over a raw socket: the error code, or the message type. */
async function wrongPasswordAnswer(url: string, roomId: string, forwardedFor: string): Promise<string> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { 'x-forwarded-for': forwardedFor } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const answer = new Promise<string>((resolve) =>
    ws.once('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; code?: string };
      resolve(m.code ?? m.type);
    }),
  );
  ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId, name: 'g', password: 'wrong', media: { audio: false, video: false } }));
  const result = await answer;
  ws.close();
  return result;
}

test('behind a trusted proxy the client address is the right-most X-Forwarded-For entry (what the proxy saw), for signaling and HTTP alike', async () => {
  const options = { host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'silent', webRoot: '/nonexistent' } as const;
  const proxied = await startServer({ ...options, trustProxy: true });
  try {
    const created = (await (
      await fetch(`${proxied.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings: { password: 'right' } }) })
    ).json()) as { roomId: string };
    // The proxy appends the address it saw; whatever the client put before it is the client's own say.
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await wrongPasswordAnswer(proxied.url, created.roomId, `10.9.9.${i}, 192.0.2.7`));
    assert.deepEqual(answers, [...Array<string>(5).fill('wrong-password'), 'too-many-attempts'], 'spoofed left-most entries dodge the per-address limit');
    assert.equal(await wrongPasswordAnswer(proxied.url, created.roomId, '192.0.2.8'), 'wrong-password', 'another address has its own limit');

    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${proxied.url}/api/rooms/${created.roomId}/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.8.8.${i}, 192.0.2.9` },
        body: JSON.stringify({ reason: 'spam' }),
      });
      statuses.push(response.status);
    }
    assert.deepEqual(statuses, [204, 204, 204, 204, 204, 429], 'the HTTP rate limit keys on the same address');
  } finally {
    await proxied.close();
  }
});
