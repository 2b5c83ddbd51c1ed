// A receiver-side NACK generator for one incoming video stream: what a browser does when RTP goes
// missing. libdatachannel has none (shared/guides/sfu-transport.md), so the SFU (towards publishers)
// and the load bots (as subscribers) use this one.
//
// RFC 4585 §6.2.1 defines the generic NACK message; when to send it is left to the receiver.
// This one follows common practice (libwebrtc's NackRequester works the same way): NACK a missing
// sequence number as soon as a later one reveals the gap, ask again a couple of times at about the
// round-trip time if the repair does not come, and give up after a deadline, when a real decoder
// would have asked for a keyframe instead. The NACKs travel as raw RTCP; the caller sends them.

import { seqDiff } from './sequence.js';

export interface NackOptions {
  /** NACKs per sequence number after the first (RFC 4585 leaves repetition to the receiver). */
  maxRetries: number;
  /** Retry interval before any round-trip sample exists, and its upper bound (ms). */
  initialRetryMs: number;
  /** Lower bound of the retry interval (ms): loopback RTTs are far below a timer's resolution. */
  minRetryMs: number;
  /** A sequence number still missing this long after its gap was seen counts as unrecovered (ms). */
  giveUpMs: number;
  /** A forward jump larger than this is a stream discontinuity, not loss: nothing is NACKed. */
  maxGap: number;
}

export const DEFAULT_NACK: NackOptions = { maxRetries: 2, initialRetryMs: 100, minRetryMs: 20, giveUpMs: 1000, maxGap: 500 };

export interface NackStats {
  /** RTCP NACK packets sent. */
  nackPackets: number;
  /** Sequence numbers NACKed at least once. */
  requested: number;
  /** NACK entries sent in total, retries included. */
  requests: number;
  /** NACKed sequence numbers that arrived later. */
  recovered: number;
  /** Sequence numbers given up on after `giveUpMs`. */
  unrecovered: number;
  /** Still waiting. */
  pending: number;
  /** Smoothed NACK→repair time (ms), -1 before the first sample. */
  repairTimeMs: number;
}

interface Missing {
  seenAt: number;
  lastNackAt: number;
  nacks: number;
}

/** Largest number of sequence numbers in one NACK packet, so that it stays far below the MTU. */
const MAX_PER_PACKET = 256;

export class NackGenerator {
  private readonly options: NackOptions;
  /** Extended sequence numbers (RFC 3550 §A.1) still missing, in ascending order. */
  private readonly missing = new Map<number, Missing>();
  private highest = -1;
  private srtt = -1;
  private readonly stats = { nackPackets: 0, requested: 0, requests: 0, recovered: 0, unrecovered: 0 };

  constructor(
    /** Sends one generic NACK for these (16-bit) sequence numbers; returns whether it went out. */
    private readonly send: (sequenceNumbers: number[]) => boolean,
    options: Partial<NackOptions> = {},
  ) {
    this.options = { ...DEFAULT_NACK, ...options };
  }

  /** Accounts one received sequence number; NACKs at once what a forward jump reveals as missing. */
  onPacket(sequenceNumber: number, now: number): void {
    if (this.highest < 0) {
      this.highest = 0x10000 + sequenceNumber;
      return;
    }
    const ext = this.highest + seqDiff(sequenceNumber, this.highest & 0xffff);
    if (ext <= this.highest) {
      const entry = this.missing.get(ext);
      if (entry === undefined) return; // a duplicate, or older than anything tracked
      this.missing.delete(ext);
      this.stats.recovered++;
      // Karn's algorithm (RFC 6298 §3): only an unambiguous repair — one NACK — is a round-trip sample.
      if (entry.nacks === 1) this.sampleRepairTime(now - entry.lastNackAt);
      return;
    }
    const jump = ext - this.highest;
    this.highest = ext;
    if (jump === 1) return;
    if (jump - 1 > this.options.maxGap) {
      // A restarted or switched source, not loss; what was pending belongs to the old numbering.
      this.stats.unrecovered += this.missing.size;
      this.missing.clear();
      return;
    }
    const fresh: number[] = [];
    for (let s = ext - jump + 1; s < ext; s++) {
      this.missing.set(s, { seenAt: now, lastNackAt: now, nacks: 1 });
      fresh.push(s & 0xffff);
      this.stats.requested++;
    }
    this.sendNack(fresh);
  }

  /** Called periodically: re-NACKs what is overdue and gives up on what is too old. */
  tick(now: number): void {
    if (this.missing.size === 0) return;
    const interval = this.retryIntervalMs();
    const retry: number[] = [];
    for (const [ext, entry] of this.missing) {
      if (now - entry.seenAt >= this.options.giveUpMs) {
        this.missing.delete(ext);
        this.stats.unrecovered++;
        continue;
      }
      if (entry.nacks <= this.options.maxRetries && now - entry.lastNackAt >= interval && retry.length < MAX_PER_PACKET) {
        entry.nacks++;
        entry.lastNackAt = now;
        retry.push(ext & 0xffff);
      }
    }
    this.sendNack(retry);
  }

  snapshot(): NackStats {
    return { ...this.stats, pending: this.missing.size, repairTimeMs: this.srtt };
  }

  private sendNack(sequenceNumbers: number[]): void {
    for (let i = 0; i < sequenceNumbers.length; i += MAX_PER_PACKET) {
      const chunk = sequenceNumbers.slice(i, i + MAX_PER_PACKET);
      if (!this.send(chunk)) continue;
      this.stats.nackPackets++;
      this.stats.requests += chunk.length;
    }
  }

  /** About one smoothed repair time (RFC 6298-style smoothing, α = 1/8), within the configured bounds. */
  private retryIntervalMs(): number {
    if (this.srtt < 0) return this.options.initialRetryMs;
    return Math.min(this.options.initialRetryMs, Math.max(this.options.minRetryMs, 1.5 * this.srtt));
  }

  private sampleRepairTime(ms: number): void {
    this.srtt = this.srtt < 0 ? ms : this.srtt + (ms - this.srtt) / 8;
  }
}
