// Downlink bandwidth estimation from transport-wide feedback, in the spirit of Google
// Congestion Control (draft-ietf-rmcat-gcc-02) and its libwebrtc implementation:
//
//  - delay-based (§5): packets sent within 5 ms form a group (§5.2); the change in one-way
//    delay between consecutive groups is accumulated, smoothed, and a least-squares trend over
//    the last 20 groups is compared with an adaptive threshold (§5.4) to signal overuse,
//    underuse or normal; an AIMD rate controller (§5.5) turns the signal into a rate: increase
//    multiplicatively (8 %/s) far from the last known link capacity and additively near it,
//    decrease to 0.85 × the acknowledged bitrate on overuse, hold on underuse;
//  - loss-based (§6): over at least 20 packets and 1 s, loss above 10 % multiplies the rate by
//    (1 − 0.5 × loss), loss below 2 % lets it grow 8 %/s up to the delay-based rate;
//  - target = min(delay-based, loss-based), clamped to [min, max].
//
// Product decision: the SFU never probes with padding, so unlike libwebrtc the delay-based rate
// is NOT capped at 1.5 × the acknowledged bitrate (by default): while there is neither overuse
// nor loss it keeps growing, and layer upgrades act as the probes. It does not grow while the
// last loss report was above 2 %, so loss alone cannot leave it far above what was delivered.
//
// Pure and deterministic: time only comes in through the arguments. Per feedback message the
// work is linear in the packets reported, with no allocation except `state` (debugging).

import type { PacketResults } from './transport-wide-sequencer.js';

export interface SendSideEstimatorOptions {
  /** Initial estimate (default 1 Mbps). */
  startBps?: number;
  /** Lower bound (default 100 kbps). */
  minBps?: number;
  /** Upper bound (default 10 Mbps). */
  maxBps?: number;
  /**
   * Cap the delay-based estimate at this multiple of the acknowledged bitrate (+10 kbps), as
   * libwebrtc does with 1.5 when it probes. Default Infinity: no cap (see the file comment).
   */
  maxAckedRatio?: number;
  /** Round-trip time assumed until `setRttMs` is called (default 200 ms, libwebrtc's). */
  rttMs?: number;
}

export type DelaySignal = 'normal' | 'overusing' | 'underusing';
export type RateControlState = 'hold' | 'increase' | 'decrease';

/** Snapshot for logs and debugging. */
export interface SendSideEstimatorState {
  estimateBps: number;
  delayBasedBps: number;
  lossBasedBps: number;
  /** 0 until a full window of arrivals was seen. */
  ackedBitrateBps: number;
  signal: DelaySignal;
  rateControl: RateControlState;
  /** Trend scaled as compared against the threshold (ms), and the adaptive threshold. */
  trend: number;
  threshold: number;
  /** Loss fraction of the last evaluated window, 0..1. */
  lossFraction: number;
  /** Averaged acknowledged bitrate at overuse (bps), -1 when unknown. */
  linkCapacityBps: number;
  rttMs: number;
}

// §5.2 pre-filtering: send-time span of a group, and the burst rule of libwebrtc's InterArrival.
const GROUP_LENGTH_MS = 5;
const BURST_DELTA_MS = 5;
const MAX_BURST_DURATION_MS = 100;
/** Arrival-time jumps beyond this are clock anomalies: start grouping afresh. */
const ARRIVAL_JUMP_MS = 3000;
// Trendline filter (libwebrtc TrendlineEstimator defaults).
const TREND_WINDOW = 20;
const SMOOTHING = 0.9;
const THRESHOLD_GAIN = 4;
const MAX_DELTAS_FOR_GAIN = 60;
// §5.4 adaptive threshold: gains for going up and down, bounds, initial value (ms).
const K_UP = 0.0087;
const K_DOWN = 0.039;
const THRESHOLD_MIN = 6;
const THRESHOLD_MAX = 600;
const THRESHOLD_INITIAL = 12.5;
/** §5.4: overuse must last this long (ms) before it is signalled. */
const OVERUSE_TIME_MS = 10;
// §5.5 rate control.
const BETA = 0.85;
const MULTIPLICATIVE_GAIN_PER_S = 1.08;
const MIN_ADDITIVE_BPS_PER_S = 4000;
const FRAME_RATE = 30;
const PACKET_BITS = 1200 * 8;
// §6 loss-based control.
const LOSS_MIN_PACKETS = 20;
/**
 * Loss is judged over at least this long (ms) as well: 20 packets alone make 5 % random loss
 * look like 0 % or 15 % by chance and the rate random-walk. One second is the receiver-report
 * interval the original, RR-driven loss controller of GCC worked with.
 */
