// Simulcast layer selection through the real server: a publisher sends three VP8 layers (320×180,
// 640×360, 1280×720, each with its own SSRC and the rid extension); a subscriber's `subscribe` tile
// size picks the layer (the lowest whose keyframe height is at least 0.75 × the tile's). Switching
// happens only at a keyframe of the new layer, which the server asks the publisher for (the bots send
// periodic keyframes once a minute, so only a PLI can bring one within the test), and the subscriber
// sees one stream throughout: one SSRC, sequence numbers without a gap, VP8 picture ids advancing by
// one per frame (RFC 7741 §4.2). A publisher without simulcast is received all the same.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { nowMs, originTag, readProbeInto, waitUntil, type Bot, type ProbeInfo, type ReceivedPacket, type SourceStats } from '@treff/load';
import { rtp } from '@treff/sfu';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

const LAYER_HEIGHTS = [180, 360, 720];
/** Generous deadline of one layer switch (a PLI, a keyframe, the next allocation round); measured ~0.1–1 s. */
const SWITCH_DEADLINE_MS = 8000;

/** One video packet of the publisher under test, as the subscriber received it. */
interface Seen {
  at: number;
  mid: string;
  ssrc: number;
  seq: number;
  timestamp: number;
  pictureId: number;
  layer: number;
  keyframe: boolean;
}

function videoOf(bot: Bot, publisher: Bot): SourceStats {
  const stats = bot.sourceStatsOf(publisher.participantId, 'video');
  assert.ok(stats, `${bot.name}: nothing from ${publisher.name}`);
  return stats;
}

/** Waits until `subscriber` receives `publisher` on `layer` with that layer's keyframe size; returns how long it took. */
async function waitForLayer(subscriber: Bot, publisher: Bot, layer: number, since: number): Promise<number> {
  await waitUntil(
    () => {
      const s = subscriber.sourceStatsOf(publisher.participantId, 'video');
      return s !== null && s.layer === layer && s.height === LAYER_HEIGHTS[layer] && s.lastPacketAt > since;
    },
    {
      timeoutMs: SWITCH_DEADLINE_MS,
      intervalMs: 20,
      what: `${subscriber.name} receiving ${publisher.name} on layer ${layer}`,
      describe: () => JSON.stringify(subscriber.sourceStatsOf(publisher.participantId, 'video')),
    },
  );
  return nowMs() - since;
}

/** Checks that `packets` form one continuous stream; returns the layers in the order they appeared. */
function assertContinuous(packets: readonly Seen[], what: string): number[] {
  assert.ok(packets.length > 100, `${what}: only ${packets.length} packets recorded`);
  const mids = new Set(packets.map((p) => p.mid));
  const ssrcs = new Set(packets.map((p) => p.ssrc));
  assert.equal(mids.size, 1, `${what}: the video moved between slots ${[...mids].join(',')}`);
  assert.equal(ssrcs.size, 1, `${what}: the slot changed SSRC: ${[...ssrcs].join(',')}`);
  const layers: number[] = [];
  for (const [i, p] of packets.entries()) {
    if (layers.at(-1) !== p.layer) {
      // A layer starts where the decoder can start: with a keyframe.
      if (layers.length > 0) assert.ok(p.keyframe, `${what}: layer ${layers.at(-1)} → ${p.layer} at packet ${i} (seq ${p.seq}) is not a keyframe`);
      layers.push(p.layer);
    }
    if (i === 0) continue;
    const prev = packets[i - 1]!;
    assert.equal(rtp.seqDiff(p.seq, prev.seq), 1, `${what}: sequence ${prev.seq} → ${p.seq} at packet ${i} (layer ${prev.layer} → ${p.layer})`);
    assert.ok(rtp.tsDiff(p.timestamp, prev.timestamp) >= 0, `${what}: timestamp went back at packet ${i}`);
    // All packets of a frame share its timestamp and picture id; the next frame has the next id (15 bits).
    const expected = p.timestamp === prev.timestamp ? prev.pictureId : (prev.pictureId + 1) & 0x7fff;
    assert.equal(p.pictureId, expected, `${what}: picture id ${prev.pictureId} → ${p.pictureId} at packet ${i} (layer ${prev.layer} → ${p.layer})`);
  }
  return layers;
}

