import { EventEmitter } from 'node:events';
import type { Track } from 'node-datachannel';
import { CLOCK_RATE, type MediaKind, PAYLOAD_TYPE, AUDIO_LEVEL_EXTENSION_ID } from './codecs.js';
import type { Consumer } from './consumer.js';
import {
  NackGenerator,
  PacketCache,
  RtpReceiveStats,
  buildNack,
  buildPli,
  buildReceiverReport,
  isRtcp,
  isVp8Keyframe,
  parseRtcp,
  createRtpHeader,
  parseRtpHeaderInto,
  readAudioLevel,
  setSequenceNumber,
  setSsrc,
  setTimestamp,
  type RtcpSenderReport,
} from './rtp/index.js';
import type { SfuCounters } from './counters.js';

/** The last RTCP sender report of a publisher: its mapping of RTP time to wall-clock (RFC 3550 §6.4.1). */
export type SenderReportInfo = Pick<RtcpSenderReport, 'ntpSeconds' | 'ntpFraction' | 'rtpTimestamp'>;

/** Keyframe requests to one publisher are coalesced to at most one per interval (RFC 4585 §3.4 spirit). */
const KEYFRAME_REQUEST_INTERVAL_MS = 300;

interface ProducerEvents {
  /** RFC 6464 level, 0 (loudest) … 127 (silence), per audio packet. */
  'audio-level': [level: number];
  /** The first RTP packet arrived: there is something to consume. */
  live: [];
  close: [];
}

/**
 * One incoming track from a publisher. It fans each RTP packet out to its consumers, keeps recent video
 * packets to answer retransmission requests, and speaks RTCP back to the publisher (receiver reports,
 * keyframe requests).
 */
export class Producer extends EventEmitter<ProducerEvents> {
  /** The publisher's SSRC, learned from its answer; 0 until then. */
  ssrc = 0;
  readonly clockRate: number;
  readonly cache: PacketCache | null;
  lastSenderReport: SenderReportInfo | null = null;
  /** Whether any RTP has arrived; a muted-from-the-start camera stays not live. */
  live = false;
  private readonly consumers = new Set<Consumer>();
  private stats: RtpReceiveStats | null = null;
  /** Asks the publisher to resend lost video (RFC 4585 §6.2.1): a lost packet would freeze every subscriber. */
  private nack: NackGenerator | null = null;
  private lastKeyframeRequestAt = -Infinity;
  private keyframeTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Reused for every packet: the forwarding loop allocates nothing. */
  private readonly header = createRtpHeader();

  constructor(
    readonly id: string,
    readonly kind: MediaKind,
    /** Id of the transport that publishes this track. */
    readonly transportId: string,
    private readonly track: Track,
    /** SSRC this server uses as the sender of its RTCP towards the publisher. */
    private readonly rtcpSsrc: number,
    private readonly counters: SfuCounters,
  ) {
    super();
    this.clockRate = CLOCK_RATE[kind];
    this.cache = kind === 'video' ? new PacketCache(1024) : null;
  }

  get consumerCount(): number {
    return this.consumers.size;
  }

  setSsrc(ssrc: number): void {
    if (ssrc === this.ssrc) return;
    this.ssrc = ssrc;
    this.stats = new RtpReceiveStats(ssrc, this.clockRate);
    if (this.kind === 'video') {
      this.nack = new NackGenerator((lost) => {
        const sent = this.sendRtcp(buildNack(this.rtcpSsrc, ssrc, lost));
        if (sent) this.counters.nacksSent++;
        return sent;
      });
    }
    this.cache?.clear();
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.add(consumer);
  }

  removeConsumer(consumer: Consumer): void {
    this.consumers.delete(consumer);
  }

