// With --tls-cert/--tls-key the server speaks HTTPS and WSS (browsers allow cameras only on secure
// origins), and the links it hands out say https; with --workers, the front does, for all of them.

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
import { startClusterProcess, type ClusterProcess } from '../cluster-process.js';
import { exitWhenDone } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'treff-tls-'));
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });

const server = await startServer({ host: '127.0.0.1', port: 0, rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'warn', webRoot: '/nonexistent/treff-web', tlsCertFile: cert, tlsKeyFile: key });
let cluster: ClusterProcess | undefined;
exitWhenDone(async () => {
  await server.close();
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(url: string, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function checkTls(url: string): Promise<void> {
  assert.match(url, /^https:\/\//);
  const res = await post(url, '/api/rooms', '{"title":"secure"}');
  assert.equal(res.status, 201);
  const room = JSON.parse(res.body) as CreateRoomResponse;
  assert.match(room.roomUrl, /^https:\/\//);

  const ws = new WebSocket(`${url.replace('https', 'wss')}/ws?room=${room.roomId}`, { rejectUnauthorized: false });
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
}

test('HTTPS API and WSS signaling work with a certificate', () => checkTls(server.url));

test('with --workers, the front serves HTTPS and WSS and the workers hand out https links', async () => {
  cluster = await startClusterProcess(2, ['--tls-cert', cert, '--tls-key', key, '--web-root', '/nonexistent/treff-web']);
  await checkTls(cluster.url);
});
