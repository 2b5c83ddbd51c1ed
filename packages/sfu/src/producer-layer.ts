import type { Consumer } from './consumer.js';
import type { Producer, SenderReportInfo } from './producer.js';
import { NackGenerator, PacketCache, RtpReceiveStats } from './rtp/index.js';

/** A layer that sent nothing for this long is treated as switched off by its sender (e.g. for bandwidth). */
const ACTIVE_TIMEOUT_MS = 1000;
/** Bitrate is measured over windows this long and smoothed across them. */
const BITRATE_WINDOW_MS = 500;

/**
 * One encoding of a published track: a simulcast layer (RFC 8853, identified by its rid) or the only
 * stream of a non-simulcast track. It has its own SSRC, sequence space, loss statistics, NACK state and
 * packet cache, and the consumers currently fed from it.
 */
export class ProducerLayer {
  /** The encoding's SSRC; 0 until its first packet (or its announcement). */
  ssrc = 0;
  /** Decoded size from the last keyframe (RFC 6386 §9.1); 0 until one arrived. */
  width = 0;
  height = 0;
  lastSenderReport: SenderReportInfo | null = null;
  stats: RtpReceiveStats | null = null;
  nack: NackGenerator | null = null;
  readonly cache: PacketCache | null;
  /** Consumers that forward this layer now. */
  readonly consumers = new Set<Consumer>();
  /** Consumers that switch to this layer at its next keyframe (at its next packet for audio). */
  readonly pending = new Set<Consumer>();
  private lastPacketMs = -Infinity;
  private windowStartMs = 0;
  private windowBytes = 0;
  private bitrate = 0;

  constructor(
    readonly producer: Producer,
    /** 0 for the lowest resolution. */
    readonly index: number,
    /** RFC 8851 rid, or null for a track sent without simulcast. */
    readonly rid: string | null,
  ) {
    this.cache = producer.kind === 'video' ? new PacketCache(1024) : null;
  }

  /** Whether the sender sends this layer at the moment. */
  isActive(nowMs: number): boolean {
    return nowMs - this.lastPacketMs < ACTIVE_TIMEOUT_MS;
  }

  /** Smoothed bitrate in bits per second, 0 while inactive. */
  bitrateBps(nowMs: number): number {
    return this.isActive(nowMs) ? this.bitrate : 0;
  }

  /** Bookkeeping for one received packet (hot path). */
  onPacket(bytes: number, nowMs: number): void {
    this.lastPacketMs = nowMs;
    this.windowBytes += bytes;
    const elapsed = nowMs - this.windowStartMs;
    if (elapsed >= BITRATE_WINDOW_MS) {
      const measured = (this.windowBytes * 8000) / elapsed;
      // A fresh layer adopts its first measurement; later windows are smoothed (keyframes make bursts).
      this.bitrate = this.bitrate === 0 || elapsed > 4 * BITRATE_WINDOW_MS ? measured : 0.7 * this.bitrate + 0.3 * measured;
      this.windowStartMs = nowMs;
      this.windowBytes = 0;
    }
  }

  /** A new SSRC on this layer starts a new stream: earlier statistics and cached packets no longer apply. */
  resetStream(ssrc: number, clockRate: number, nack: NackGenerator | null): void {
    this.ssrc = ssrc;
    this.stats = new RtpReceiveStats(ssrc, clockRate);
    this.nack = nack;
    this.cache?.clear();
    this.lastSenderReport = null;
  }

  /** Consumers leave when the producer closes; each learns that its source is gone. */
  detachAll(): void {
    for (const consumer of [...this.consumers, ...this.pending]) consumer.sourceClosed(this);
    this.consumers.clear();
    this.pending.clear();
  }
}
