// Several servers sharing one Redis (`--redis`): node A in this process, node B the real `main.ts` in a child
// process, one redis-server for both. Every node serves every link; a meeting runs on one node, and
// connections, resumes and host requests for it (a link rotation too) reach that node from any other; a node
// that dies gives its meetings up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CreateRoomResponse, DirectoryResponse, ParticipantsResponse, RoomSummary } from '@treff/protocol';
import { createRoom, waitUntil, type Bot } from '@treff/load';
import type { RunningServer } from '@treff/server';
import { freePort, startTestRedis, type TestRedis } from '@treff/server/test-redis';
import { api } from './api-client.js';
import { startClusterProcess, type ClusterProcess } from '../cluster-process.js';
import { exitWhenDone, joinBot, joinOutcome, startTestServer } from './helpers.js';

const bots: Bot[] = [];
let redis: TestRedis | undefined;
let nodeA: RunningServer | undefined;
let nodeB: ClusterProcess | undefined;
exitWhenDone(async () => {
  for (const bot of bots) bot.close();
  await nodeB?.close();
  await nodeA?.close();
  await redis?.stop();
});

/** A bot, and the server media port its candidates name: which node's SFU it is on. */
async function joinNoting(url: string, roomId: string, name: string): Promise<{ bot: Bot; mediaPort: () => number | undefined }> {
  let port: number | undefined;
  const bot = await joinBot({ url }, roomId, name, {
    rewriteRemoteCandidate: (candidate) => {
      port ??= Number(candidate.split(' ')[5]);
      return candidate;
    },
  });
  bots.push(bot);
  return { bot, mediaPort: () => port };
}

