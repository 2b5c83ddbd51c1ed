// The server's diagnostic media tap: it shows every RTP payload a publisher sends as the SFU parsed it,
// named by participant, and stops when the listener is removed. (tests/e2e uses it to show that with
// end-to-end encryption those payloads are not VP8 or Opus; here, bots publish in clear, so it must see
// their VP8 key frame headers.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer, TappedMedia } from '@treff/server';
import { sleep, waitUntil, type Bot } from '@treff/load';
import { closeWhenDone, joinBot, newRoom, startTestServer, TEST_VIDEO } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

test('tapMedia sees each publisher’s payloads, by participant, until stopped', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const tapped: TappedMedia[] = [];
  const stop = server.tapMedia((p) => tapped.push(p));
  const alice = await joinBot(server, roomId, 'alice', { video: { ...TEST_VIDEO, keyframeIntervalMs: 500 } });
  bots.push(alice);
  const bob = await joinBot(server, roomId, 'bob', { publish: { audio: true, video: false } });
  bots.push(bob);
  const from = (bot: Bot, kind: 'audio' | 'video') => tapped.filter((p) => p.participantId === bot.participantId && p.kind === kind);
  await waitUntil(() => from(alice, 'video').length > 50 && from(alice, 'audio').length > 20 && from(bob, 'audio').length > 20, {
    timeoutMs: 30_000,
    what: 'tapped media of both bots',
  });
  assert.deepEqual(new Set(tapped.map((p) => p.participantId)), new Set([alice.participantId, bob.participantId]));
  assert.equal(from(bob, 'video').length, 0, 'bob publishes no camera');
  assert.deepEqual(new Set(from(alice, 'audio').map((p) => `${p.payloadType}/${p.payload.length}`)), new Set(['111/80']));
  const video = from(alice, 'video');
  // Three simulcast layers, each with its own SSRC and payload size.
  assert.ok(video.every((p) => p.payloadType === 96 && p.payload.length > 10 && p.payload.length <= TEST_VIDEO.payloadBytes));
  assert.equal(new Set(video.map((p) => p.ssrc)).size, 3);
  assert.ok(video.some((p) => p.marker) && video.some((p) => !p.marker), 'markers as sent (last packet of each frame)');
  // In clear: after the 4-byte VP8 payload descriptor, a key frame's tag and start code 9d 01 2a (RFC 6386 §9.1).
  const keyframes = video.filter((p) => (p.payload[0]! & 0x10) !== 0 && (p.payload[4]! & 1) === 0);
  assert.ok(keyframes.length > 0, 'a key frame was tapped');
  assert.deepEqual([...keyframes[0]!.payload.subarray(7, 10)], [0x9d, 0x01, 0x2a]);

  stop();
  await sleep(100);
  const count = tapped.length;
  await sleep(500);
  assert.equal(tapped.length, count, 'nothing after the listener stopped');
});
