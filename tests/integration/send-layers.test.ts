// Simulcast layers nobody receives are paused at the publisher (`send-layers`): a camera shown only in
// small tiles is asked, after the demand stayed low for 5 s, to send its lowest layer alone, and stops
// the two others; when a tile grows, the layers are asked back at once and the subscriber gets the top
// layer within a keyframe. The bots honour `send-layers` as browsers do with `encodings[i].active`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { nowMs, waitUntil, type Bot } from '@treff/load';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

/** Packets the publisher sent per rid so far. */
function sentByRid(publisher: Bot): Map<string, number> {
  return new Map(publisher.outboundStats().flatMap((o) => (o.kind === 'video' && o.rid !== null ? [[o.rid, o.packets] as const] : [])));
}

test('layers no tile needs are paused at the publisher and resumed when a tile grows', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const publisher = await joinBot(server, roomId, 'camera', { publish: { audio: false, video: true } });
  bots.push(publisher);
  const viewer = await joinBot(server, roomId, 'viewer', { publish: { audio: false, video: false } });
  bots.push(viewer);
  publisher.subscribe([]);
  const tile = (width: number, height: number) => viewer.subscribe([{ participantId: publisher.participantId, width, height }]);

  tile(160, 90);
  await viewer.waitForPackets(publisher.participantId, 'video', 30, 45_000);
  const small = nowMs();
  await waitUntil(() => publisher.sendLayerChanges.some((c) => c.rids.join() === 'l'), {
    timeoutMs: 12_000,
    what: 'send-layers [l] at the publisher',
    describe: () => JSON.stringify(publisher.sendLayerChanges),
  });
  const paused = nowMs() - small;
  const before = sentByRid(publisher);
  await new Promise((r) => setTimeout(r, 1000));
  const after = sentByRid(publisher);
  assert.equal(after.get('m'), before.get('m'), 'the middle layer kept sending');
  assert.equal(after.get('h'), before.get('h'), 'the top layer kept sending');
  assert.ok(after.get('l')! > before.get('l')!, 'the lowest layer must keep sending');
  assert.equal(viewer.sourceStatsOf(publisher.participantId, 'video')?.layer, 0);

  const grow = nowMs();
  tile(1280, 720);
  await waitUntil(() => publisher.sendLayerChanges.at(-1)?.rids.join() === 'l,m,h', { timeoutMs: 2000, what: 'send-layers [l,m,h] at once' });
  const resumed = nowMs() - grow;
  await waitUntil(
    () => {
      const s = viewer.sourceStatsOf(publisher.participantId, 'video');
      return s !== null && s.layer === 2 && s.height === 720 && s.lastPacketAt > grow;
    },
    { timeoutMs: 8000, what: 'the viewer on the top layer', describe: () => JSON.stringify(viewer.sourceStatsOf(publisher.participantId, 'video')) },
  );
  const top = nowMs() - grow;
  console.log(`# send-layers: [l] ${paused.toFixed(0)} ms after the tile shrank; [l,m,h] ${resumed.toFixed(0)} ms and the top layer at the viewer ${top.toFixed(0)} ms after it grew`);
  assert.equal(viewer.sourceStatsOf(publisher.participantId, 'video')?.lost, 0, 'video went missing');
  for (const b of bots) {
    assert.deepEqual(b.errors, [], `${b.name}: server errors`);
    assert.deepEqual(b.localErrors, [], `${b.name}: bot errors`);
  }
});
