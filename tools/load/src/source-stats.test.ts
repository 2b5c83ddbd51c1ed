import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtp } from '@treff/sfu';
import { SequenceTracker } from './inbound.js';
import type { ProbeInfo } from './probe.js';
import { SourceReceiver } from './source-stats.js';
import { Vp8Generator } from './synthetic.js';

/** Feeds generator packets to a receiver as a slot stream would: `drop` decides which are lost. */
function feed(r: SourceReceiver, g: Vp8Generator, count: number, t0: number, opts: { drop?: (i: number) => boolean; layer?: number; mid?: string } = {}): void {
  const seq = new SequenceTracker();
  const h = rtp.createRtpHeader();
  const frameMs = (1000 * g.packetsPerFrame) / g.packetsPerSecond;
  for (let i = 0; i < count; i++) {
    const now = t0 + Math.floor(i / g.packetsPerFrame) * frameMs;
    const buf = g.next(now);
    if (opts.drop?.(i)) continue;
    assert.ok(rtp.parseRtpHeaderInto(buf, h));
    const before = seq.missing;
    const verdict = seq.push(h.sequenceNumber);
    const probe: ProbeInfo = { sendTimeMs: now - 2, origin: 1, layer: opts.layer ?? 0 };
    r.onPacket({ mid: opts.mid ?? '1', ssrc: h.ssrc, buf, header: h, now, verdict, lostDelta: seq.missing - before, probe, announced: true });
  }
}

const options = { packetsPerSecond: 90, framesPerSecond: 30, payloadBytes: 500, keyframeIntervalMs: 1e9, width: 320, height: 180 };

test('source stats: first frame is the first complete key frame; frames, size, latency, steady jitter 0', () => {
  const r = new SourceReceiver('a', 'video', 1000);
  feed(r, new Vp8Generator(1, 96, options), 30, 1100);
  const s = r.snapshot(1500);
  assert.equal(s.packets, 30);
  assert.equal(s.frames, 10);
  assert.equal(s.keyframes, 1);
  assert.equal(s.timeToFirstFrameMs, 100);
  assert.equal(s.width, 320);
  assert.equal(s.height, 180);
  assert.equal(s.lost, 0);
  assert.equal(s.latency.p50Ms, 2);
  assert.ok(s.jitterMs < 0.01, `jitter ${s.jitterMs}`);
});

test('source stats: a key frame with a lost packet is no first frame; loss counted', () => {
  const r = new SourceReceiver('a', 'video', 1000);
  const g = new Vp8Generator(1, 96, options);
  feed(r, g, 30, 1000, { drop: (i) => i === 1 });
  let s = r.snapshot(1400);
  assert.equal(s.firstFrameAt, -1);
  assert.equal(s.timeToFirstFrameMs, -1);
  assert.equal(s.lost, 1);
  assert.ok(s.lossPercent > 3 && s.lossPercent < 4);
  assert.equal(s.frames, 9, 'the broken key frame is not complete, the others are');
  g.requestKeyframe();
  feed(r, g, 3, 2000);
  s = r.snapshot(2100);
  assert.equal(s.timeToFirstFrameMs, 1000);
});

test('source stats: layer switches from the probe; bitrate over the last second', () => {
  const r = new SourceReceiver('a', 'video', 0);
  feed(r, new Vp8Generator(1, 96, options), 90, 0, { layer: 0 });
  assert.equal(r.snapshot(1000).layer, 0);
  feed(r, new Vp8Generator(2, 96, options), 90, 1000, { layer: 2, mid: '1' });
  feed(r, new Vp8Generator(3, 96, options), 9, 2000, { layer: 1, mid: '1' });
  const s = r.snapshot(2100);
  assert.equal(s.layer, 1);
  assert.equal(s.layerSwitches, 2);
  // 90 packets of 512 bytes (12 header + 500 payload) per second.
  assert.ok(Math.abs(s.bitrateBps - 90 * 512 * 8) / (90 * 512 * 8) < 0.05, `bitrate ${s.bitrateBps}`);
  assert.equal(r.snapshot(5000).bitrateBps, 0, 'nothing for 2 s: no bitrate');
});

test('source stats: restartLatency forgets earlier samples, so a window sees only its own', () => {
  const r = new SourceReceiver('a', 'video', 1000);
  const g = new Vp8Generator(1, 96, options);
  feed(r, g, 30, 1100);
  assert.equal(r.snapshot(1500).latency.count, 30);
  r.restartLatency();
  assert.equal(r.snapshot(1500).latency.count, 0);
  assert.equal(r.latencySamples.length, 0);
  feed(r, g, 3, 1600);
  assert.equal(r.snapshot(1700).latency.count, 3);
  assert.equal(r.snapshot(1700).packets, 33, 'only latency is restarted');
});