const LOSS_MIN_WINDOW_MS = 1000;
const LOSS_LOW = 0.02;
const LOSS_HIGH = 0.1;
/** §6: decrease at most once per this + RTT. */
const LOSS_DECREASE_INTERVAL_MS = 300;
/** Window of the acknowledged-bitrate measurement, in receiver time. */
const ACKED_WINDOW_MS = 500;
const ACKED_RING = 4096;

export class SendSideEstimator {
  private readonly minBps: number;
  private readonly maxBps: number;
  private readonly maxAckedRatio: number;
  private rtt: number;

  private delayBps: number;
  private lossBps: number;
  private target: number;

  // Arrival groups: the one being filled and the last complete one (-1 send time: none).
  private curFirstSend = -1;
  private curLastSend = 0;
  private curFirstArrival = 0;
  private curLastArrival = 0;
  private prevLastSend = -1;
  private prevLastArrival = 0;

  // Trendline filter.
  private numDeltas = 0;
  private accumulatedDelay = 0;
  private smoothedDelay = 0;
  private firstArrival = -1;
  private readonly trendX = new Float64Array(TREND_WINDOW);
  private readonly trendY = new Float64Array(TREND_WINDOW);
  private trendCount = 0;
  private trendNext = 0;
  private trend = 0;
  private prevTrend = 0;
  private modifiedTrend = 0;

  // Overuse detector (§5.4).
  private threshold = THRESHOLD_INITIAL;
  private lastThresholdUpdate = -1;
  private timeOverusing = -1;
  private overuseCounter = 0;
  private signal: DelaySignal = 'normal';

  // Rate controller (§5.5).
  private rateState: RateControlState = 'hold';
  private lastRateUpdate = -1;
  private lastDecrease = -Infinity;
  /** Link capacity estimate in kbps (libwebrtc LinkCapacityEstimator); -1 unknown. */
  private capacityKbps = -1;
  private capacityVar = 0.4;

  // Acknowledged bitrate: ring of (arrival ms, bytes) over a sliding window.
  private readonly ackTime = new Float64Array(ACKED_RING);
  private readonly ackBytes = new Float64Array(ACKED_RING);
  private ackHead = 0;
  private ackLen = 0;
  private ackSum = 0;
  private ackFirst = -1;
  private ackNewest = Number.NEGATIVE_INFINITY;
  private acked = 0;

  // Loss-based (§6).
  private lossPackets = 0;
  private lossLost = 0;
  private lastLossFraction = 0;
  private lastLossEval = -1;
  private lastLossDecrease = -Infinity;

  constructor(options: SendSideEstimatorOptions = {}) {
    this.minBps = options.minBps ?? 100_000;
    this.maxBps = Math.max(this.minBps, options.maxBps ?? 10_000_000);
    this.maxAckedRatio = options.maxAckedRatio ?? Number.POSITIVE_INFINITY;
    this.rtt = options.rttMs ?? 200;
    const start = Math.min(this.maxBps, Math.max(this.minBps, options.startBps ?? 1_000_000));
    this.delayBps = start;
    this.lossBps = start;
    this.target = start;
  }

  /** Target send bitrate, bps. */
  get estimateBps(): number {
    return this.target;
  }

  /** Bitrate the receiver acknowledged over the last 500 ms of arrivals, bps; 0 until known. */
  get ackedBitrateBps(): number {
    return this.acked;
  }

  /** Round-trip time, e.g. from RTCP receiver reports (RFC 3550 §6.4.1); paces decreases. */
  setRttMs(rttMs: number): void {
    if (rttMs > 0) this.rtt = rttMs;
  }

  get state(): SendSideEstimatorState {
    return {
      estimateBps: this.target,
      delayBasedBps: this.delayBps,
      lossBasedBps: this.lossBps,
      ackedBitrateBps: this.acked,
      signal: this.signal,
      rateControl: this.rateState,
      trend: this.modifiedTrend,
      threshold: this.threshold,
      lossFraction: this.lastLossFraction,
      linkCapacityBps: this.capacityKbps < 0 ? -1 : this.capacityKbps * 1000,
      rttMs: this.rtt,
    };
  }

