import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendSideEstimator, type SendSideEstimatorOptions } from './send-side-estimator.js';
import { TransportWideSequencer, type PacketResults } from './transport-wide-sequencer.js';
import { TwccRecorder } from './twcc-recorder.js';
import { parseRtcp } from '../rtp/rtcp-parse.js';
import { makeRandom } from '../rtp/testkit.js';

// A deterministic end-to-end simulation: sender (sequencer + estimator) → bottleneck (FIFO
// queue drained at C bps, drop-tail, optional random loss) → receiver (recorder) → feedback
// every 100 ms → back to the sender. Video-like load: 30 frames/s of estimate/30 bits each (or
// a fixed rate), split into ≤1200-byte packets paced at 2.5 × the rate. Time advances in 1 ms
// steps; nothing reads the wall clock.

interface SimConfig {
  seed: number;
  durationMs: number;
  /** Bottleneck capacity at time t, bps. */
  capacityBps: (t: number) => number;
  /** Random loss before the bottleneck, 0..1. */
  loss?: number;
  /** Offered load: follows the estimate unless a fixed rate is given. */
  fixedRateBps?: number;
  estimator?: SendSideEstimatorOptions;
}

interface Sample {
  t: number;
  estimate: number;
  acked: number;
  /** Queueing delay at the bottleneck, ms. */
  queueMs: number;
}

const ONE_WAY_MS = 20;
const QUEUE_LIMIT_MS = 400;
const FEEDBACK_INTERVAL_MS = 100;
/** The receiver's clock has its own origin; only differences may matter. */
const RECEIVER_CLOCK_OFFSET_MS = 123_456;

function simulate(config: SimConfig): Sample[] {
  const random = makeRandom(config.seed);
  const estimator = new SendSideEstimator(config.estimator);
  const sequencer = new TransportWideSequencer();
  const recorder = new TwccRecorder();
  const toSend: Array<{ at: number; size: number }> = [];
  const inFlight: Array<{ seq: number; at: number }> = [];
  const feedback: Array<{ at: number; bufs: Buffer[] }> = [];
  const samples: Sample[] = [];
  let queueFreeAt = 0;
  let nextFrame = 0;
  let nextFeedback = FEEDBACK_INTERVAL_MS;
  for (let t = 0; t < config.durationMs; t++) {
    if (t >= nextFrame) {
      nextFrame += 1000 / 30;
      const rate = config.fixedRateBps ?? estimator.estimateBps;
      const frameBytes = rate / 30 / 8;
      const packets = Math.ceil(frameBytes / 1200);
      const size = Math.round(frameBytes / packets);
      const spacing = (size * 8 * 1000) / (2.5 * rate);
      for (let k = 0; k < packets; k++) toSend.push({ at: t + k * spacing, size });
    }
    while (toSend.length > 0 && toSend[0]!.at <= t) {
      const p = toSend.shift()!;
      const seq = sequencer.next(p.size, p.at);
      if (random() / 2 ** 32 < (config.loss ?? 0)) continue;
      const start = Math.max(p.at, queueFreeAt);
      if (start - p.at > QUEUE_LIMIT_MS) continue; // drop-tail
      queueFreeAt = start + (p.size * 8 * 1000) / config.capacityBps(p.at);
      inFlight.push({ seq, at: queueFreeAt + ONE_WAY_MS });
    }
    while (inFlight.length > 0 && inFlight[0]!.at <= t) {
      const p = inFlight.shift()!;
      recorder.onPacket(p.seq, p.at + RECEIVER_CLOCK_OFFSET_MS);
    }
    if (t >= nextFeedback) {
      nextFeedback += FEEDBACK_INTERVAL_MS;
      feedback.push({ at: t + ONE_WAY_MS, bufs: recorder.buildFeedback(1, 2, t) });
    }
    while (feedback.length > 0 && feedback[0]!.at <= t) {
      for (const buf of feedback.shift()!.bufs) {
        for (const packet of parseRtcp(buf) ?? []) {
          if (packet.kind === 'transport-cc') estimator.onPacketResults(sequencer.onFeedback(packet, t), t);
        }
      }
    }
    if (t % 100 === 0) {
      samples.push({ t, estimate: estimator.estimateBps, acked: estimator.ackedBitrateBps, queueMs: Math.max(0, queueFreeAt - t) });
    }
  }
  return samples;
}

/** Set BWE_TRACE=1 to print each scenario's numbers. */
function trace(label: string, text: string): void {
  if (process.env['BWE_TRACE'] !== undefined) console.log(`${label}: ${text}`);
}

function during(samples: Sample[], fromMs: number, toMs: number): Sample[] {
  return samples.filter((s) => s.t >= fromMs && s.t < toMs);
}

