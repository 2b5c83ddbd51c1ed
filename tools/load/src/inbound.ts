// The receiving side of a bot: what arrived on one incoming stream (one mid + SSRC) and whether
// it obeys what an SFU owes its subscribers — an announced SSRC, sequence numbers that advance by
// exactly one (RFC 3550 §5.1; on loopback nothing should be lost), timestamps that never go back,
// and video that starts with a key frame (RFC 7741 §4.3).

import { rtp } from '@treff/sfu';
import type { MediaKind } from '@treff/protocol';
import { LatencyRecorder, type LatencySummary } from './latency.js';
import type { SourceReceiver } from './source-stats.js';
import { readProbe } from './synthetic.js';

/** How far back duplicates and late packets are told apart (sequence numbers). */
const HISTORY = 4096;

export type SequenceVerdict = 'first' | 'in-order' | 'gap' | 'duplicate' | 'late';

/**
 * Extended sequence numbers (RFC 3550 §A.1: cycles × 2^16 + seq) with a window of the ones seen,
 * so a packet behind the highest is classified as a duplicate (seen before) or late (filled a gap).
 */
export class SequenceTracker {
  highest = -1;
  first = -1;
  /** Missing sequence numbers not (yet) filled by late packets. */
  missing = 0;
  /** Forward jumps of more than one. */
  gaps = 0;
  duplicates = 0;
  late = 0;
  private readonly seen = new Float64Array(HISTORY).fill(-1);

  push(seq: number): SequenceVerdict {
    if (this.highest < 0) {
      // Start at cycle 1 so that packets from before the first one keep a positive extension.
      this.highest = 0x10000 + seq;
      this.first = this.highest;
      this.seen[this.highest % HISTORY] = this.highest;
      return 'first';
    }
    const ext = this.highest + rtp.seqDiff(seq, this.highest & 0xffff);
    if (ext > this.highest) {
      const jump = ext - this.highest;
      let verdict: SequenceVerdict = 'in-order';
      if (jump > 1) {
        this.gaps++;
        this.missing += jump - 1;
        verdict = 'gap';
      }
      this.highest = ext;
      this.seen[ext % HISTORY] = ext;
      return verdict;
    }
    const slot = ext % HISTORY;
    const inWindow = this.highest - ext < HISTORY;
    if (inWindow && this.seen[slot] === ext) {
      this.duplicates++;
      return 'duplicate';
    }
    if (inWindow) this.seen[slot] = ext;
    this.late++;
    // Only a packet inside the observed range fills a gap; one from before the first does not.
    if (ext > this.first && this.missing > 0) this.missing--;
    return 'late';
  }
}

export interface InboundStats {
  mid: string;
  ssrc: number;
  kind: MediaKind;
  /**
   * Publisher of the latest packet: from its probe, else the slot's announced source (protocol v2
   * slots switch sources; `Bot.sourceStats()` has the per-publisher view).
   */
  participantId: string | null;
  /** Whether the offer announced this SSRC (a=ssrc) for this mid. */
  announced: boolean;
  packets: number;
  bytes: number;
  /** Missing sequence numbers (gaps not filled later). */
  lost: number;
  gaps: number;
  duplicates: number;
  late: number;
  timestampRegressions: number;
  keyframes: number;
  /** For video: whether the very first packet started a VP8 key frame; null for audio. */
  firstPacketKeyframe: boolean | null;
  firstSequenceNumber: number;
  highestSequenceNumber: number;
  firstPacketAt: number;
  lastPacketAt: number;
  /** From the bot's `joined` to the first packet. */
  firstPacketAfterJoinMs: number;
  /** From the offer that brought this slot to the first packet. */
  firstPacketAfterOfferMs: number;
  latency: LatencySummary;
}

export class InboundStream {
  readonly mid: string;
  readonly ssrc: number;
  readonly kind: MediaKind;
  participantId: string | null;
  readonly announced: boolean;
  readonly sequence = new SequenceTracker();
  readonly latency = new LatencyRecorder();
  packets = 0;
  bytes = 0;
  keyframes = 0;
  timestampRegressions = 0;
  firstPacketKeyframe: boolean | null = null;
  firstPacketAt = -1;
  lastPacketAt = -1;
  /**
   * The per-publisher receiver this stream's packets last went to, and whether as a screen share:
   * kept here so that a packet needs no lookup by a key built from strings.
   */
  receiver: SourceReceiver | null = null;
  receiverIsScreen = false;
  private lastTimestamp = -1;
  private readonly joinedAt: number;
  private readonly offeredAt: number;

  constructor(init: { mid: string; ssrc: number; kind: MediaKind; participantId: string | null; announced: boolean; joinedAt: number; offeredAt: number }) {
    this.mid = init.mid;
    this.ssrc = init.ssrc;
    this.kind = init.kind;
    this.participantId = init.participantId;
    this.announced = init.announced;
    this.joinedAt = init.joinedAt;
    this.offeredAt = init.offeredAt;
  }

  /**
   * Accounts one RTP packet whose header `h` was parsed from `buf`; returns the sequence verdict.
   * `sentAt` is the probe's send time (≤ 0 without one), read from the payload unless given.
   */
  onPacket(buf: Buffer, h: rtp.RtpHeader, now: number, sentAt = readProbe(buf, h.payloadOffset, h.payloadLength)): SequenceVerdict {
    this.packets++;
    this.bytes += buf.length;
    this.lastPacketAt = now;
    const keyframe = this.kind === 'video' && rtp.isVp8Keyframe(buf, h.payloadOffset, h.payloadLength);
    if (keyframe) this.keyframes++;
    if (this.firstPacketAt < 0) {
      this.firstPacketAt = now;
      if (this.kind === 'video') this.firstPacketKeyframe = keyframe;
    }
    const verdict = this.sequence.push(h.sequenceNumber);
    if (verdict === 'in-order' || verdict === 'gap') {
      // Timestamps of packets in sequence order must not go back (RFC 3550 §5.1: monotonic).
      if (this.lastTimestamp >= 0 && rtp.tsDiff(h.timestamp, this.lastTimestamp) < 0) this.timestampRegressions++;
      this.lastTimestamp = h.timestamp;
    } else if (verdict === 'first') {
      this.lastTimestamp = h.timestamp;
    }
    if (verdict !== 'duplicate' && sentAt > 0) this.latency.add(now - sentAt);
    return verdict;
  }

  snapshot(): InboundStats {
    return {
      mid: this.mid,
      ssrc: this.ssrc,
      kind: this.kind,
      participantId: this.participantId,
      announced: this.announced,
      packets: this.packets,
      bytes: this.bytes,
      lost: this.sequence.missing,
      gaps: this.sequence.gaps,
      duplicates: this.sequence.duplicates,
      late: this.sequence.late,
      timestampRegressions: this.timestampRegressions,
      keyframes: this.keyframes,
      firstPacketKeyframe: this.firstPacketKeyframe,
      firstSequenceNumber: this.sequence.first & 0xffff,
      highestSequenceNumber: this.sequence.highest & 0xffff,
      firstPacketAt: this.firstPacketAt,
      lastPacketAt: this.lastPacketAt,
      firstPacketAfterJoinMs: this.firstPacketAt - this.joinedAt,
      firstPacketAfterOfferMs: this.firstPacketAt - this.offeredAt,
      latency: this.latency.summary(),
    };
  }
}
