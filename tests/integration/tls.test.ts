// With --tls-cert/--tls-key the server speaks HTTPS and WSS (browsers allow cameras only on secure
// origins), and the links it hands out say https.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServer } from '@treff/server';
import { decodeServerMessage, PROTOCOL_VERSION, type CreateRoomResponse } from '@treff/protocol';
import { exitWhenDone } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'treff-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });

const server = await startServer({ host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'warn', webRoot: '/nonexistent/treff-web', tlsCertFile: cert, tlsKeyFile: key });
exitWhenDone(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('HTTPS API and WSS signaling work with a certificate', async () => {
  assert.match(server.url, /^https:\/\//);
  const res = await post('/api/rooms', '{"title":"secure"}');
  assert.equal(res.status, 201);
  const room = JSON.parse(res.body) as CreateRoomResponse;
  assert.match(room.roomUrl, /^https:\/\//);

  const ws = new WebSocket(`${server.url.replace('https', 'wss')}/ws`, { rejectUnauthorized: false });
  const joined = await new Promise<string>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId: room.roomId, name: 'Tess', media: { audio: false, video: false } })));
    ws.on('message', (data) => {
      const decoded = decodeServerMessage(String(data));
      if (decoded.ok && decoded.message.type === 'joined') resolve(decoded.message.self.name);
    });
    ws.on('error', reject);
    setTimeout(() => reject(new Error('no joined over wss')), 10_000).unref();
  });
  assert.equal(joined, 'Tess');
  ws.close();
});