  /** Hot path: every packet the publisher sends on this track. */
  receive(packet: Buffer, nowMs: number): void {
    if (this.closed) return;
    if (isRtcp(packet)) {
      this.receiveRtcp(packet, nowMs);
      return;
    }
    const header = this.header;
    if (!parseRtpHeaderInto(packet, header) || header.payloadType !== PAYLOAD_TYPE[this.kind]) {
      this.counters.malformedPackets++;
      return;
    }
    if (header.ssrc !== this.ssrc) {
      // A publisher whose answer did not announce its SSRC (or that restarted its sender) is adopted here.
      this.setSsrc(header.ssrc);
    }
    this.stats?.onPacket(header.sequenceNumber, header.timestamp, nowMs, packet.length);
    this.counters.packetsReceived++;
    if (!this.live) {
      this.live = true;
      this.emit('live');
    }

    let keyframe = false;
    if (this.kind === 'audio') {
      const level = readAudioLevel(packet, header, AUDIO_LEVEL_EXTENSION_ID);
      if (level >= 0) this.emit('audio-level', level);
    } else {
      this.nack?.onPacket(header.sequenceNumber, nowMs);
      this.cache?.put(header.sequenceNumber, packet);
      keyframe = isVp8Keyframe(packet, header.payloadOffset, header.payloadLength);
    }

    // Consumers rewrite SSRC, sequence number and timestamp in place before each send (the send copies),
    // then the original header is restored so the cached packet stays the publisher's.
    for (const consumer of this.consumers) consumer.forward(packet, header, keyframe, nowMs);
    setSsrc(packet, header.ssrc);
    setSequenceNumber(packet, header.sequenceNumber);
    setTimestamp(packet, header.timestamp);
  }

  private receiveRtcp(packet: Buffer, nowMs: number): void {
    const packets = parseRtcp(packet);
    if (packets === null) {
      this.counters.malformedPackets++;
      return;
    }
    for (const p of packets) {
      if (p.kind === 'sr' && p.ssrc === this.ssrc) {
        this.lastSenderReport = { ntpSeconds: p.ntpSeconds, ntpFraction: p.ntpFraction, rtpTimestamp: p.rtpTimestamp };
        this.stats?.onSenderReport(p.ntpSeconds, p.ntpFraction, nowMs);
        // Subscribers get the same wall-clock mapping, translated to their timestamps, so audio and video
        // from one publisher stay in sync (RFC 3550 §6.4.1).
        for (const consumer of this.consumers) consumer.sendSenderReport(this.lastSenderReport);
      }
    }
  }

  /** Asks the publisher for a keyframe (RFC 4585 §6.3.1 PLI), coalescing bursts of requests. */
  requestKeyframe(nowMs: number = performance.now()): void {
    if (this.kind !== 'video' || this.closed || this.keyframeTimer !== null) return;
    const wait = this.lastKeyframeRequestAt + KEYFRAME_REQUEST_INTERVAL_MS - nowMs;
    if (wait > 0) {
      this.keyframeTimer = setTimeout(() => {
        this.keyframeTimer = null;
        this.requestKeyframe();
      }, wait);
      return;
    }
    if (this.ssrc === 0 || !this.track.isOpen()) return;
    this.lastKeyframeRequestAt = nowMs;
    this.sendRtcp(buildPli(this.rtcpSsrc, this.ssrc));
    this.counters.keyframeRequests++;
  }

  /** Re-asks for packets whose retransmission is overdue; called every few tens of milliseconds. */
  tick(nowMs: number): void {
    this.nack?.tick(nowMs);
  }

  /** RFC 3550 §6.4.2 receiver report about this publisher's stream. */
  sendReceiverReport(nowMs: number): void {
    if (this.stats === null || this.stats.packets === 0) return;
    this.sendRtcp(buildReceiverReport(this.rtcpSsrc, [this.stats.reportBlock(nowMs)]));
  }

  /** The original packet with this sequence number, if still cached; used to answer NACKs. */
  cachedPacket(sequenceNumber: number): Buffer | undefined {
    return this.cache?.get(sequenceNumber);
  }

  private sendRtcp(packet: Buffer): boolean {
    if (!this.track.isOpen()) return false;
    try {
      return this.track.sendMessageBinary(packet);
    } catch {
      // The track closed between the check and the send; nothing to report to.
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.keyframeTimer !== null) clearTimeout(this.keyframeTimer);
    for (const consumer of [...this.consumers]) consumer.close();
    this.consumers.clear();
    this.cache?.clear();
    this.emit('close');
  }
}
