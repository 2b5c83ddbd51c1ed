// What a subscriber received from one publisher's track (one participant and kind), whichever
// receiving slot carried it: packets, loss, RFC 3550 interarrival jitter, latency, time to the
// first complete key frame, the simulcast layer it gets now and how often that changed, picture
// size from key frames (RFC 6386 §9.1) and bitrate.

import { rtp } from '@treff/sfu';
import type { MediaKind } from '@treff/protocol';
import { LatencyRecorder, type LatencySummary } from './latency.js';
import type { ProbeInfo } from './probe.js';
import type { SequenceVerdict } from './inbound.js';

const CLOCK_RATE: Record<MediaKind, number> = { audio: 48_000, video: 90_000 };
const BITRATE_WINDOW_MS = 1000;

export interface SourceStats {
  participantId: string;
  kind: MediaKind;
  /** Mid of the slot that carried the latest packet. */
  mid: string | null;
  packets: number;
  bytes: number;
  /** Missing sequence numbers of the slots while they carried this source (late fills subtracted). */
  lost: number;
  lossPercent: number;
  /** RFC 3550 §6.4.1 interarrival jitter, in milliseconds. */
  jitterMs: number;
  latency: LatencySummary;
  firstPacketAt: number;
  /** When the first complete key frame (start through marker, no gap) arrived; -1 before. */
  firstFrameAt: number;
  /** From when the subscriber could first expect this source (join or the source's arrival) to the first frame; -1 before. */
  timeToFirstFrameMs: number;
  /** Complete frames (every packet from the start of the frame to its marker, in sequence). */
  frames: number;
  keyframes: number;
  /** Simulcast layer of the latest packet (from the probe), -1 unknown or without simulcast. */
  layer: number;
  /** Changes of that layer after the first packet. */
  layerSwitches: number;
  /** Picture size of the latest key frame, 0 before one. */
  width: number;
  height: number;
  /** Bits per second over the last complete second; 0 when nothing arrived for two seconds. */
  bitrateBps: number;
  /** Packets whose probe named this source while the slot was announced as carrying someone else (or nobody). */
  unannouncedPackets: number;
  lastPacketAt: number;
}

/** The parts of one received packet the statistics need. */
export interface SourcePacket {
  mid: string;
  ssrc: number;
  buf: Uint8Array;
  header: rtp.RtpHeader;
  now: number;
  verdict: SequenceVerdict;
  /** Change of the slot stream's missing count caused by this packet (negative: a late fill). */
  lostDelta: number;
  probe: ProbeInfo | null;
  /** Whether the slot was announced as carrying this source when the packet arrived. */
  announced: boolean;
}

export class SourceReceiver {
  readonly participantId: string;
  readonly kind: MediaKind;
  /** From when this source could be expected: time to first frame counts from here. */
  expectedSince: number;
  private mid: string | null = null;
  /** Packets received so far (also in the snapshot). */
  packets = 0;
  private bytes = 0;
  private lost = 0;
  private jitter = 0; // timestamp units
  private lastTransit = NaN;
  // The slot stream (mid and SSRC) of the last packet: jitter restarts when it changes.
  private lastMid: string | null = null;
  private lastSsrc = -1;
  private readonly latency = new LatencyRecorder();
  private firstPacketAt = -1;
  private lastPacketAt = -1;
  private firstFrameAt = -1;
  private frames = 0;
  private keyframes = 0;
  private layer = -1;
  private layerSwitches = 0;
  private width = 0;
  private height = 0;
  private unannounced = 0;
  // Frame assembly: the frame being received, by timestamp and the next sequence number expected.
  private assembling = false;
  private frameTimestamp = 0;
  private frameNextSeq = 0;
  private frameIsKey = false;
  // Bitrate over fixed windows.
  private windowStart = -1;
  private windowBytes = 0;
  private bitrate = 0;

  constructor(participantId: string, kind: MediaKind, expectedSince: number) {
    this.participantId = participantId;
    this.kind = kind;
    this.expectedSince = expectedSince;
  }