  /**
   * Feeds the results of one feedback message (from `TransportWideSequencer.onFeedback`),
   * received at `nowMs` in the sender's clock. Returns the new estimate.
   */
  onPacketResults(results: PacketResults, nowMs: number): number {
    let overuseSeen = false;
    for (let i = 0; i < results.count; i++) {
      this.lossPackets++;
      if (results.received[i] === 0) {
        this.lossLost++;
        continue;
      }
      const arrival = results.arrivalTimeMs[i]!;
      this.addAcked(arrival, results.sizeBytes[i]!);
      if (this.onReceivedPacket(results.sendTimeMs[i]!, arrival)) overuseSeen = true;
    }
    // A recovered packet was counted lost (and in the total) by an earlier report.
    this.lossLost = Math.max(0, this.lossLost - results.recovered);
    this.lossPackets = Math.max(0, this.lossPackets - results.recovered);

    this.updateDelayBased(overuseSeen ? 'overusing' : this.signal, nowMs);
    this.updateLossBased(nowMs);
    this.target = Math.min(this.maxBps, Math.max(this.minBps, Math.min(this.delayBps, this.lossBps)));
    return this.target;
  }

  // --- acknowledged bitrate ---

  private addAcked(arrivalMs: number, bytes: number): void {
    if (this.ackLen === ACKED_RING) this.dropOldestAcked();
    const slot = (this.ackHead + this.ackLen) % ACKED_RING;
    this.ackTime[slot] = arrivalMs;
    this.ackBytes[slot] = bytes;
    this.ackLen++;
    this.ackSum += bytes;
    if (this.ackFirst < 0) this.ackFirst = arrivalMs;
    if (arrivalMs > this.ackNewest) this.ackNewest = arrivalMs;
    // Reordered arrivals leave the ring slightly unsorted; the window average barely notices.
    while (this.ackLen > 1 && this.ackTime[this.ackHead]! < this.ackNewest - ACKED_WINDOW_MS) this.dropOldestAcked();
    if (this.ackNewest - this.ackFirst >= ACKED_WINDOW_MS) this.acked = (this.ackSum * 8 * 1000) / ACKED_WINDOW_MS;
  }

  private dropOldestAcked(): void {
    this.ackSum -= this.ackBytes[this.ackHead]!;
    this.ackHead = (this.ackHead + 1) % ACKED_RING;
    this.ackLen--;
  }

  // --- delay-based: grouping (§5.2), trendline, overuse detector (§5.4) ---

  /** Returns true when this packet completed a group and the detector signalled overuse. */
  private onReceivedPacket(sendMs: number, arrivalMs: number): boolean {
    if (this.curFirstSend < 0) {
      this.startGroup(sendMs, arrivalMs);
      return false;
    }
    if (sendMs < this.curFirstSend) return false; // reordered behind its group: ignore (§5.2)
    if (this.belongsToGroup(sendMs, arrivalMs)) {
      if (sendMs > this.curLastSend) this.curLastSend = sendMs;
      if (arrivalMs > this.curLastArrival) this.curLastArrival = arrivalMs;
      return false;
    }
    let overuse = false;
    if (this.prevLastSend >= 0) {
      const sendDelta = this.curLastSend - this.prevLastSend;
      const arrivalDelta = this.curLastArrival - this.prevLastArrival;
      if (arrivalDelta < 0 || arrivalDelta > ARRIVAL_JUMP_MS) {
        // Receiver clock jumped or the groups were reordered: start over (libwebrtc does too).
        this.prevLastSend = -1;
        this.startGroup(sendMs, arrivalMs);
        return false;
      }
      overuse = this.updateTrendline(arrivalDelta, sendDelta, this.curLastArrival);
    }
    this.prevLastSend = this.curLastSend;
    this.prevLastArrival = this.curLastArrival;
    this.startGroup(sendMs, arrivalMs);
    return overuse;
  }

  private startGroup(sendMs: number, arrivalMs: number): void {
    this.curFirstSend = sendMs;
    this.curLastSend = sendMs;
    this.curFirstArrival = arrivalMs;
    this.curLastArrival = arrivalMs;
  }

  private belongsToGroup(sendMs: number, arrivalMs: number): boolean {
    if (sendMs - this.curFirstSend <= GROUP_LENGTH_MS) return true;
    // libwebrtc InterArrival: packets arriving in a burst (less than 5 ms apart, and sooner
    // than they were sent apart) were queued together; they belong to the same group.
    const arrivalDelta = arrivalMs - this.curLastArrival;
    const propagationDelta = arrivalDelta - (sendMs - this.curLastSend);
    return propagationDelta < 0 && arrivalDelta <= BURST_DELTA_MS && arrivalMs - this.curFirstArrival < MAX_BURST_DURATION_MS;
  }

