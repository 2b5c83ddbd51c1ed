import { EventEmitter } from 'node:events';
import type { Track } from 'node-datachannel';
import type { MediaKind } from './codecs.js';
import type { SfuCounters } from './counters.js';
import type { Producer, SenderReportInfo } from './producer.js';
import {
  RtpStreamRewriter,
  buildSenderReport,
  parseRtcp,
  parseRtpHeader,
  setSequenceNumber,
  setSsrc,
  setTimestamp,
  type RtpHeader,
} from './rtp/index.js';

interface ConsumerEvents {
  close: [];
}

/**
 * A subscriber's NACKs may not turn the server into an amplifier: each packet is resent at most once per
 * RESEND_GUARD_MS, and at most RETRANSMIT_RATE per second (with a burst of as many) per stream — several
 * times what 30% loss on a high-quality video stream needs.
 */
const RESEND_GUARD_MS = 100;
const RETRANSMIT_RATE = 300;

/**
 * One outgoing track: a producer's stream as one subscriber receives it. It owns the SSRC, sequence
 * number and timestamp space the subscriber sees (via its rewriter), so a later change of source
 * (simulcast layer, publisher restart) stays invisible to the subscriber's decoder.
 */
export class Consumer extends EventEmitter<ConsumerEvents> {
  readonly kind: MediaKind;
  private readonly rewriter: RtpStreamRewriter;
  /** Video is forwarded only from a keyframe on: a decoder cannot start from a delta frame. */
  private waitingForKeyframe: boolean;
  /** True once the subscriber has answered an offer that announces this stream's SSRC. */
  private negotiated = false;
  /**
   * Mirrors the track's open state, so the per-packet path makes no native call once open. It is
   * learned lazily rather than from onOpen: every node-datachannel callback is a libuv async handle,
   * and the event loop walks all of them on each wake-up (docs/architecture.md, "Costs").
   */
  private trackOpen = false;
  private closed = false;
  /** When each recently resent output sequence number (by its low bits) was last resent. */
  private readonly resentSeq = new Int32Array(1024).fill(-1);
  private readonly resentAt = new Float64Array(1024);
  private retransmitBudget = RETRANSMIT_RATE;
  private budgetUpdatedAt = 0;

  constructor(
    readonly id: string,
    readonly producer: Producer,
    /** Id of the transport that receives this track. */
    readonly transportId: string,
    readonly mid: string,
    readonly ssrc: number,
    private readonly track: Track,
    private readonly counters: SfuCounters,
  ) {
    super();
    this.kind = producer.kind;
    this.rewriter = new RtpStreamRewriter(ssrc, producer.clockRate);
    this.waitingForKeyframe = this.kind === 'video';
    track.onMessage((message) => this.receiveRtcp(message));
    producer.addConsumer(this);
  }

  get isOpen(): boolean {
    return !this.closed && this.negotiated && (this.trackOpen || (this.trackOpen = this.track.isOpen()));
  }

  /** Called by the transport when the subscriber's answer covering this stream has been applied. */
  setNegotiated(): void {
    if (this.negotiated) return;
    this.negotiated = true;
    // A new subscriber starts with a keyframe; if the track is not open yet, forward() asks once it is.
    if (this.isOpen) this.producer.requestKeyframe();
  }

  /** Hot path: called by the producer for every packet, with the header it parsed. */
  forward(packet: Buffer, header: RtpHeader, keyframe: boolean, nowMs: number): void {
    if (this.closed || (!this.trackOpen && !this.isOpen)) return;
    if (this.waitingForKeyframe) {
      if (!keyframe) {
        this.producer.requestKeyframe(nowMs);
        return;
      }
      this.waitingForKeyframe = false;
    }
    if (!this.rewriter.rewrite(packet, header, nowMs)) return;
    try {
      if (this.track.sendMessageBinary(packet)) {
        this.counters.packetsForwarded++;
        this.counters.bytesForwarded += packet.length;
      }
    } catch {
      this.counters.sendErrors++;
      this.trackOpen = this.track.isOpen();
    }
  }

  /** Translates the publisher's sender report into this stream's SSRC and timestamp space. */
  sendSenderReport(report: SenderReportInfo): void {
    if (!this.isOpen || this.rewriter.packetsSent === 0) return;
    const rtpTimestamp = this.rewriter.outputTimestampFor(report.rtpTimestamp);
    this.sendRtcp(
      buildSenderReport({
        ssrc: this.ssrc,
        ntpSeconds: report.ntpSeconds,
        ntpFraction: report.ntpFraction,
        rtpTimestamp,
        packetCount: this.rewriter.packetsSent,
        octetCount: this.rewriter.octetsSent,
      }),
    );
  }

  /** RTCP from the subscriber about this stream: keyframe requests and NACKs. */
  private receiveRtcp(message: Buffer): void {
    if (this.closed) return;
    const packets = parseRtcp(message);
    if (packets === null) {
      this.counters.malformedPackets++;
      return;
    }
    for (const p of packets) {
      switch (p.kind) {
        case 'pli':
          if (p.mediaSsrc === this.ssrc) this.producer.requestKeyframe();
          break;
        case 'fir':
          if (p.entries.some((e) => e.ssrc === this.ssrc)) this.producer.requestKeyframe();
          break;
        case 'nack':
          if (p.mediaSsrc === this.ssrc) this.retransmit(p.lost);
          break;
        default:
          break;
      }
    }
  }

  /** RFC 4585 §6.2.1: resend lost packets from the producer's cache, in this stream's numbering. */
  private retransmit(lost: readonly number[]): void {
    this.counters.nacksReceived++;
    const now = performance.now();
    this.retransmitBudget = Math.min(RETRANSMIT_RATE, this.retransmitBudget + ((now - this.budgetUpdatedAt) / 1000) * RETRANSMIT_RATE);
    this.budgetUpdatedAt = now;
    for (const outSeq of lost) {
      if (this.retransmitBudget < 1) return;
      const slot = outSeq & 1023;
      if (this.resentSeq[slot] === outSeq && now - this.resentAt[slot]! < RESEND_GUARD_MS) continue;
      const inSeq = this.rewriter.inputSequenceFor(outSeq);
      if (inSeq < 0) continue;
      const packet = this.producer.cachedPacket(inSeq);
      if (packet === undefined) continue;
      const header = parseRtpHeader(packet);
      if (header === null) continue;
      setSsrc(packet, this.ssrc);
      setSequenceNumber(packet, outSeq);
      setTimestamp(packet, this.rewriter.outputTimestampFor(header.timestamp));
      this.resentSeq[slot] = outSeq;
      this.resentAt[slot] = now;
      this.retransmitBudget--;
      try {
        if (this.track.sendMessageBinary(packet)) this.counters.retransmissions++;
      } catch {
        this.counters.sendErrors++;
      }
      // Restore the publisher's header: the cache must keep the original packet.
      setSsrc(packet, header.ssrc);
      setSequenceNumber(packet, header.sequenceNumber);
      setTimestamp(packet, header.timestamp);
    }
  }

  private sendRtcp(packet: Buffer): void {
    try {
      this.track.sendMessageBinary(packet);
    } catch {
      this.counters.sendErrors++;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.producer.removeConsumer(this);
    this.emit('close');
  }
}
