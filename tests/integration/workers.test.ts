// `--workers 2`: the real server process with two worker processes behind one port. Each meeting runs in
// one worker (its media on that worker's UDP port), connections and host requests reach it through the
// front, counts are right from any worker, and a worker that dies is started again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type RoomSummary, type DirectoryResponse } from '@treff/protocol';
import { createRoom, sleep, waitUntil, type Bot, type BotOptions } from '@treff/load';
import { api } from './api-client.js';
import { startClusterProcess, type ClusterProcess } from '../cluster-process.js';
import { exitWhenDone, joinBot, rawRequest } from './helpers.js';

const bots: Bot[] = [];
let cluster: ClusterProcess | undefined;
exitWhenDone(async () => {
  for (const bot of bots) bot.close();
  await cluster?.close();
});

/** A bot that notes the server's media port from the candidates it is sent. */
async function joinNoting(url: string, roomId: string, name: string, extra: Partial<BotOptions> = {}): Promise<{ bot: Bot; mediaPort: () => number | undefined }> {
  let port: number | undefined;
  const bot = await joinBot({ url }, roomId, name, {
    rewriteRemoteCandidate: (candidate) => {
      port ??= Number(candidate.split(' ')[5]);
      return candidate;
    },
    ...extra,
  });
  bots.push(bot);
  return { bot, mediaPort: () => port };
}

/**
 * The live worker processes of `parent` and their environments, from /proc (field 4 of `stat` is the parent's
 * pid). Workers are the children with a worker index in their environment: tsx may run an esbuild service beside them.
 */
