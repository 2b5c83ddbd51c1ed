// Nodes sharing Redis while Redis is away: two nodes in this process and a redis-server that is stopped in
// the middle of a meeting and started again, empty. The meeting goes on (its media and memory need no
// Redis), both nodes say they are unhealthy while it is away, nothing crashes, and once it is back a new
// meeting across both nodes works.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRoom, waitUntil, type Bot } from '@treff/load';
import type { RunningServer } from '@treff/server';
import { startTestRedis, type TestRedis } from '@treff/server/test-redis';
import { exitWhenDone, joinBot, startTestServer } from './helpers.js';

const bots: Bot[] = [];
let redis: TestRedis | undefined;
const nodes: RunningServer[] = [];
exitWhenDone(async () => {
  for (const bot of bots) bot.close();
  for (const node of nodes) await node.close();
  await redis?.stop();
});

const health = (node: RunningServer) => fetch(new URL('/healthz', node.url)).then((r) => r.status);

async function join(node: RunningServer, roomId: string, name: string): Promise<Bot> {
  const bot = await joinBot(node, roomId, name);
  bots.push(bot);
  return bot;
}

test('a meeting goes on while Redis is away; the nodes say so, and work again once it is back', { timeout: 120_000 }, async () => {
  redis = await startTestRedis();
  const port = Number(new URL(redis.url).port);
  const a = await startTestServer({ redisUrl: redis.url });
  nodes.push(a);
  const b = await startTestServer({ redisUrl: redis.url });
  nodes.push(b);
  const room = await createRoom(a.url, 'outage');
  const ada = await join(a, room.roomId, 'ada');
  const bea = await join(b, room.roomId, 'bea');
  await bea.waitForPackets(ada.participantId, 'video', 20, 15_000);

  await redis.stop();
  redis = undefined;
  // Past the 5 s after which a node's reports are taken as lost.
  await waitUntil(async () => (await health(a)) === 503 && (await health(b)) === 503, { timeoutMs: 15_000, intervalMs: 250, what: 'both nodes to report themselves unhealthy' });
  const during = bea.packetsFrom(ada.participantId, 'video');
  await waitUntil(() => bea.packetsFrom(ada.participantId, 'video') > during + 20, { timeoutMs: 10_000, what: 'media to go on without Redis' });
  assert.equal(ada.ended, null);
  assert.equal(bea.ended, null);

  // Back, and empty (no persistence here): what was stored is gone, the nodes are not.
  redis = await startTestRedis(port);
  await waitUntil(async () => (await health(a)) === 200 && (await health(b)) === 200, { timeoutMs: 15_000, intervalMs: 250, what: 'both nodes to recover once Redis is back' });
  const after = await createRoom(b.url, 'after');
  const cem = await join(a, after.roomId, 'cem');
  const dan = await join(b, after.roomId, 'dan');
  await dan.waitForPackets(cem.participantId, 'video', 20, 15_000);
  const still = bea.packetsFrom(ada.participantId, 'video');
  await waitUntil(() => bea.packetsFrom(ada.participantId, 'video') > still + 20, { timeoutMs: 10_000, what: 'the first meeting to go on' });
});
