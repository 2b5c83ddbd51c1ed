// Three bots in one room see each other's audio and video through the real server: SSRCs are
// rewritten per subscriber and announced in the offers, sequence numbers are continuous, video
// starts with a key frame; a leaver's tracks stop; a late joiner gets everybody from a key frame.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, waitUntil, type Bot } from '@treff/load';
import type { MediaKind } from '@treff/protocol';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

const KINDS: readonly MediaKind[] = ['audio', 'video'];
/** Packets each subscriber must get from each publisher, per kind (~2-3 s of media). */
const MIN_PACKETS: Record<MediaKind, number> = { audio: 100, video: 100 };
const WAIT_MS = 45_000;

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

async function waitForAll(receivers: readonly Bot[], publishers: readonly Bot[]): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const r of receivers) {
    for (const p of publishers) {
      if (p === r) continue;
      for (const kind of KINDS) waits.push(r.waitForPackets(p.participantId, kind, MIN_PACKETS[kind], WAIT_MS));
    }
  }
  await Promise.all(waits);
}

/** Checks what `receiver` got from `publisher`; returns the SSRCs it saw per kind. */
function checkStreams(receiver: Bot, publisher: Bot): Record<MediaKind, number> {
  const seen = { audio: 0, video: 0 };
  for (const kind of KINDS) {
    const streams = receiver.streamsFrom(publisher.participantId, kind);
    const where = `${receiver.name} ← ${publisher.name} ${kind}`;
    assert.equal(streams.length, 1, `${where}: exactly one stream, got ${JSON.stringify(streams)}`);
    const s = streams[0]!;
    assert.ok(s.packets >= MIN_PACKETS[kind], `${where}: ${s.packets} packets`);
    assert.ok(s.announced, `${where}: SSRC ${s.ssrc} not announced in the offer for mid ${s.mid} (announced ${receiver.announcedSsrcs(s.mid).join(',')})`);
    assert.notEqual(s.ssrc, publisher.publishedSsrcs[kind], `${where}: SSRC not rewritten`);
    assert.equal(s.lost, 0, `${where}: ${s.lost} sequence numbers missing (${s.gaps} gaps)`);
    assert.equal(s.duplicates, 0, `${where}: duplicates`);
    assert.equal(s.late, 0, `${where}: reordered packets`);
    assert.equal(s.timestampRegressions, 0, `${where}: timestamps went back`);
    if (kind === 'video') assert.equal(s.firstPacketKeyframe, true, `${where}: first video packet is not a key frame start`);
    seen[kind] = s.ssrc;
  }
  return seen;
}

function assertNoErrors(bot: Bot): void {
  assert.deepEqual(bot.errors, [], `${bot.name}: server errors`);
  assert.deepEqual(bot.localErrors, [], `${bot.name}: bot errors`);
}

test('three bots receive each other’s audio and video, then one leaves and a fourth joins late', async (t) => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  for (const name of ['alice', 'bob', 'carol']) bots.push(await joinBot(server, roomId, name));
  const [alice, bob, carol] = bots as [Bot, Bot, Bot];

  await t.test('everyone receives both others, SSRC-rewritten and continuous', async () => {
    await waitForAll(bots, bots);
    for (const publisher of bots) {
      const ssrcs = new Set<number>();
      for (const receiver of bots) {
        if (receiver === publisher) continue;
        const seen = checkStreams(receiver, publisher);
        ssrcs.add(seen.audio).add(seen.video);
      }
      // Each subscriber gets its own SSRC per stream: 2 subscribers × 2 kinds.
      assert.equal(ssrcs.size, 4, `${publisher.name}'s streams share SSRCs between subscribers`);
    }
    for (const b of bots) assertNoErrors(b);
  });

  await t.test('a leaver is announced and its tracks stop', async () => {
    const carolId = carol.participantId;
    carol.leave();
    await waitUntil(() => alice.participantsLeft.includes(carolId) && bob.participantsLeft.includes(carolId), {
      timeoutMs: 15_000,
      what: 'participant-left for carol at alice and bob',
    });
    await sleep(1000); // packets already in flight
    const before = [alice, bob].map((b) => KINDS.map((k) => b.packetsFrom(carolId, k)));
    const othersBefore = [alice.packetsFrom(bob.participantId, 'video'), bob.packetsFrom(alice.participantId, 'video')];
    await sleep(2000);
    const afterwards = [alice, bob].map((b) => KINDS.map((k) => b.packetsFrom(carolId, k)));
    assert.deepEqual(afterwards, before, 'packets from carol still arrive after she left');
    assert.ok(alice.packetsFrom(bob.participantId, 'video') > othersBefore[0]!, 'alice stopped receiving bob');
    assert.ok(bob.packetsFrom(alice.participantId, 'video') > othersBefore[1]!, 'bob stopped receiving alice');
    for (const b of [alice, bob]) assertNoErrors(b);
  });

  await t.test('a late joiner receives everybody, starting from a key frame (PLI on join)', async () => {
    // Periodic key frames are off (TEST_VIDEO: one per minute), so only a PLI can produce one now.
    const keyframesBefore = [alice, bob].map((b) => b.outboundStats().find((o) => o.kind === 'video')!.keyframes);
    const dave = await joinBot(server!, roomId, 'dave');
    bots.push(dave);
    await waitForAll([dave, alice, bob], [dave, alice, bob]);
    for (const publisher of [alice, bob]) checkStreams(dave, publisher);
    for (const receiver of [alice, bob]) checkStreams(receiver, dave);
    [alice, bob].forEach((b, i) => {
      const out = b.outboundStats().find((o) => o.kind === 'video')!;
      assert.ok(out.plisReceived + out.firsReceived > 0, `${b.name} got no keyframe request`);
      assert.ok(out.keyframes > keyframesBefore[i]!, `${b.name} sent no key frame after dave joined`);
    });
    for (const b of [alice, bob, dave]) assertNoErrors(b);
  });
});