function stats(samples: Sample[], key: 'estimate' | 'queueMs' | 'acked'): { min: number; max: number; mean: number } {
  const values = samples.map((s) => s[key]);
  return {
    min: Math.min(...values),
    max: Math.max(...values),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
  };
}

const kbps = (bps: number): number => Math.round(bps / 1000);

test('2 Mbps bottleneck: ramps up from 1 Mbps, settles around capacity, keeps the queue short', () => {
  const samples = simulate({ seed: 1, durationMs: 60_000, capacityBps: () => 2_000_000 });
  const ramp = stats(during(samples, 0, 5_000), 'estimate');
  const settled = stats(during(samples, 20_000, 60_000), 'estimate');
  const queue = stats(during(samples, 20_000, 60_000), 'queueMs');
  const msg = `ramp max ${kbps(ramp.max)}, settled ${kbps(settled.min)}..${kbps(settled.max)} mean ${kbps(settled.mean)} kbps, queue mean ${queue.mean.toFixed(1)} max ${queue.max.toFixed(1)} ms`;
  trace('2 Mbps', msg);
  assert.ok(ramp.max > 1_300_000, msg);
  assert.ok(settled.min > 1_300_000 && settled.max < 2_600_000, msg);
  assert.ok(settled.mean > 1_600_000 && settled.mean < 2_300_000, msg);
  assert.ok(queue.mean < 100 && queue.max < 300, msg);
});

test('backs off when queueing delay grows: each overuse episode ends with a lower estimate', () => {
  const samples = simulate({ seed: 2, durationMs: 40_000, capacityBps: () => 2_000_000 });
  // Find moments where the queue held more than 30 ms; within a second the estimate must
  // have fallen below capacity.
  let episodes = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    if (s.t < 5_000 || s.queueMs < 30 || (i > 0 && samples[i - 1]!.queueMs >= 30)) continue;
    episodes++;
    const next = during(samples, s.t, s.t + 1_000);
    assert.ok(next.some((x) => x.estimate < 2_000_000), `no back-off after queue of ${s.queueMs.toFixed(0)} ms at ${s.t} ms`);
  }
  assert.ok(episodes >= 1, 'the estimate never probed the capacity');
});

test('5 % random loss without queueing: holds instead of collapsing', () => {
  const samples = simulate({ seed: 3, durationMs: 30_000, capacityBps: () => 20_000_000, loss: 0.05 });
  const late = stats(during(samples, 10_000, 30_000), 'estimate');
  const msg = `estimate ${kbps(late.min)}..${kbps(late.max)} kbps`;
  trace('5 % loss', msg);
  assert.ok(late.min > 800_000, msg);
  assert.ok(late.max < 1_500_000, `${msg}: must not grow while losing`);
});

test('20 % random loss: the estimate decreases', () => {
  const samples = simulate({ seed: 4, durationMs: 20_000, capacityBps: () => 20_000_000, loss: 0.2 });
  const at10 = during(samples, 10_000, 10_100)[0]!.estimate;
  const end = stats(during(samples, 15_000, 20_000), 'estimate');
  trace('20 % loss', `at 10 s ${kbps(at10)} kbps, 15-20 s ${kbps(end.min)}..${kbps(end.max)} kbps`);
  assert.ok(at10 < 500_000, `at 10 s: ${kbps(at10)} kbps`);
  assert.ok(end.max < 300_000 && end.min >= 100_000, `15-20 s: ${kbps(end.min)}..${kbps(end.max)} kbps`);
});

test('capacity drop 3 Mbps → 500 kbps is followed within a few seconds', () => {
  const drop = 30_000;
  const samples = simulate({ seed: 5, durationMs: 45_000, capacityBps: (t) => (t < drop ? 3_000_000 : 500_000) });
  const before = stats(during(samples, drop - 5_000, drop), 'estimate');
  const after = stats(during(samples, drop + 3_000, drop + 15_000), 'estimate');
  const queue = stats(during(samples, drop + 5_000, drop + 15_000), 'queueMs');
  const msg = `before ${kbps(before.min)}..${kbps(before.max)}, after ${kbps(after.min)}..${kbps(after.max)} mean ${kbps(after.mean)} kbps, queue mean ${queue.mean.toFixed(0)} ms`;
  const firstBelow = samples.find((x) => x.t >= drop && x.estimate < 650_000);
  trace('3 → 0.5 Mbps', `${msg}, first below 650 kbps ${firstBelow === undefined ? 'never' : `${firstBelow.t - drop} ms`} after the drop`);
  assert.ok(before.mean > 2_000_000, msg);
  assert.ok(after.max < 750_000, msg);
  assert.ok(after.min > 200_000 && after.mean > 300_000, msg);
  assert.ok(queue.mean < 150, msg);
});

