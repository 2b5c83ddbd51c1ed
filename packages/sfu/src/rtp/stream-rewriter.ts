// Per-subscriber rewriting of SSRC, sequence number and timestamp (RFC 3550 §5.1), so that a
// subscriber sees one continuous RTP stream while the SFU changes what feeds it: simulcast
// layer switches, a publisher restarting its camera with a new SSRC, a paused and resumed
// forward. Each stretch of packets from one source is an "epoch" with fixed offsets
// (out = in + offset, modulo 2^16 for sequence numbers and 2^32 for timestamps). A new epoch
// continues the output where the previous one stopped: the next sequence number, and a
// timestamp advanced by the wall time since the last forwarded packet (RFC 3550 §5.1: the
// timestamp reflects sampling time, so it must keep pace with real time across a switch).
//
// The caller decides which source is forwarded; this class only keeps the output continuous
// and drops what would break it (late packets of an earlier epoch). Hot path: no allocation.

import { randomInt } from 'node:crypto';
import type { RtpHeader } from './rtp-packet.js';
import { setSequenceNumber, setSsrc, setTimestamp } from './rtp-packet.js';
import { seqDiff } from './sequence.js';

/** Packets further behind the highest forwarded one are dropped (RFC 3550 A.1's MAX_DROPOUT). */
const MAX_BEHIND = 3000;
/** How long after leaving a source its not-newer packets are treated as late and dropped. */
const LATE_WINDOW_MS = 2000;
/** Number of previous sources remembered for the late-packet check (a few simulcast layers). */
const RECENT_SOURCES = 4;
/** Once an epoch spans half the sequence space, "before the epoch start" stops being decidable. */
const HALF_SEQ_SPACE = 0x8000;

export interface RewriterStart {
  sequenceNumber: number;
  timestamp: number;
}

export class RtpStreamRewriter {
  readonly clockRate: number;
  private readonly ssrcOut: number;
  private sent = 0;
  private octets = 0;

  private started = false;
  private newEpochPending = false;
  private srcSsrc = 0;
  private seqOffset = 0;
  private tsOffset = 0;
  /** Input sequence number of the epoch's first packet. */
  private epochStartSeq = 0;
  /** Highest input sequence number forwarded in this epoch. */
  private highestInSeq = 0;
  /** How far the epoch advanced past its start, saturating at HALF_SEQ_SPACE. */
  private epochSpan = 0;
  private lastOutSeq: number;
  private lastOutTs: number;
  private lastForwardMs = 0;

  // Sources of earlier epochs: SSRC (-1 empty), highest input seq, when last forwarded.
  private readonly recentSsrc = new Float64Array(RECENT_SOURCES).fill(-1);
  private readonly recentHighest = new Int32Array(RECENT_SOURCES);
  private readonly recentMs = new Float64Array(RECENT_SOURCES);
  private recentNext = 0;

  /**
   * `start` fixes the first output sequence number and timestamp (for tests); by default they
   * are random, as RFC 3550 §5.1 recommends.
   */
  constructor(outSsrc: number, clockRate: number, start?: RewriterStart) {
    this.ssrcOut = outSsrc >>> 0;
    this.clockRate = clockRate;
    const seq = start?.sequenceNumber ?? randomInt(0, 0x10000);
    const ts = start?.timestamp ?? randomInt(0, 0x100000000);
    // The first packet is written at (lastOut + 1) like every other epoch start, so step back.
    this.lastOutSeq = (seq - 1) & 0xffff;
    this.lastOutTs = ts >>> 0;
  }

  get outSsrc(): number {
    return this.ssrcOut;
  }

  /** Packets numbered by `rewrite` (it returned true); retransmissions reuse their numbers and are not counted. */
  get packetsSent(): number {
    return this.sent;
  }

  /** Payload octets forwarded (RFC 3550 §6.4.1 sender's octet count: no header, no padding). */
  get octetsSent(): number {
    return this.octets;
  }

  /** Output timestamp of the highest packet forwarded (the initial value before any). */
  get lastOutTimestamp(): number {
    return this.lastOutTs;
  }

  /** Output sequence number of the highest packet forwarded. */
  get lastOutSequenceNumber(): number {
    return this.lastOutSeq;
  }

  /** SSRC of the source currently forwarded, -1 before the first packet. */
  get sourceSsrc(): number {
    return this.started ? this.srcSsrc : -1;
  }

  /** The next packet starts a new epoch even if it comes from the current source. */
  forceNewEpoch(): void {
    if (this.started) this.newEpochPending = true;
  }

