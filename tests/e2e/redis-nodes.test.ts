// Browser end-to-end for nodes sharing one Redis (`--redis`): two servers and one redis-server. Chromium opens
// the room link on node A, Firefox the same link on node B; B forwards Firefox's signaling socket to A, which
// runs the meeting, and Firefox's media goes straight to A. They see and hear each other. Run by
// scripts/run-e2e.mjs inside a private network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoomSummary } from '@treff/protocol';
import { startServer } from '@treff/server';
import { startTestRedis } from '@treff/server/test-redis';
import { e2eHarness } from './harness.js';
import { waitUntilConnected } from './page-waits.js';

const NAV_TIMEOUT = 60_000;
const MEDIA_TIMEOUT = 90_000;

async function startNodes() {
  const redis = await startTestRedis();
  const node = () => startServer({ port: 0, host: '127.0.0.1', rtcPort: 0, iceAddress: '127.0.0.1', logLevel: 'warn', redisUrl: redis.url });
  const a = await node();
  const b = await node();
  return {
    url: a.url,
    otherUrl: b.url,
    async close() {
      await Promise.allSettled([a.close(), b.close()]);
      await redis.stop();
    },
  };
}

const e2e = e2eHarness(startNodes);

test('Chromium on one node and Firefox on another meet in one meeting, run by the first node', { timeout: 300_000 }, async () => {
  const room = await e2e.createRoom({ title: 'two nodes' });
  const ada = await e2e.chromiumParticipant('Ada');
  const zoe = await e2e.firefoxParticipant('Zoë');
  const onB = new URL(new URL(room.roomUrl).pathname, e2e.server.otherUrl).href;
  await e2e.withDiagnostics('redis-nodes', async () => {
    assert.equal(await ada.join(room.roomUrl, NAV_TIMEOUT), 200, 'the room link on node A');
    await waitUntilConnected(ada, MEDIA_TIMEOUT, 100);
    assert.equal(await zoe.join(onB, NAV_TIMEOUT), 200, 'the same room on node B');
    for (const [p, other] of [[ada, zoe], [zoe, ada]] as const) {
      const [media] = await p.waitForMediaFrom([other.name], MEDIA_TIMEOUT);
      assert.ok(media && media.framesDecodedGrowth > 0 && media.audioPacketsGrowth > 0, `${p.name} (${p.engine}) <- ${other.name}: ${JSON.stringify(media)}`);
    }
  });
  const summary = (await (await fetch(new URL(`/api/rooms/${room.roomId}`, e2e.server.otherUrl))).json()) as RoomSummary;
  assert.equal(summary.participantCount, 2, 'node B counts the meeting node A runs');
  await e2e.dismiss(ada, zoe);
});
