import type { TransportWideSequencer } from './bwe/index.js';
import { writeTransportSequenceNumber } from './rtp/index.js';

/** Where a paced packet finally goes: a track's send (which copies the bytes). */
export interface PacketSink {
  sendMessageBinary(buffer: Buffer): boolean;
}

/** How much faster than the estimate packets may leave (as in Google Congestion Control's pacer). */
const PACING_FACTOR = 2.5;
/** The bucket holds this much sending time: short bursts (a few packets) pass unpaced. */
const BURST_MS = 10;
/** Video older than this in the queue is dropped: the receiver will have asked for a keyframe anyway. */
const MAX_QUEUE_DELAY_MS = 400;
/** A queue this long means the estimate is far off; the oldest packets go first. */
const MAX_QUEUE_PACKETS = 2000;

interface QueuedPacket {
  sink: PacketSink;
  bytes: Buffer;
  twccOffset: number;
  enqueuedMs: number;
}

/**
 * One subscriber's send path. It spreads outgoing video over time at a multiple of the bandwidth
 * estimate, so that a keyframe (tens of packets at once) does not overflow the queue of a slow link;
 * audio is never delayed; while the estimate is unknown (infinite) nothing is paced and the forwarding
 * path stays copy-free. And it stamps each packet's transport-wide sequence number at the moment it
 * really leaves, so time spent in this queue is not mistaken for network delay by the estimator.
 * `send` returns false when the packet was queued (then copied); `drain` is called every few ms.
 */
export class Pacer {
  private rateBytesPerMs = Infinity;
  private tokens = 0;
  private refilledAt = -Infinity;
  private readonly queue: QueuedPacket[] = [];
  private head = 0;
  /** Packets that waited in the queue, and those dropped from it. */
  paced = 0;
  dropped = 0;

  /**
   * `onBacklog` is called when packets start waiting: someone must call `drain` until none wait.
   * `counters` (optional) receive the paced and dropped counts too.
   */
  constructor(
    private readonly onBacklog: () => void = () => {},
    private readonly counters: { packetsPaced: number; pacerDrops: number } | null = null,
    private readonly sequencer: TransportWideSequencer | null = null,
  ) {}

  /** Sets the pacing rate from a bandwidth estimate in bits per second (Infinity: no pacing). */
  setEstimate(bps: number): void {
    this.rateBytesPerMs = Number.isFinite(bps) ? (bps * PACING_FACTOR) / 8000 : Infinity;
  }

  get queuedPackets(): number {
    return this.queue.length - this.head;
  }

  /**
   * Sends `packet` now if the budget allows and nothing waits, else queues a copy. Returns whether it was
   * sent now. `twccOffset` is where its transport-wide sequence number goes (-1: it has no such extension).
   */
  send(sink: PacketSink, packet: Buffer, twccOffset: number, audio: boolean, nowMs: number): boolean {
    if (audio || this.rateBytesPerMs === Infinity) return this.transmit(sink, packet, twccOffset, nowMs);
    this.refill(nowMs);
    if (this.queuedPackets === 0 && this.tokens >= 0) {
      this.tokens -= packet.length;
      return this.transmit(sink, packet, twccOffset, nowMs);
    }
    if (this.queuedPackets >= MAX_QUEUE_PACKETS) {
      this.head++;
      this.dropped++;
      if (this.counters) this.counters.pacerDrops++;
    }
    if (this.queuedPackets === 0) this.onBacklog();
    // The caller restores its buffer after this call, so a queued packet must be a copy.
    this.queue.push({ sink, bytes: Buffer.from(packet), twccOffset, enqueuedMs: nowMs });
    this.paced++;
    if (this.counters) this.counters.packetsPaced++;
    return false;
  }

  /** Forgets the packets waiting for `sink`: what was forwarded to a slot that must not get it any more. */
  discard(sink: PacketSink): void {
    const kept = this.queue.filter((item, i) => i >= this.head && item.sink !== sink);
    if (kept.length === this.queuedPackets) return;
    this.queue.length = 0;
    this.head = 0;
    this.queue.push(...kept);
  }

  /** Sends what the budget allows from the queue, oldest first. */
  drain(nowMs: number): void {
    if (this.queuedPackets === 0) return;
    this.refill(nowMs);
    while (this.head < this.queue.length && this.tokens >= 0) {
      const item = this.queue[this.head++]!;
      if (nowMs - item.enqueuedMs > MAX_QUEUE_DELAY_MS) {
        this.dropped++;
        if (this.counters) this.counters.pacerDrops++;
        continue;
      }
      this.tokens -= item.bytes.length;
      try {
        this.transmit(item.sink, item.bytes, item.twccOffset, nowMs);
      } catch {
        // The track closed while the packet waited.
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private transmit(sink: PacketSink, packet: Buffer, twccOffset: number, nowMs: number): boolean {
    if (twccOffset >= 0 && this.sequencer !== null) writeTransportSequenceNumber(packet, twccOffset, this.sequencer.next(packet.length, nowMs));
    return sink.sendMessageBinary(packet);
  }

  private refill(nowMs: number): void {
    const elapsed = nowMs - this.refilledAt;
    this.refilledAt = nowMs;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.rateBytesPerMs * BURST_MS, this.tokens + elapsed * this.rateBytesPerMs);
  }
}
