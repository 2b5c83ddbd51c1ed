// Reception statistics for one incoming RTP stream, as RFC 3550 Appendix A describes them:
// sequence validity and wrap counting (A.1), loss for receiver reports (A.3) and interarrival
// jitter (A.8). Also remembers which of the recent sequence numbers arrived, so a NACK
// generator (RFC 4585 §6.2.1) can ask for the missing ones.
//
// Simplification of A.1: no probation. A.1 holds back a new source until MIN_SEQUENTIAL
// packets arrived in order, to guard against stray packets on an unauthenticated port. Here
// every packet was authenticated by SRTP and routed by SSRC before reaching us, so the first
// packet is accepted at once.

import { type ReportBlock } from './rtcp-types.js';
import { compactNtp } from './ntp.js';
import { seqDiff, tsDiff } from './sequence.js';

const RTP_SEQ_MOD = 0x10000;
/** A.1: largest forward jump still treated as the same sequence (packets lost in between). */
const MAX_DROPOUT = 3000;
/** A.1: largest backward step treated as reordering rather than a restart. */
const MAX_MISORDER = 100;
/** How many recent sequence numbers `missingSequenceNumbers` can look back over. */
export const RECEIVE_HISTORY_SIZE = 1024;

export class RtpReceiveStats {
  readonly ssrc: number;
  readonly clockRate: number;
  /** Every packet passed to onPacket, including duplicates and ones judged invalid. */
  packets = 0;
  /** Bytes of those packets, as passed to onPacket. */
  bytes = 0;

  private started = false;
  // RFC 3550 A.1 state; `cycles` is a multiple of 2^16, so cycles + maxSeq is the extended seq.
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private received = 0;
  private receivedPrior = 0;
  private expectedPrior = 0;
  // RFC 3550 A.8 state: jitter in timestamp units, and the previous in-order packet.
  private jitterValue = 0;
  private prevArrivalMs = 0;
  private prevTimestamp = 0;
  // Last sender report: its compact NTP time (LSR) and when it arrived.
  private lastSrCompact = 0;
  private lastSrArrivalMs = -1;
  /** Extended sequence number held by each slot; -1 when empty. */
  private readonly history = new Float64Array(RECEIVE_HISTORY_SIZE).fill(-1);

  constructor(ssrc: number, clockRate: number) {
    this.ssrc = ssrc >>> 0;
    this.clockRate = clockRate;
  }

  /** Cumulative packets lost (A.3: expected - received; negative when duplicates arrived). */
  get lost(): number {
    return this.started ? this.cycles + this.maxSeq - this.baseSeq + 1 - this.received : 0;
  }

  /** Extended highest sequence number received (cycles × 2^16 + highest seq), -1 before any. */
  get extendedHighestSeq(): number {
    return this.started ? this.cycles + this.maxSeq : -1;
  }

  /** Interarrival jitter in timestamp units (A.8), unrounded. */
  get jitter(): number {
    return this.jitterValue;
  }

  /** A.1 init_seq: (re)start counting at `seq`. */
  private initSeq(seq: number, timestamp: number, arrivalMs: number): void {
    this.started = true;
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
    this.prevArrivalMs = arrivalMs;
    this.prevTimestamp = timestamp;
    this.history.fill(-1);
  }