test('two nodes on one Redis: rooms are everywhere, a meeting runs whole on one node, and a dead node gives it up', { timeout: 120_000 }, async (t) => {
  redis = await startTestRedis();
  nodeA = await startTestServer({ redisUrl: redis.url });
  const portB = await freePort();
  nodeB = await startClusterProcess(1, ['--redis', redis.url, '--port', String(portB), '--web-root', '/nonexistent/treff-web']);
  const a = { url: nodeA.url };
  const b = { url: nodeB.url };
  assert.notEqual(nodeA.rtcPort, nodeB.rtcPorts[0]);

  const room = await createRoom(a.url, { title: 'Across', settings: { discoverable: true } });
  let ada: Awaited<ReturnType<typeof joinNoting>>;
  let bea: Awaited<ReturnType<typeof joinNoting>>;

  await t.test('each node is healthy while it reaches Redis, and says which node it is', async () => {
    const [healthA, healthB] = await Promise.all([a, b].map(async (node) => (await fetch(new URL('/healthz', node.url))).json() as Promise<{ ok: boolean; node: string }>));
    assert.equal(healthA!.ok && healthB!.ok, true);
    assert.notEqual(healthA!.node, healthB!.node);
    await waitUntil(async () => /^treff_cluster_nodes 2$/m.test(await (await fetch(new URL('/metrics', a.url))).text()), { timeoutMs: 10_000, intervalMs: 500, what: 'node A to count both nodes in /metrics' });
    assert.match(await (await fetch(new URL('/metrics', b.url))).text(), /^treff_cluster_in_touch 1$/m);
  });

  await t.test('a room made on one node opens on the other', async () => {
    const summary = await api<RoomSummary>(b, 'GET', `/api/rooms/${room.roomId}`);
    assert.equal(summary.status, 200);
    assert.equal(summary.body.title, 'Across');
  });

  await t.test('the meeting starts on the node first joined; a join through the other node reaches it there', async () => {
    ada = await joinNoting(b.url, room.roomId, 'ada');
    await waitUntil(() => ada.mediaPort() !== undefined, { timeoutMs: 15_000, what: 'candidates for ada' });
    assert.equal(ada.mediaPort(), nodeB!.rtcPorts[0], 'the meeting runs on node B');
    bea = await joinNoting(a.url, room.roomId, 'bea');
    await waitUntil(() => bea.mediaPort() !== undefined, { timeoutMs: 15_000, what: 'candidates for bea' });
    assert.equal(bea.mediaPort(), ada.mediaPort(), 'bea, joining through node A, is in the same SFU');
    await bea.bot.waitForPackets(ada.bot.participantId, 'video', 30, 30_000);
    await ada.bot.waitForPackets(bea.bot.participantId, 'audio', 30, 30_000);
  });

  await t.test('counts and host requests are right through either node', async () => {
    for (const node of [a, b]) assert.equal((await api<RoomSummary>(node, 'GET', `/api/rooms/${room.roomId}`)).body.participantCount, 2);
    const listed = await api<ParticipantsResponse>(a, 'GET', `/api/rooms/${room.roomId}/participants`, { bearer: room.hostSecret });
    assert.deepEqual(listed.body.participants.map((p) => p.name).sort(), ['ada', 'bea']);
    // The directory is answered from the node's own view of the others' reports.
    await waitUntil(async () => {
      const listedInA = (await api<DirectoryResponse>(a, 'GET', '/api/directory')).body.rooms;
      return listedInA.find((r) => r.roomId === room.roomId)?.participantCount === 2;
    }, { timeoutMs: 10_000, intervalMs: 500, what: 'node A\'s directory to count the meeting on node B' });
    const locked = await api(a, 'POST', `/api/rooms/${room.roomId}/lock`, { bearer: room.hostSecret });
    assert.equal(locked.status, 200);
    await waitUntil(() => ada.bot.room?.settings.locked === true && bea.bot.room?.settings.locked === true, { timeoutMs: 10_000, what: 'both to see the room locked' });
    assert.equal((await api(b, 'POST', `/api/rooms/${room.roomId}/unlock`, { bearer: room.hostSecret })).status, 200);
  });

  await t.test('wrong passwords count together on every node', async () => {
    const guarded = await createRoom(a.url, { title: 'Guarded', settings: { password: 'sesame' } });
    const outcomes: string[] = [];
    // The address's five a minute, spread over both nodes, and one more.
    for (let i = 0; i < 6; i++) outcomes.push(await joinOutcome(joinBot(i % 2 === 0 ? a : b, guarded.roomId, `guess ${i}`, { password: 'wrong' }), bots));
    assert.deepEqual(outcomes, [...Array(5).fill('wrong-password'), 'too-many-attempts']);
  });

  await t.test('HTTP rate limits count together on every node: room creation stops at 30 a minute in all', async () => {
    // Two rooms were made through node A above.
    let made = 2;
    for (let i = 0; i < 40; i++) {
      const answer = await api(i % 2 === 0 ? a : b, 'POST', '/api/rooms', { body: { title: `burst ${i}` } });
      if (answer.status === 429) break;
      assert.equal(answer.status, 201);
      made++;
    }
    assert.equal(made, 30);
  });

  let roomId = room.roomId;
  await t.test('a link rotated through one node reaches the meeting on the other; a dropped socket resumes through the other node', async () => {
    const rotated = await api<CreateRoomResponse>(a, 'POST', `/api/rooms/${room.roomId}/rotate-link`, { bearer: room.hostSecret });
    assert.equal(rotated.status, 200);
    roomId = rotated.body.roomId;
    await waitUntil(() => ada.bot.roomId === roomId && bea.bot.roomId === roomId, { timeoutMs: 10_000, what: 'both to learn the new link' });
    // ada joined through node B, which runs the meeting; its socket comes back through node A.
    ada.bot.dropSignaling();
    const resumed = await ada.bot.resume({ url: a.url });
    assert.equal(resumed.resumed, true, 'the meeting on node B took its participant back');
    const before = ada.bot.packetsFrom(bea.bot.participantId, 'video');
    await waitUntil(() => ada.bot.packetsFrom(bea.bot.participantId, 'video') > before + 20, { timeoutMs: 10_000, what: 'media to go on after the resume' });
  });

  await t.test('a node that dies gives its meetings up: a join through the other node starts the meeting there', async () => {
    nodeB!.process.kill('SIGKILL');
    let cem: Awaited<ReturnType<typeof joinNoting>> | undefined;
    // Until node B's reports expire the meeting is still its; joins in that time are refused and tried again.
    await waitUntil(async () => {
      try {
        cem = await joinNoting(a.url, roomId, 'cem');
        return true;
      } catch {
        return false;
      }
    }, { timeoutMs: 30_000, intervalMs: 500, what: 'a join through node A to succeed once node B is gone' });
    await waitUntil(() => cem!.mediaPort() !== undefined, { timeoutMs: 15_000, what: 'candidates for cem' });
    assert.equal(cem!.mediaPort(), nodeA!.rtcPort, 'the meeting now runs on node A');
    await waitUntil(async () => /^treff_cluster_nodes 1$/m.test(await (await fetch(new URL('/metrics', a.url))).text()), { timeoutMs: 10_000, intervalMs: 500, what: 'node A to count node B gone' });
    const dan = await joinNoting(a.url, roomId, 'dan');
    await dan.bot.waitForPackets(cem!.bot.participantId, 'video', 30, 30_000);
  });
});
