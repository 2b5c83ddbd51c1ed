// Receive side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-
// extensions-01 §3.1): records the arrival time of every packet by its transport-wide sequence
// number and periodically reports them back, so that the sender's congestion controller works.
// The SFU runs one per publisher transport (browsers then adapt their upload); the load-test
// bots run one toward the SFU.
//
// Arrivals live in a ring indexed by an "extended" sequence number (the 16-bit number with its
// wraps counted), so the per-packet path allocates nothing. Each `buildFeedback` reports the
// range from the first packet not yet reported to the highest received, split into several
// messages when one would grow past a size budget or a receive delta would not fit its 16 bits.
//
// Irregular input: duplicates are ignored; a late packet (reordered) moves the report start back
// so that it is reported received, as libwebrtc does (the sender discards what it already
// knows); a packet older than the ring is ignored; a forward jump larger than `maxGap` starts
// fresh instead of reporting thousands of losses (a sender restarting its numbering, or a long
// outage: those packets are stale for congestion control anyway).

import { buildTransportFeedback } from '../rtp/twcc.js';
import { seqDiff } from '../rtp/sequence.js';

export interface TwccRecorderOptions {
  /** Arrivals remembered, rounded up to a power of two (default 4096). */
  historySize?: number;
  /** Largest forward jump in sequence numbers still reported as losses (default 1000). */
  maxGap?: number;
  /** Size budget of one feedback message in bytes (default 1200, below a typical MTU). */
  maxFeedbackBytes?: number;
}

/** 250 µs ticks per ms (§3.1.5 receive delta unit). */
const TICKS_PER_MS = 4;
/** Fixed part of a feedback message (§3.1): RTCP header, SSRCs, base, count, reference, fb count. */
const FEEDBACK_FIXED_BYTES = 20;

export class TwccRecorder {
  private readonly mask: number;
  private readonly maxGap: number;
  private readonly maxFeedbackBytes: number;
  /** Arrival time in ms per slot; NaN when not (yet) received. */
  private readonly arrivals: Float64Array;
  /** Arrivals in µs, quantized, for the builder (reused). */
  private readonly scratch: Float64Array;
  private started = false;
  /** Extended sequence number of the highest packet received. */
  private highest = 0;
  /** Extended sequence number of the first packet the next feedback reports. */
  private nextToReport = 0;
  /** Something arrived since the last feedback. */
  private pending = false;
  private feedbackCount = 0;
  /** Packets recorded (duplicates and stale ones excluded). */
  packetsRecorded = 0;
  /** `nowMs` of the last `buildFeedback` call; -1 before any. */
  lastFeedbackMs = -1;
  /** Times a gap larger than `maxGap` made the recorder start afresh. */
  restarts = 0;

  constructor(options: TwccRecorderOptions = {}) {
    let size = 1;
    while (size < (options.historySize ?? 4096)) size *= 2;
    this.mask = size - 1;
    this.maxGap = Math.min(options.maxGap ?? 1000, size - 1);
    this.maxFeedbackBytes = Math.max(FEEDBACK_FIXED_BYTES + 4, options.maxFeedbackBytes ?? 1200);
    this.arrivals = new Float64Array(size).fill(Number.NaN);
    this.scratch = new Float64Array(size);
  }

  /**
   * Records the arrival of the packet carrying transport-wide sequence number `transportSeq`
   * at `arrivalMs` (a monotonic clock with a non-negative origin, e.g. performance.now()).
   * No allocation.
   */
  onPacket(transportSeq: number, arrivalMs: number): void {
    const seq = transportSeq & 0xffff;
    const at = arrivalMs > 0 ? arrivalMs : 0;
    if (!this.started) {
      this.restart(seq, at);
      return;
    }
    const diff = seqDiff(seq, this.highest & 0xffff);
    const ext = this.highest + diff;
    if (diff > 0) {
      if (diff > this.maxGap) {
        this.restarts++;
        this.restart(seq, at);
        return;
      }
      // Slots skipped over are losses until proven otherwise; they may hold entries one ring
      // turn old, so clear them.
      for (let s = this.highest + 1; s < ext; s++) this.arrivals[s & this.mask] = Number.NaN;
      this.arrivals[ext & this.mask] = at;
      this.highest = ext;
      // Unreported entries about to be overwritten by the next turn of the ring are given up.
      const oldestKept = ext - this.mask;
      if (this.nextToReport < oldestKept) this.nextToReport = oldestKept;
    } else {
      if (ext <= this.highest - this.mask - 1) return; // older than the ring
      const slot = ext & this.mask;
      if (!Number.isNaN(this.arrivals[slot]!)) return; // duplicate
      this.arrivals[slot] = at;
      if (ext < this.nextToReport) this.nextToReport = ext; // report it received
    }
    this.packetsRecorded++;
    this.pending = true;
  }

  private restart(seq: number, at: number): void {
    this.arrivals.fill(Number.NaN);
    this.started = true;
    // Extended numbers start one wrap up so that late packets before the first stay positive.
    this.highest = seq + 0x10000;
    this.nextToReport = this.highest;
    this.arrivals[this.highest & this.mask] = at;
    this.packetsRecorded++;
    this.pending = true;
  }

  /**
   * Feedback messages (RTPFB FMT=15, one RTCP packet per Buffer) for every packet since the
   * last call; empty when nothing arrived. `nowMs` is not part of the report (the arrival
   * times are); it is remembered as `lastFeedbackMs`.
   */
  buildFeedback(senderSsrc: number, mediaSsrc: number, nowMs: number): Buffer[] {
    this.lastFeedbackMs = nowMs;
    const out: Buffer[] = [];
    if (!this.pending) return out;
    const end = this.highest;
    let start = this.nextToReport;
    while (start <= end) {
      // The reference time comes from the first received packet, so its delta is 0..255 ticks.
      let first = start;
      while (Number.isNaN(this.arrivals[first & this.mask]!)) first++; // `end` was received
      const reference = Math.floor(this.arrivals[first & this.mask]! / 64);
      let prevTicks = reference * 256;
      let deltaBytes = 0;
      let n = 0;
      for (let seq = start; seq <= end; seq++) {
        const a = this.arrivals[seq & this.mask]!;
        let ticks = -1;
        let bytes = 0;
        if (!Number.isNaN(a)) {
          ticks = Math.round(a * TICKS_PER_MS);
          const delta = ticks - prevTicks;
          if (delta < -0x8000 || delta > 0x7fff) break; // next message, new reference time
          bytes = delta >= 0 && delta <= 0xff ? 1 : 2;
        }
        // Chunks: at worst one per 7 statuses (2-bit vectors).
        const size = FEEDBACK_FIXED_BYTES + 2 * Math.ceil((n + 1) / 7) + deltaBytes + bytes;
        if (size > this.maxFeedbackBytes) break;
        deltaBytes += bytes;
        // Integral µs values, so the builder's quantization reproduces `ticks` exactly.
        this.scratch[n++] = ticks < 0 ? -1 : ticks * 250;
        if (ticks >= 0) prevTicks = ticks;
      }
      const buf = buildTransportFeedback(senderSsrc, mediaSsrc, this.feedbackCount, start & 0xffff, reference, this.scratch, n);
      this.feedbackCount = (this.feedbackCount + 1) & 0xff;
      if (buf !== null) out.push(buf); // never null: every delta was checked above
      start += n;
    }
    this.nextToReport = end + 1;
    this.pending = false;
    return out;
  }
}