test('product decision: with a light load the estimate grows past 1.5 × the acknowledged rate', () => {
  const load = { seed: 6, durationMs: 20_000, capacityBps: () => 20_000_000, fixedRateBps: 300_000 };
  const free = during(simulate({ ...load, estimator: { startBps: 300_000 } }), 19_000, 20_000).at(-1)!;
  assert.ok(free.acked > 250_000 && free.acked < 350_000, `acked ${kbps(free.acked)}`);
  assert.ok(free.estimate > 3 * free.acked, `estimate ${kbps(free.estimate)} kbps, acked ${kbps(free.acked)}`);
  // libwebrtc's cap, for comparison: the estimate stops at 1.5 × acked + 10 kbps.
  const capped = during(simulate({ ...load, estimator: { startBps: 300_000, maxAckedRatio: 1.5 } }), 19_000, 20_000).at(-1)!;
  trace('light load', `estimate ${kbps(free.estimate)} kbps at acked ${kbps(free.acked)}; capped ${kbps(capped.estimate)} kbps`);
  assert.ok(capped.estimate <= 1.5 * 350_000 + 10_000, `capped ${kbps(capped.estimate)} kbps, acked ${kbps(capped.acked)}`);
});

test('bounds: never below min nor above max', () => {
  const high = simulate({ seed: 7, durationMs: 30_000, capacityBps: () => 50_000_000, estimator: { maxBps: 3_000_000 } });
  assert.equal(stats(high, 'estimate').max, 3_000_000);
  const low = simulate({ seed: 8, durationMs: 20_000, capacityBps: () => 20_000_000, loss: 0.5, estimator: { minBps: 150_000 } });
  assert.equal(stats(during(low, 10_000, 20_000), 'estimate').min, 150_000);
});

test('deterministic: the same seed gives the same trace', () => {
  const a = simulate({ seed: 9, durationMs: 10_000, capacityBps: () => 1_500_000, loss: 0.01 });
  const b = simulate({ seed: 9, durationMs: 10_000, capacityBps: () => 1_500_000, loss: 0.01 });
  assert.deepEqual(a, b);
});

function results(rows: Array<[send: number, arrival: number | null]>, size = 1200): PacketResults {
  const n = rows.length;
  const r: PacketResults = {
    count: n,
    sequence: new Float64Array(n),
    sendTimeMs: new Float64Array(n),
    sizeBytes: new Uint32Array(n).fill(size),
    received: new Uint8Array(n),
    arrivalTimeMs: new Float64Array(n),
    recovered: 0,
  };
  rows.forEach(([send, arrival], i) => {
    r.sequence[i] = i;
    r.sendTimeMs[i] = send;
    r.received[i] = arrival === null ? 0 : 1;
    r.arrivalTimeMs[i] = arrival ?? 0;
  });
  return r;
}

test('unit: steadily growing one-way delay is overuse; constant delay is not', () => {
  const steady = new SendSideEstimator();
  const growing = new SendSideEstimator();
  let send = 0;
  for (let fb = 0; fb < 50; fb++) {
    const rowsSteady: Array<[number, number]> = [];
    const rowsGrowing: Array<[number, number]> = [];
    for (let k = 0; k < 10; k++, send += 10) {
      rowsSteady.push([send, send + 30]);
      rowsGrowing.push([send, send + 30 + send * 0.05]); // +0.5 ms per 10 ms sent
    }
    steady.onPacketResults(results(rowsSteady), send + 50);
    growing.onPacketResults(results(rowsGrowing), send + 50);
  }
  assert.ok(steady.estimateBps > 1_000_000, `steady ${kbps(steady.estimateBps)}`);
  assert.notEqual(steady.state.signal, 'overusing');
  assert.ok(growing.estimateBps < 1_000_000, `growing ${kbps(growing.estimateBps)}`);
  assert.ok(growing.state.linkCapacityBps > 0);
});

test('unit: empty, all-lost and reordered results do not throw or produce NaN', () => {
  const e = new SendSideEstimator();
  e.onPacketResults(results([]), 0);
  e.onPacketResults(results(Array.from({ length: 30 }, (_, i): [number, null] => [i, null])), 1500);
  e.onPacketResults(results([[100, 150], [90, 160], [110, 140], [120, 200]]), 1600);
  const s = e.state;
  for (const v of [s.estimateBps, s.delayBasedBps, s.lossBasedBps, s.trend, s.threshold]) assert.ok(Number.isFinite(v));
  assert.equal(s.lossFraction, 1);
  assert.ok(e.estimateBps < 1_000_000);
});
