import { EventEmitter } from 'node:events';
import type { Track } from 'node-datachannel';
import { CLOCK_RATE, type MediaKind } from './codecs.js';
import type { SfuCounters } from './counters.js';
import type { Pacer } from './pacer.js';
import { transportSequenceOffset, type Priority, type Producer, type SenderReportInfo } from './producer.js';
import type { ProducerLayer } from './producer-layer.js';
import {
  RtpStreamRewriter,
  Vp8PictureRewriter,
  buildSenderReport,
  parseRtpHeader,
  readVp8PictureId,
  readVp8Tl0PicIdx,
  setSequenceNumber,
  setSsrc,
  setTimestamp,
  setVp8PictureId,
  setVp8Tl0PicIdx,
  type RtcpPacket,
  type RtpHeader,
} from './rtp/index.js';

interface ConsumerEvents {
  /** The slot now carries this producer's track (null: nothing). Video changes happen at a keyframe. */
  source: [producer: Producer | null];
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
 * One outgoing track of a subscriber: a receiving slot whose source the SFU switches — between
 * simulcast layers of one publisher, or between publishers (audio top-N, video pagination). It owns the
 * SSRC, sequence number, timestamp and VP8 picture id space the subscriber sees, so every switch stays
 * invisible to the subscriber's decoder except as a new keyframe.
 */
export class Consumer extends EventEmitter<ConsumerEvents> {
  /** The layer forwarded now. */
  private current: ProducerLayer | null = null;
  /** The layer to switch to at its next keyframe. */
  private target: ProducerLayer | null = null;
  private readonly rewriter: RtpStreamRewriter;
  private readonly pictures: Vp8PictureRewriter | null;
  /** Video must restart from a keyframe after anything the subscriber did not receive (e.g. before the track opened). */
  private needsKeyframe: boolean;
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
    readonly kind: MediaKind,
    /** Id of the transport that receives this track. */
    readonly transportId: string,
    readonly mid: string,
    readonly ssrc: number,
    private readonly track: Track,
    private readonly counters: SfuCounters,
    /** The subscriber's pacer: all of its video leaves through it. */
    private readonly pacer: Pacer | null = null,
    /** Which producers this slot carries: only ones of this priority (see `Priority`). */
    readonly priority: Priority = 'normal',
  ) {
    super();
    this.rewriter = new RtpStreamRewriter(ssrc, CLOCK_RATE[kind]);
    this.pictures = kind === 'video' ? new Vp8PictureRewriter() : null;
    this.needsKeyframe = kind === 'video';
  }

  get isOpen(): boolean {
    return !this.closed && this.negotiated && (this.trackOpen || (this.trackOpen = this.track.isOpen()));
  }

  /** The producer whose media the subscriber receives on this slot now. */
  get producer(): Producer | null {
    return this.current?.producer ?? null;
  }

  /** The producer this slot carries or is switching to. */
  get wantedProducer(): Producer | null {
    return (this.target ?? this.current)?.producer ?? null;
  }

  /** Index of the layer forwarded now, -1 when none. */
  get layerIndex(): number {
    return this.current?.index ?? -1;
  }

  /** Index of the layer this slot is switching to (or forwarding), -1 when none. */
  get wantedLayerIndex(): number {
    return (this.target ?? this.current)?.index ?? -1;
  }

  /** Called by the transport when the subscriber's answer covering this stream has been applied. */
  setNegotiated(): void {
    this.negotiated = true;
  }

  /**
   * Chooses what this slot carries. Stopping is immediate; a new video source takes over at its next
   * keyframe (one is requested), and until then the old one keeps flowing, so the picture never breaks.
   */
  setSource(layer: ProducerLayer | null): void {
    if (this.closed || layer === (this.target ?? this.current)) return;
    if (this.target !== null) {
      this.target.pending.delete(this);
      this.target = null;
    }
    if (layer === null) {
      if (this.current !== null) {
        this.current.consumers.delete(this);
        this.current = null;
        this.emit('source', null);
      }
      return;
    }
    if (layer === this.current) return;
    this.target = layer;
    layer.pending.add(this);
    if (this.kind === 'video') layer.producer.requestKeyframe(layer.index);
  }

  /**
   * Stops at once, packets of the source still waiting in the subscriber's pacer included: for a source the
   * subscriber may no longer receive (it went to another forwarding group).
   */
  cutOff(): void {
    this.setSource(null);
    this.pacer?.discard(this.track);
  }

  /** Gives up a pending switch: the slot goes on carrying what it carries now. */
  cancelSwitch(): void {
    if (this.target === null) return;
    this.target.pending.delete(this);
    this.target = null;
  }

  /** Called by a producer when this slot's target layer reached a point where the switch can happen. */
  activate(layer: ProducerLayer): void {
    const previous = this.current?.producer ?? null;
    this.current?.consumers.delete(this);
    this.current = layer;
    this.target = null;
    layer.consumers.add(this);
    // The same SSRC can come back after a stop (a tile paused for bandwidth, or unsubscribed and
    // subscribed again): what it sent meanwhile was never forwarded, so the numbering must go on from
    // the last packet sent, not jump by what was skipped (the subscriber would count it lost and NACK it).
    this.rewriter.forceNewEpoch();
    this.pictures?.forceNewRun();
    if (previous !== layer.producer) {
      this.counters.sourceSwitches++;
      this.emit('source', layer.producer);
    } else {
      this.counters.layerSwitches++;
    }
  }