function workers(parent: number): { pid: number; env: Map<string, string> }[] {
  const found: { pid: number; env: Map<string, string> }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== parent || state === 'Z') continue;
      const env = new Map(readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').map((v): [string, string] => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
      if (env.has('TREFF_WORKER_INDEX')) found.push({ pid: Number(entry), env });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const workerPids = (parent: number): number[] => workers(parent).map((w) => w.pid);

test('two workers behind one port: meetings are placed whole, reached through the front, counted everywhere, and survive a worker crash', { timeout: 120_000 }, async (t) => {
  cluster = await startClusterProcess(2, ['--web-root', '/nonexistent/treff-web']);
  const { url, rtcPorts, process: primary } = cluster;
  assert.equal(rtcPorts.length, 2);
  assert.notEqual(rtcPorts[0], rtcPorts[1]);

  const a = await createRoom(url, { title: 'Room A', settings: { discoverable: true } });
  const b = await createRoom(url, { title: 'Room B', settings: { discoverable: true } });
  const ada = await joinNoting(url, a.roomId, 'ada');
  const bob = await joinNoting(url, a.roomId, 'bob');
  const cem = await joinNoting(url, b.roomId, 'cem');

  await t.test('a meeting runs in one worker; a second meeting goes to the other, less busy one', async () => {
    await waitUntil(() => ada.mediaPort() !== undefined && bob.mediaPort() !== undefined && cem.mediaPort() !== undefined, { timeoutMs: 15_000, what: 'candidates from the server' });
    assert.equal(ada.mediaPort(), bob.mediaPort(), 'both of room A are on the same SFU');
    assert.notEqual(cem.mediaPort(), ada.mediaPort(), 'room B went to the other worker');
    assert.ok(rtcPorts.includes(ada.mediaPort()!) && rtcPorts.includes(cem.mediaPort()!));
    await bob.bot.waitForPackets(ada.bot.participantId, 'video', 30, 30_000);
    await ada.bot.waitForPackets(bob.bot.participantId, 'audio', 30, 30_000);
  });

  await t.test('room sizes are right from the room API and from the directory, whichever worker answers', async () => {
    const summary = async (roomId: string) => (await api<RoomSummary>({ url }, 'GET', `/api/rooms/${roomId}`)).body.participantCount;
    assert.equal(await summary(a.roomId), 2);
    assert.equal(await summary(b.roomId), 1);
    // The directory is answered by one worker for both rooms: the other's size comes from the primary.
    let sizes = '';
    for (const deadline = Date.now() + 10_000; sizes !== 'Room A 2, Room B 1' && Date.now() < deadline; await sleep(200)) {
      const listed = (await api<DirectoryResponse>({ url }, 'GET', '/api/directory')).body.rooms;
      sizes = listed.map((r) => `${r.title} ${r.participantCount}`).sort().join(', ');
    }
    assert.equal(sizes, 'Room A 2, Room B 1');
    const metrics = await (await fetch(new URL('/metrics', url))).text();
    assert.match(metrics, /^treff_participants 3$/m, 'the front sums the workers\' metrics');
    assert.match(metrics, /^treff_workers_up 2$/m);
    assert.match(metrics, /^treff_worker_restarts_total 0$/m);
  });

  await t.test('a join that reaches a worker not running the meeting is turned away to reconnect, and the meeting stays whole', async () => {
    // Past the front, straight to the other worker's socket: as a socket opened there before the meeting started elsewhere.
    const other = workers(primary.pid!).find((w) => Number(w.env.get('TREFF_WORKER_RTC_PORT')) !== ada.mediaPort());
    assert.ok(other, 'no worker besides room A\'s');
    const ws = new WebSocket(`ws+unix://${other.env.get('TREFF_WORKER_SOCKET')}:/ws?room=${a.roomId}`);
    await once(ws, 'open');
    ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId: a.roomId, name: 'stray', media: { audio: false, video: false } }));
    const code = await Promise.race([once(ws, 'close').then(([c]) => c as number), sleep(10_000).then(() => 'still open after 10 s')]);
    ws.terminate();
    assert.equal(code, 1013, 'the stray join was not turned away');
    assert.equal((await api<RoomSummary>({ url }, 'GET', `/api/rooms/${a.roomId}`)).body.participantCount, 2);
    const late = await joinNoting(url, a.roomId, 'late');
    await waitUntil(() => late.mediaPort() !== undefined, { timeoutMs: 15_000, what: 'candidates for the late joiner' });
    assert.equal(late.mediaPort(), ada.mediaPort(), 'the late joiner went to room A\'s worker');
    late.bot.close();
  });

  await t.test('a host request reaches the worker running the meeting: ending room A ends it for both', async () => {
    const ended = await api({ url }, 'POST', `/api/rooms/${a.roomId}/end`, { bearer: a.hostSecret });
    assert.equal(ended.status, 204);
    await waitUntil(() => ada.bot.ended !== null && bob.bot.ended !== null, { timeoutMs: 10_000, what: 'both in room A to be told the meeting ended' });
    assert.equal(cem.bot.ended, null, 'room B goes on');
  });

  await t.test('a socket without its room is refused at the front', async () => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`);
    ws.on('error', () => undefined); // terminate() below reports the refused handshake as one
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
    assert.equal(response.statusCode, 400);
    ws.terminate();
  });

  await t.test('bad requests at the front get an answer and harm nobody', async () => {
    for (const head of ['GET http://[ HTTP/1.1', 'GET /api/rooms/%E0%A4%A HTTP/1.1', `GET /ws?room=${'x'.repeat(5000)} HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket`, 'NONSENSE']) {
      const answer = await rawRequest(url, `${head}\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 [45]\d\d /, `${head.slice(0, 40)} → ${answer.slice(0, 80)}`);
    }
    assert.equal((await fetch(new URL('/healthz', url))).status, 200);
    assert.equal(cem.bot.ended, null, 'the meeting in room B goes on');
  });

  await t.test('a worker that dies is started again, and a new meeting works', async () => {
    const before = workerPids(primary.pid!);
    assert.equal(before.length, 2);
    process.kill(before[0]!, 'SIGKILL');
    await waitUntil(
      () => {
        const now = workerPids(primary.pid!);
        return now.length === 2 && !now.includes(before[0]!);
      },
      { timeoutMs: 20_000, what: 'the primary to start a new worker' },
    );
    let health = '';
    for (const deadline = Date.now() + 20_000; !health.includes('"up":2') && Date.now() < deadline; await sleep(200)) {
      health = await (await fetch(new URL('/healthz', url))).text();
    }
    assert.equal(health, '{"ok":true,"workers":{"up":2,"of":2}}');
    assert.match(await (await fetch(new URL('/metrics', url))).text(), /^treff_worker_restarts_total 1$/m);
    const c = await createRoom(url, 'Room C');
    const dan = await joinNoting(url, c.roomId, 'dan');
    const eve = await joinNoting(url, c.roomId, 'eve');
    await eve.bot.waitForPackets(dan.bot.participantId, 'video', 30, 30_000);
    assert.equal(dan.mediaPort(), eve.mediaPort());
  });

  await t.test('SIGTERM stops the primary and its workers', async () => {
    const workers = workerPids(primary.pid!);
    primary.kill('SIGTERM');
    const [code] = (await once(primary, 'exit')) as [number | null];
    assert.equal(code, 0);
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), 'a worker outlived the primary');
  });
});