  private updateTrendline(arrivalDelta: number, sendDelta: number, arrivalMs: number): boolean {
    this.numDeltas = Math.min(this.numDeltas + 1, 1000);
    if (this.firstArrival < 0) this.firstArrival = arrivalMs;
    this.accumulatedDelay += arrivalDelta - sendDelta;
    this.smoothedDelay = SMOOTHING * this.smoothedDelay + (1 - SMOOTHING) * this.accumulatedDelay;
    this.trendX[this.trendNext] = arrivalMs - this.firstArrival;
    this.trendY[this.trendNext] = this.smoothedDelay;
    this.trendNext = (this.trendNext + 1) % TREND_WINDOW;
    if (this.trendCount < TREND_WINDOW) this.trendCount++;
    if (this.trendCount === TREND_WINDOW) this.trend = this.slope();
    return this.detect(sendDelta, arrivalMs);
  }

  /** Least-squares slope of smoothed delay over arrival time (ms per ms); previous when degenerate. */
  private slope(): number {
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < TREND_WINDOW; i++) {
      sx += this.trendX[i]!;
      sy += this.trendY[i]!;
    }
    const mx = sx / TREND_WINDOW;
    const my = sy / TREND_WINDOW;
    let num = 0;
    let den = 0;
    for (let i = 0; i < TREND_WINDOW; i++) {
      const dx = this.trendX[i]! - mx;
      num += dx * (this.trendY[i]! - my);
      den += dx * dx;
    }
    return den === 0 ? this.trend : num / den;
  }

  private detect(sendDelta: number, nowMs: number): boolean {
    if (this.numDeltas < 2) {
      this.signal = 'normal';
      return false;
    }
    const modified = Math.min(this.numDeltas, MAX_DELTAS_FOR_GAIN) * this.trend * THRESHOLD_GAIN;
    this.modifiedTrend = modified;
    let overuse = false;
    if (modified > this.threshold) {
      this.timeOverusing = this.timeOverusing < 0 ? sendDelta / 2 : this.timeOverusing + sendDelta;
      this.overuseCounter++;
      if (this.timeOverusing > OVERUSE_TIME_MS && this.overuseCounter > 1 && this.trend >= this.prevTrend) {
        this.timeOverusing = 0;
        this.overuseCounter = 0;
        this.signal = 'overusing';
        overuse = true;
      }
    } else if (modified < -this.threshold) {
      this.timeOverusing = -1;
      this.overuseCounter = 0;
      this.signal = 'underusing';
    } else {
      this.timeOverusing = -1;
      this.overuseCounter = 0;
      this.signal = 'normal';
    }
    this.prevTrend = this.trend;
    this.updateThreshold(modified, nowMs);
    return overuse;
  }

  /** §5.4: the threshold follows |trend|, fast downwards and slowly upwards; spikes are ignored. */
  private updateThreshold(modified: number, nowMs: number): void {
    if (this.lastThresholdUpdate < 0) this.lastThresholdUpdate = nowMs;
    const abs = Math.abs(modified);
    if (abs > this.threshold + 15) {
      this.lastThresholdUpdate = nowMs;
      return;
    }
    const k = abs < this.threshold ? K_DOWN : K_UP;
    const dt = Math.min(Math.max(nowMs - this.lastThresholdUpdate, 0), 100);
    this.threshold += k * (abs - this.threshold) * dt;
    this.threshold = Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, this.threshold));
    this.lastThresholdUpdate = nowMs;
  }

  // --- delay-based: AIMD rate controller (§5.5) ---

  private updateDelayBased(signal: DelaySignal, nowMs: number): void {
    const dt = this.lastRateUpdate < 0 ? 0 : Math.min(Math.max(nowMs - this.lastRateUpdate, 0), 1000);
    this.lastRateUpdate = nowMs;
    // §5.5 state machine.
    if (signal === 'overusing') {
      this.rateState = 'decrease';
    } else if (signal === 'underusing') {
      this.rateState = 'hold';
    } else if (this.rateState === 'hold') {
      this.rateState = 'increase';
    }

    if (this.rateState === 'increase') {
      if (this.lastLossFraction > LOSS_LOW) return; // no growth while losing (file comment)
      if (this.capacityKbps >= 0 && this.delayBps / 1000 > this.capacityUpperKbps()) this.capacityKbps = -1;
      let increased: number;
      if (this.capacityKbps >= 0) {
        increased = this.delayBps + (this.additiveIncreaseBpsPerS() * dt) / 1000;
      } else {
        // 8 %/s, plus 1 kbps/s (1 bps per ms) so that tiny rates still move (libwebrtc).
        increased = this.delayBps * MULTIPLICATIVE_GAIN_PER_S ** (dt / 1000) + dt;
      }
      if (Number.isFinite(this.maxAckedRatio) && this.acked > 0) {
        const cap = this.maxAckedRatio * this.acked + 10_000;
        if (increased > cap) increased = Math.max(cap, this.delayBps);
      }
      this.delayBps = Math.min(this.maxBps, increased);
    } else if (this.rateState === 'decrease') {
      // libwebrtc TimeToReduceFurther: at most once per RTT, unless far above what arrives.
      const interval = Math.min(200, Math.max(10, this.rtt));
      const farAbove = this.acked > 0 && this.acked < 0.5 * this.delayBps;
      if (nowMs - this.lastDecrease >= interval || farAbove) {
        const base = this.acked > 0 ? this.acked : this.delayBps;
        let decreased = BETA * base;
        if (decreased > this.delayBps && this.capacityKbps >= 0) decreased = BETA * this.capacityKbps * 1000;
        if (decreased < this.delayBps) this.delayBps = Math.max(this.minBps, decreased);
        if (this.acked > 0) {
          if (this.capacityKbps >= 0 && this.acked / 1000 < this.capacityLowerKbps()) this.capacityKbps = -1;
          this.updateCapacity(this.acked / 1000);
        }
        this.lastDecrease = nowMs;
      }
      this.rateState = 'hold';
    }
  }

  /** libwebrtc LinkCapacityEstimator: exponential average of the acked rate at overuse, kbps. */
  private updateCapacity(sampleKbps: number): void {
    const alpha = 0.05;
    this.capacityKbps = this.capacityKbps < 0 ? sampleKbps : (1 - alpha) * this.capacityKbps + alpha * sampleKbps;
    const norm = Math.max(this.capacityKbps, 1);
    const error = this.capacityKbps - sampleKbps;
    this.capacityVar = (1 - alpha) * this.capacityVar + (alpha * error * error) / norm;
    this.capacityVar = Math.min(2.5, Math.max(0.4, this.capacityVar));
  }

  private capacityDeviationKbps(): number {
    return Math.sqrt(this.capacityVar * this.capacityKbps);
  }

  private capacityUpperKbps(): number {
    return this.capacityKbps + 3 * this.capacityDeviationKbps();
  }

  private capacityLowerKbps(): number {
    return this.capacityKbps - 3 * this.capacityDeviationKbps();
  }

  /** §5.5 additive increase near convergence: about one packet per response time (RTT + 100 ms). */
  private additiveIncreaseBpsPerS(): number {
    const bitsPerFrame = this.delayBps / FRAME_RATE;
    const packetsPerFrame = Math.ceil(bitsPerFrame / PACKET_BITS);
    const bitsPerPacket = bitsPerFrame / packetsPerFrame;
    const responseTimeS = (this.rtt + 100) / 1000;
    return Math.max(MIN_ADDITIVE_BPS_PER_S, bitsPerPacket / responseTimeS);
  }

  // --- loss-based (§6) ---

  private updateLossBased(nowMs: number): void {
    if (this.lossPackets < LOSS_MIN_PACKETS) return;
    if (this.lastLossEval < 0) this.lastLossEval = nowMs - LOSS_MIN_WINDOW_MS; // first window: packets only
    if (nowMs - this.lastLossEval < LOSS_MIN_WINDOW_MS) return;
    const loss = this.lossLost / this.lossPackets;
    this.lossPackets = 0;
    this.lossLost = 0;
    this.lastLossFraction = loss;
    const dt = Math.min(nowMs - this.lastLossEval, 2000);
    this.lastLossEval = nowMs;
    if (loss < LOSS_LOW) {
      this.lossBps = this.lossBps * MULTIPLICATIVE_GAIN_PER_S ** (dt / 1000) + 1000 * (dt / 1000);
    } else if (loss > LOSS_HIGH) {
      if (nowMs - this.lastLossDecrease >= LOSS_DECREASE_INTERVAL_MS + this.rtt) {
        this.lossBps = Math.min(this.lossBps, this.delayBps) * (1 - 0.5 * loss);
        this.lastLossDecrease = nowMs;
      }
    }
    // The loss-based rate never exceeds the delay-based one (libwebrtc CapBitrateToThresholds),
    // so it cannot run ahead while delay limits, and recovers from below after loss.
    this.lossBps = Math.min(this.maxBps, Math.max(this.minBps, Math.min(this.lossBps, this.delayBps)));
  }
}