  /**
   * Rewrites SSRC, sequence number and timestamp of `buf` in place (header parsed from the
   * same bytes, before any rewriting). Returns false, leaving `buf` untouched, when the packet
   * must be dropped: a late packet of an earlier epoch, or one more than 3000 behind.
   */
  rewrite(buf: Uint8Array, header: RtpHeader, nowMs: number): boolean {
    const seq = header.sequenceNumber;
    const ts = header.timestamp;
    if (!this.started || this.newEpochPending || header.ssrc !== this.srcSsrc) {
      if (this.isLate(header.ssrc, seq, nowMs)) return false;
      this.startEpoch(header.ssrc, seq, ts, nowMs);
    } else {
      const d = seqDiff(seq, this.highestInSeq);
      if (d > 0) {
        this.highestInSeq = seq;
        this.epochSpan = Math.min(HALF_SEQ_SPACE, this.epochSpan + d);
        this.lastOutSeq = (seq + this.seqOffset) & 0xffff;
        this.lastOutTs = (ts + this.tsOffset) >>> 0;
        this.lastForwardMs = nowMs;
      } else if (d < -MAX_BEHIND || (this.epochSpan < HALF_SEQ_SPACE && seqDiff(seq, this.epochStartSeq) < 0)) {
        return false;
      }
    }
    setSsrc(buf, this.ssrcOut);
    setSequenceNumber(buf, (seq + this.seqOffset) & 0xffff);
    setTimestamp(buf, (ts + this.tsOffset) >>> 0);
    this.sent++;
    this.octets += header.payloadLength;
    return true;
  }

  /**
   * A packet that would start an epoch but belongs to a source we just left and is not newer
   * than what we forwarded from it: a straggler, reordered behind the switch.
   */
  private isLate(ssrc: number, seq: number, nowMs: number): boolean {
    if (!this.started) return false;
    if (ssrc === this.srcSsrc) {
      // Only reached after forceNewEpoch.
      return nowMs - this.lastForwardMs < LATE_WINDOW_MS && seqDiff(seq, this.highestInSeq) <= 0;
    }
    for (let i = 0; i < RECENT_SOURCES; i++) {
      if (this.recentSsrc[i] === ssrc) {
        return nowMs - this.recentMs[i]! < LATE_WINDOW_MS && seqDiff(seq, this.recentHighest[i]!) <= 0;
      }
    }
    return false;
  }

  private rememberCurrentSource(): void {
    let slot = -1;
    for (let i = 0; i < RECENT_SOURCES; i++) {
      if (this.recentSsrc[i] === this.srcSsrc) slot = i;
    }
    if (slot < 0) {
      slot = this.recentNext;
      this.recentNext = (this.recentNext + 1) % RECENT_SOURCES;
    }
    this.recentSsrc[slot] = this.srcSsrc;
    this.recentHighest[slot] = this.highestInSeq;
    this.recentMs[slot] = this.lastForwardMs;
  }

  private startEpoch(ssrc: number, seq: number, ts: number, nowMs: number): void {
    let outTs = this.lastOutTs;
    if (this.started) {
      this.rememberCurrentSource();
      // Keep the timestamp in step with the wall clock; at least +1 so it never repeats.
      const step = Math.round(((nowMs - this.lastForwardMs) * this.clockRate) / 1000);
      outTs = (outTs + Math.max(1, step)) >>> 0;
    }
    const outSeq = (this.lastOutSeq + 1) & 0xffff;
    this.seqOffset = (outSeq - seq) & 0xffff;
    this.tsOffset = (outTs - ts) >>> 0;
    this.srcSsrc = ssrc;
    this.epochStartSeq = seq;
    this.highestInSeq = seq;
    this.epochSpan = 0;
    this.lastOutSeq = outSeq;
    this.lastOutTs = outTs;
    this.lastForwardMs = nowMs;
    this.started = true;
    this.newEpochPending = false;
  }

  /**
   * The source sequence number that was sent as `outSeq`, if it belongs to the current epoch
   * and was not beyond the highest forwarded; otherwise -1. For answering NACKs from the
   * publisher's PacketCache.
   */
  inputSequenceFor(outSeq: number): number {
    if (!this.started) return -1;
    const inSeq = (outSeq - this.seqOffset) & 0xffff;
    if (seqDiff(inSeq, this.highestInSeq) > 0) return -1;
    if (this.epochSpan < HALF_SEQ_SPACE && seqDiff(inSeq, this.epochStartSeq) < 0) return -1;
    return inSeq;
  }

  /** A source timestamp of the current epoch in the output timestamp space (e.g. for SRs). */
  outputTimestampFor(inputTs: number): number {
    return (inputTs + this.tsOffset) >>> 0;
  }
}