  onPacket(p: SourcePacket): void {
    const { header: h, buf, now } = p;
    this.packets++;
    this.bytes += buf.length;
    this.lost += p.lostDelta;
    if (!p.announced) this.unannounced++;
    if (this.firstPacketAt < 0) this.firstPacketAt = now;
    this.lastPacketAt = now;
    this.mid = p.mid;
    this.countBitrate(buf.length, now);
    if (p.verdict === 'duplicate') return;
    if (p.probe !== null) {
      if (p.probe.sendTimeMs > 0) this.latency.add(now - p.probe.sendTimeMs);
      const layer = p.probe.layer;
      if (layer !== this.layer) {
        if (this.layer >= 0 && layer >= 0) this.layerSwitches++;
        if (layer >= 0 || this.layer < 0) this.layer = layer;
      }
    }
    if (p.verdict !== 'late') this.updateJitter(h.timestamp, now, p.mid, p.ssrc);
    if (this.kind === 'video') this.assemble(buf, h, now);
  }

  /** RFC 3550 §A.8, restarted whenever the source moves to another slot stream (another timestamp base). */
  private updateJitter(timestamp: number, now: number, mid: string, ssrc: number): void {
    const arrival = (now * CLOCK_RATE[this.kind]) / 1000;
    const transit = arrival - timestamp;
    if (mid !== this.lastMid || ssrc !== this.lastSsrc || Number.isNaN(this.lastTransit)) {
      this.lastMid = mid;
      this.lastSsrc = ssrc;
      this.lastTransit = transit;
      return;
    }
    // Timestamps wrap at 2^32: take the difference modulo 2^32 into the signed range.
    let d = transit - this.lastTransit;
    d = ((((d + 2 ** 31) % 2 ** 32) + 2 ** 32) % 2 ** 32) - 2 ** 31;
    this.lastTransit = transit;
    this.jitter += (Math.abs(d) - this.jitter) / 16;
  }

  private assemble(buf: Uint8Array, h: rtp.RtpHeader, now: number): void {
    const start = h.payloadLength > 0 && (buf[h.payloadOffset]! & 0x1f) === 0x10; // S=1, PID=0 (RFC 7741 §4.2)
    if (start) {
      this.assembling = true;
      this.frameTimestamp = h.timestamp;
      this.frameNextSeq = (h.sequenceNumber + 1) & 0xffff;
      const size = rtp.readVp8KeyframeSize(buf, h.payloadOffset, h.payloadLength);
      this.frameIsKey = size >= 0;
      if (size >= 0) {
        this.width = size >>> 16;
        this.height = size & 0xffff;
      }
    } else if (this.assembling && h.timestamp === this.frameTimestamp && h.sequenceNumber === this.frameNextSeq) {
      this.frameNextSeq = (this.frameNextSeq + 1) & 0xffff;
    } else {
      this.assembling = false; // a gap or a frame whose start was lost: not decodable
      return;
    }
    if (!h.marker) return;
    this.assembling = false;
    this.frames++;
    if (this.frameIsKey) {
      this.keyframes++;
      if (this.firstFrameAt < 0) this.firstFrameAt = now;
    }
  }

  private countBitrate(bytes: number, now: number): void {
    if (this.windowStart < 0) this.windowStart = now;
    const elapsed = now - this.windowStart;
    if (elapsed >= BITRATE_WINDOW_MS) {
      this.bitrate = (this.windowBytes * 8000) / elapsed;
      this.windowStart = now;
      this.windowBytes = 0;
    }
    this.windowBytes += bytes;
  }

  snapshot(now: number): SourceStats {
    const firstFrame = this.firstFrameAt;
    return {
      participantId: this.participantId,
      kind: this.kind,
      mid: this.mid,
      packets: this.packets,
      bytes: this.bytes,
      lost: this.lost,
      lossPercent: this.packets + this.lost > 0 ? (100 * Math.max(0, this.lost)) / (this.packets + Math.max(0, this.lost)) : 0,
      jitterMs: (this.jitter * 1000) / CLOCK_RATE[this.kind],
      latency: this.latency.summary(),
      firstPacketAt: this.firstPacketAt,
      firstFrameAt: firstFrame,
      timeToFirstFrameMs: firstFrame >= 0 ? firstFrame - this.expectedSince : -1,
      frames: this.frames,
      keyframes: this.keyframes,
      layer: this.layer,
      layerSwitches: this.layerSwitches,
      width: this.width,
      height: this.height,
      bitrateBps: now - this.lastPacketAt > 2 * BITRATE_WINDOW_MS ? 0 : this.bitrate,
      unannouncedPackets: this.unannounced,
      lastPacketAt: this.lastPacketAt,
    };
  }

  /** Forgets the latency samples so far, so that a measuring window starts clean. */
  restartLatency(): void {
    this.latency.reset();
  }

  /** Latency samples (bounded reservoir), for merging into a room's percentiles. */
  get latencySamples(): readonly number[] {
    return this.latency.reservoir;
  }
}
