import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { releaseNativeResources } from '@treff/sfu';
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
