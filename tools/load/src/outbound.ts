// The publishing side of a bot: one stream per sent encoding (the audio track, the video track or
// each of its simulcast layers), paced by the shared ticker, stamping the transport-wide sequence
// number of its PeerConnection when negotiated, answering the server's keyframe requests and NACKs.

import type { Track } from 'node-datachannel';
import { rtp } from '@treff/sfu';
import type { MediaKind } from '@treff/protocol';
import { nowMs } from './clock.js';
import { addTick } from './ticker.js';
import type { TransportSequence } from './rtp-extensions.js';
import type { MediaGenerator } from './synthetic.js';

export interface OutboundStats {
  kind: MediaKind;
  mid: string | null;
  ssrc: number;
  /** RFC 8851 rid of a simulcast encoding, null otherwise. */
  rid: string | null;
  packets: number;
  bytes: number;
  keyframes: number;
  plisReceived: number;
  firsReceived: number;
  nacksReceived: number;
  retransmitted: number;
  /** Packets not sent because the track was not open (or the send threw). */
  dropped: number;
  /** Packets skipped because the event loop fell too far behind the schedule. */
  skipped: number;
}

/** Longest catch-up after a stall; beyond it the schedule moves on (counted as skipped packets). */
const MAX_BURST_MS = 200;

export interface OutboundOptions {
  rid?: string | null;
  /** The PeerConnection's transport-wide counter; stamped when the generator writes the extension. */
  transportSequence?: TransportSequence | null;
}

export class OutboundStream {
  readonly kind: MediaKind;
  readonly generator: MediaGenerator;
  readonly rid: string | null;
  private readonly transportSequence: TransportSequence | null;
  private track: Track | null = null;
  private mid: string | null = null;
  private startedAt = -1;
  private scheduled = 0;
  private enabled = true;
  /** A simulcast encoding the server said nobody receives (`send-layers`); independent of muting. */
  private paused = false;
  private stopTick: (() => void) | null = null;
  // RFC 4585 §6.2.1: retransmit what the server NACKs; 1024 packets is ~10 s of video at 100 pps.
  private readonly cache = new rtp.PacketCache(1024);
  private readonly stats: Omit<OutboundStats, 'kind' | 'mid' | 'ssrc' | 'rid' | 'keyframes'> = {
    packets: 0,
    bytes: 0,
    plisReceived: 0,
    firsReceived: 0,
    nacksReceived: 0,
    retransmitted: 0,
    dropped: 0,
    skipped: 0,
  };

  constructor(kind: MediaKind, generator: MediaGenerator, options: OutboundOptions = {}) {
    this.kind = kind;
    this.generator = generator;
    this.rid = options.rid ?? null;
    this.transportSequence = generator.transportSequenceOffset >= 0 ? (options.transportSequence ?? null) : null;
  }

  get ssrc(): number {
    return this.generator.ssrc;
  }

  /** Sends on `track` (the transceiver of the send slot `mid`) from now on. */
  bind(mid: string, track: Track): void {
    this.mid = mid;
    this.track = track;
    if (this.stopTick === null) this.stopTick = addTick((t) => this.sendDue(t), nowMs);
  }

  /** Pauses or resumes sending (like muting: the transceiver stays, packets stop). */
  setEnabled(enabled: boolean): void {
    if (enabled && !this.enabled) this.startedAt = -1; // restart the schedule, do not burst
    this.enabled = enabled;
  }

  /** Pauses or resumes this encoding alone; a resumed encoding starts with a key frame, as a browser's does. */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (!paused) {
      this.startedAt = -1;
      this.generator.requestKeyframe();
    }
  }

  stop(): void {
    this.stopTick?.();
    this.stopTick = null;
    this.track = null;
  }

  /**
   * Sends what is due: whole frames (all packets of a frame at once, as an encoder hands them to
   * the network), `packetsPerSecond / packetsPerFrame` frames per second from the schedule's start.
   * Called by the shared ticker; public so that tests can drive a stream's clock.
   */
  sendDue(now: number): void {
    const track = this.track;
    if (track === null || !this.enabled || this.paused || !track.isOpen()) return;
    const perFrame = this.generator.packetsPerFrame;
    const framesPerSecond = this.generator.packetsPerSecond / perFrame;
    if (this.startedAt < 0) {
      this.startedAt = now;
      this.scheduled = 0;
    }
    let due = Math.floor(((now - this.startedAt) * framesPerSecond) / 1000) + 1 - this.scheduled;
    const maxBurst = Math.max(1, Math.ceil((MAX_BURST_MS * framesPerSecond) / 1000));
    if (due > maxBurst) {
      this.stats.skipped += (due - maxBurst) * perFrame;
      this.scheduled += due - maxBurst;
      due = maxBurst;
    }
    for (let i = 0; i < due * perFrame; i++) {
      if (i % perFrame === 0) this.scheduled++;
      const packet = this.generator.next(now);
      if (this.send(track, packet)) {
        this.stats.packets++;
        this.stats.bytes += packet.length;
        this.cache.put(rtp.readSequenceNumber(packet), packet);
      } else {
        this.stats.dropped++;
      }
    }
  }

  private send(track: Track, packet: Buffer): boolean {
    // Every packet, a retransmission too, takes the next transport-wide number (as browsers do).
    if (this.transportSequence !== null) this.transportSequence.stamp(packet, this.generator.transportSequenceOffset);
    try {
      return track.sendMessageBinary(packet);
    } catch {
      // "Track is not open" races with a closing PeerConnection; counted by the caller.
      return false;
    }
  }

  /** Handles RTCP feedback arriving on this stream's track; returns true if it was for us. */
  onFeedback(packet: rtp.RtcpPacket): boolean {
    switch (packet.kind) {
      case 'pli':
        if (packet.mediaSsrc !== this.ssrc) return false;
        this.stats.plisReceived++;
        this.generator.requestKeyframe();
        return true;
      case 'fir':
        // RFC 5104 §4.3.1.2: the target is in the FCI, not in the media source field.
        if (!packet.entries.some((e) => e.ssrc === this.ssrc)) return false;
        this.stats.firsReceived++;
        this.generator.requestKeyframe();
        return true;
      case 'nack': {
        if (packet.mediaSsrc !== this.ssrc) return false;
        this.stats.nacksReceived++;
        const track = this.track;
        if (track === null) return true;
        for (const seq of packet.lost) {
          const cached = this.cache.get(seq);
          // Plain retransmission with the original header: no RTX negotiated (RFC 4588).
          if (cached && this.send(track, cached)) this.stats.retransmitted++;
        }
        return true;
      }
      default:
        return false;
    }
  }

  snapshot(): OutboundStats {
    return { kind: this.kind, mid: this.mid, ssrc: this.ssrc, rid: this.rid, keyframes: this.generator.keyframesSent, ...this.stats };
  }
}