  /** The producer of `layer` closed. */
  sourceClosed(layer: ProducerLayer): void {
    if (this.target === layer) this.target = null;
    if (this.current === layer) {
      this.current = null;
      this.emit('source', null);
    }
  }

  /**
   * Hot path: called by the producer for every packet of the current layer, with what it parsed: the
   * header, keyframe, VP8 ids and the offset of the transport-wide sequence number (-1 when absent).
   */
  forward(packet: Buffer, header: RtpHeader, keyframe: boolean, pictureId: number, tl0: number, twccOffset: number, nowMs: number): void {
    if (!this.trackOpen && !this.isOpen) {
      this.needsKeyframe = this.kind === 'video';
      return;
    }
    if (this.needsKeyframe) {
      if (!keyframe) {
        const layer = this.current;
        if (layer !== null) layer.producer.requestKeyframe(layer.index, nowMs);
        return;
      }
      this.needsKeyframe = false;
    }
    if (!this.rewriter.rewrite(packet, header, nowMs)) return;
    this.pictures?.rewrite(packet, header, pictureId, tl0);
    try {
      if (this.send(packet, twccOffset, nowMs)) {
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
    this.sendRtcp(
      buildSenderReport({
        ssrc: this.ssrc,
        ntpSeconds: report.ntpSeconds,
        ntpFraction: report.ntpFraction,
        rtpTimestamp: this.rewriter.outputTimestampFor(report.rtpTimestamp),
        packetCount: this.rewriter.packetsSent,
        octetCount: this.rewriter.octetsSent,
      }),
    );
  }

  /**
   * RTCP feedback from the subscriber about this stream: keyframe requests and NACKs. The transport
   * receives all RTCP in one place and hands each consumer what names its SSRC (a callback per track
   * would cost a libuv handle each; docs/architecture.md, "Costs").
   */
  onFeedback(p: RtcpPacket): void {
    if (this.closed) return;
    switch (p.kind) {
      case 'pli':
        if (p.mediaSsrc === this.ssrc) this.requestKeyframe();
        break;
      case 'fir':
        if (p.entries.some((e) => e.ssrc === this.ssrc)) this.requestKeyframe();
        break;
      case 'nack':
        if (p.mediaSsrc === this.ssrc) this.retransmit(p.lost);
        break;
      default:
        break;
    }
  }

  private requestKeyframe(): void {
    const layer = this.target ?? this.current;
    if (layer !== null) layer.producer.requestKeyframe(layer.index);
  }

  /** RFC 4585 §6.2.1: resend lost packets from the producer's cache, in this stream's numbering. */
  private retransmit(lost: readonly number[]): void {
    this.counters.nacksReceived++;
    const cache = this.current?.cache;
    if (!cache) return;
    const now = performance.now();
    this.retransmitBudget = Math.min(RETRANSMIT_RATE, this.retransmitBudget + ((now - this.budgetUpdatedAt) / 1000) * RETRANSMIT_RATE);
    this.budgetUpdatedAt = now;
    for (const outSeq of lost) {
      if (this.retransmitBudget < 1) return;
      const slot = outSeq & 1023;
      if (this.resentSeq[slot] === outSeq && now - this.resentAt[slot]! < RESEND_GUARD_MS) continue;
      const inSeq = this.rewriter.inputSequenceFor(outSeq);
      if (inSeq < 0) continue;
      const packet = cache.get(inSeq);
      if (packet === undefined) continue;
      const header = parseRtpHeader(packet);
      if (header === null) continue;
      const pictureId = readVp8PictureId(packet, header.payloadOffset, header.payloadLength);
      const tl0 = readVp8Tl0PicIdx(packet, header.payloadOffset, header.payloadLength);
      setSsrc(packet, this.ssrc);
      setSequenceNumber(packet, outSeq);
      setTimestamp(packet, this.rewriter.outputTimestampFor(header.timestamp));
      if (this.pictures !== null && pictureId >= 0) setVp8PictureId(packet, header.payloadOffset, header.payloadLength, this.pictures.outputPictureId(pictureId));
      if (this.pictures !== null && tl0 >= 0) setVp8Tl0PicIdx(packet, header.payloadOffset, header.payloadLength, this.pictures.outputTl0(tl0));
      this.resentSeq[slot] = outSeq;
      this.resentAt[slot] = now;
      this.retransmitBudget--;
      try {
        if (this.send(packet, transportSequenceOffset(packet, header), now)) this.counters.retransmissions++;
      } catch {
        this.counters.sendErrors++;
      }
      // Restore the publisher's header: the cache must keep the original packet.
      setSsrc(packet, header.ssrc);
      setSequenceNumber(packet, header.sequenceNumber);
      setTimestamp(packet, header.timestamp);
      if (pictureId >= 0) setVp8PictureId(packet, header.payloadOffset, header.payloadLength, pictureId);
      if (tl0 >= 0) setVp8Tl0PicIdx(packet, header.payloadOffset, header.payloadLength, tl0);
    }
  }

  /** Sends now or hands the packet to the pacer (which keeps a copy); true unless the track refused it. */
  private send(packet: Buffer, twccOffset: number, nowMs: number): boolean {
    if (this.pacer === null) return this.track.sendMessageBinary(packet);
    return this.pacer.send(this.track, packet, twccOffset, this.kind === 'audio', nowMs) || this.pacer.queuedPackets > 0;
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
    this.target?.pending.delete(this);
    this.current?.consumers.delete(this);
    this.target = null;
    this.current = null;
    this.emit('close');
  }
}