  /**
   * Records one packet. `arrivalMs` is a monotonic wall clock in milliseconds, `size` the
   * packet's length in bytes.
   */
  onPacket(seq: number, rtpTimestamp: number, arrivalMs: number, size: number): void {
    this.packets++;
    this.bytes += size;
    const s = seq & 0xffff;
    if (!this.started) {
      this.initSeq(s, rtpTimestamp, arrivalMs);
      this.record(s);
      this.received++;
      return;
    }
    const udelta = (s - this.maxSeq) & 0xffff;
    if (udelta < MAX_DROPOUT) {
      // In order, with a permissible gap (A.1).
      if (udelta === 0) {
        this.received++; // duplicate of the highest; A.1 counts duplicates too
        return;
      }
      if (s < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped
      this.maxSeq = s;
      this.updateJitter(rtpTimestamp, arrivalMs);
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A.1: a very large jump. Accept it only if the next packet follows it, which means the
      // sender restarted its sequence; otherwise drop it as stray.
      if (s !== this.badSeq) {
        this.badSeq = (s + 1) & 0xffff;
        return;
      }
      this.initSeq(s, rtpTimestamp, arrivalMs);
    }
    // else: a duplicate or reordered packet, counted as received (A.1).
    this.record(s);
    this.received++;
  }

  /** A.8: J += (|D(i-1, i)| - J) / 16, over consecutive in-order packets. */
  private updateJitter(timestamp: number, arrivalMs: number): void {
    const arrivalDelta = ((arrivalMs - this.prevArrivalMs) * this.clockRate) / 1000;
    const d = Math.abs(arrivalDelta - tsDiff(timestamp, this.prevTimestamp));
    this.jitterValue += (d - this.jitterValue) / 16;
    this.prevArrivalMs = arrivalMs;
    this.prevTimestamp = timestamp;
  }

  private record(seq: number): void {
    const ext = this.cycles + this.maxSeq + seqDiff(seq, this.maxSeq);
    if (ext < this.baseSeq) return; // reordered from before the first packet
    this.history[ext & (RECEIVE_HISTORY_SIZE - 1)] = ext;
  }

  /** Notes a sender report from this source, for LSR/DLSR in the next report block. */
  onSenderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.lastSrCompact = compactNtp(ntpSeconds, ntpFraction);
    this.lastSrArrivalMs = arrivalMs;
  }

  /**
   * The RFC 3550 §6.4.1 report block for this source. Computes the fraction lost since the
   * previous call (A.3), so call it once per report actually sent.
   */
  reportBlock(nowMs: number): ReportBlock {
    let fractionLost = 0;
    let cumulativeLost = 0;
    let highestSeq = 0;
    if (this.started) {
      const extMax = this.cycles + this.maxSeq;
      const expected = extMax - this.baseSeq + 1;
      cumulativeLost = expected - this.received;
      const expectedInterval = expected - this.expectedPrior;
      const receivedInterval = this.received - this.receivedPrior;
      this.expectedPrior = expected;
      this.receivedPrior = this.received;
      const lostInterval = expectedInterval - receivedInterval;
      if (expectedInterval > 0 && lostInterval > 0) {
        fractionLost = Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
      }
      highestSeq = extMax >>> 0;
    }
    let delaySinceLastSr = 0;
    if (this.lastSrArrivalMs >= 0) {
      // §6.4.1: DLSR in units of 1/65536 s.
      delaySinceLastSr = Math.max(0, Math.floor((nowMs - this.lastSrArrivalMs) * 65.536)) >>> 0;
    }
    return {
      ssrc: this.ssrc,
      fractionLost,
      cumulativeLost,
      highestSeq,
      jitter: Math.floor(this.jitterValue) >>> 0,
      lastSr: this.lastSrArrivalMs >= 0 ? this.lastSrCompact : 0,
      delaySinceLastSr,
    };
  }

  /**
   * Sequence numbers (16-bit, oldest first) among the last `maxAge` numbers up to the highest
   * received that have not arrived. `maxAge` is capped at RECEIVE_HISTORY_SIZE; numbers from
   * before the first packet are never reported.
   */
  missingSequenceNumbers(maxAge: number): number[] {
    const missing: number[] = [];
    if (!this.started) return missing;
    const extMax = this.cycles + this.maxSeq;
    const span = Math.min(Math.floor(maxAge), RECEIVE_HISTORY_SIZE, extMax - this.baseSeq + 1);
    const mask = RECEIVE_HISTORY_SIZE - 1;
    for (let ext = extMax - span + 1; ext <= extMax; ext++) {
      if (this.history[ext & mask] !== ext) missing.push(ext & 0xffff);
    }
    return missing;
  }

  /** True when `seq` arrived and is still within the history window. */
  hasReceived(seq: number): boolean {
    if (!this.started) return false;
    const ext = this.cycles + this.maxSeq + seqDiff(seq & 0xffff, this.maxSeq);
    return ext >= 0 && this.history[ext & (RECEIVE_HISTORY_SIZE - 1)] === ext;
  }
}