test('a subscriber’s tile size picks the simulcast layer; switches keep one continuous stream', async (t) => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const publisher = await joinBot(server, roomId, 'camera', { publish: { audio: false, video: true } });
  bots.push(publisher);
  const subscriber = await joinBot(server, roomId, 'viewer', { publish: { audio: false, video: false } });
  bots.push(subscriber);
  publisher.subscribe([]);

  const recorded: Seen[] = [];
  const probe: ProbeInfo = { sendTimeMs: -1, origin: 0, layer: -1 };
  let recording = false;
  subscriber.onRtp((p: ReceivedPacket) => {
    if (!recording || p.stream.kind !== 'video') return;
    if (!readProbeInto(p.packet, p.payloadOffset, p.payloadLength, probe) || probe.origin !== originTag(publisher.participantId)) return;
    recorded.push({
      at: nowMs(),
      mid: p.mid,
      ssrc: p.ssrc,
      seq: p.sequenceNumber,
      timestamp: p.timestamp,
      pictureId: rtp.readVp8PictureId(p.packet, p.payloadOffset, p.payloadLength),
      layer: probe.layer,
      keyframe: rtp.isVp8Keyframe(p.packet, p.payloadOffset, p.payloadLength),
    });
  });

  await t.test('before any subscribe: the small default tile gets layer 0', async () => {
    await subscriber.waitForPackets(publisher.participantId, 'video', 30, 45_000);
    const s = videoOf(subscriber, publisher);
    assert.equal(s.layer, 0, `default tile (180 high) got layer ${s.layer}`);
    assert.equal(s.height, 180);
  });

  await t.test('1280×720 → layer 2, 160×90 → layer 0, and back, as one continuous stream', async () => {
    const tile = (width: number, height: number) => subscriber.subscribe([{ participantId: publisher.participantId, width, height }]);
    recording = true;
    const plisBefore = publisher.outboundStats().reduce((n, o) => n + o.plisReceived + o.firsReceived, 0);

    let since = nowMs();
    tile(1280, 720);
    const up = await waitForLayer(subscriber, publisher, 2, since);
    await waitUntil(() => recorded.filter((p) => p.layer === 2).length >= 200, { timeoutMs: 10_000, what: '200 packets of layer 2' });
    const top = videoOf(subscriber, publisher);
    assert.equal(top.width, 1280);

    since = nowMs();
    tile(160, 90);
    const down = await waitForLayer(subscriber, publisher, 0, since);
    await waitUntil(() => recorded.at(-1)!.at - since > 1500, { timeoutMs: 10_000, what: '1.5 s on layer 0' });
    const low = videoOf(subscriber, publisher);
    assert.equal(low.width, 320);
    assert.equal(low.layer, 0, 'the small tile did not stay on layer 0');

    since = nowMs();
    tile(640, 360);
    const middle = await waitForLayer(subscriber, publisher, 1, since);

    since = nowMs();
    tile(1280, 720);
    const upAgain = await waitForLayer(subscriber, publisher, 2, since);
    await waitUntil(() => recorded.at(-1)!.at - since > 1000, { timeoutMs: 10_000, what: '1 s on layer 2 again' });
    recording = false;

    const layers = assertContinuous(recorded, 'viewer ← camera');
    const s = videoOf(subscriber, publisher);
    const plis = publisher.outboundStats().reduce((n, o) => n + o.plisReceived + o.firsReceived, 0) - plisBefore;
    console.log(
      `# layer switches (subscribe → first packet of the new layer): 0→2 ${up.toFixed(0)} ms, 2→0 ${down.toFixed(0)} ms, ` +
        `0→1 ${middle.toFixed(0)} ms, 1→2 ${upAgain.toFixed(0)} ms; layers seen ${layers.join('→')}; ${recorded.length} packets, ` +
        `source layer switches ${s.layerSwitches}, lost ${s.lost}; keyframe requests at the publisher +${plis}`,
    );
    assert.deepEqual(layers, [0, 2, 0, 1, 2], 'the layers did not follow the tiles exactly');
    assert.ok(plis >= 4, `the publisher got only ${plis} keyframe requests for 4 switches`);
    assert.equal(s.lost, 0, 'video went missing');
    assert.deepEqual(subscriber.errors, []);
    assert.deepEqual(subscriber.localErrors, []);
  });

  await t.test('a publisher without simulcast (videoLayers 1) is received at any tile size', async () => {
    const plain = await joinBot(server!, roomId, 'plain', { publish: { audio: false, video: true }, videoLayers: 1 });
    bots.push(plain);
    plain.subscribe([]);
    assert.deepEqual(plain.publishedVideoStreams, [], 'videoLayers 1 published simulcast');
    subscriber.subscribe([
      { participantId: publisher.participantId, width: 1280, height: 720 },
      { participantId: plain.participantId, width: 160, height: 90 },
    ]);
    await subscriber.waitForPackets(plain.participantId, 'video', 100, 30_000);
    const s = videoOf(subscriber, plain);
    assert.equal(s.layer, -1, 'a stream without simulcast carries no layer');
    assert.equal(s.height, 360, 'the single stream’s keyframe size');
    assert.ok(s.keyframes >= 1);
    assert.equal(s.lost, 0);
    const [stream] = subscriber.streamsFrom(plain.participantId, 'video');
    assert.ok(stream?.firstPacketKeyframe, 'the single stream did not start with a keyframe');
    // The simulcast camera is unaffected.
    assert.equal(videoOf(subscriber, publisher).layer, 2);
    for (const b of bots) {
      assert.deepEqual(b.errors, [], `${b.name}: server errors`);
      assert.deepEqual(b.localErrors, [], `${b.name}: bot errors`);
    }
  });
});
