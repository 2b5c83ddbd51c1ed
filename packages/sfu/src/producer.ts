import { EventEmitter } from 'node:events';
import type { Track } from 'node-datachannel';
import type { TwccRecorder } from './bwe/index.js';
import { AUDIO_LEVEL_EXTENSION_ID, CLOCK_RATE, PAYLOAD_TYPE, RID_EXTENSION_ID, TRANSPORT_CC_EXTENSION_ID, type MediaKind } from './codecs.js';
import type { SfuCounters } from './counters.js';
import type { PacketTap } from './packet-tap.js';
import { LayerDemand } from './layer-demand.js';
import { ProducerLayer } from './producer-layer.js';
import {
  NackGenerator,
  buildNack,
  buildPli,
  buildReceiverReport,
  createRtpHeader,
  extensionLengthAt,
  findHeaderExtension,
  readRtpStreamId,
  isVp8Keyframe,
  parseRtpHeaderInto,
  readAudioLevel,
  readVp8KeyframeSize,
  readVp8PictureId,
  readVp8Tl0PicIdx,
  setSequenceNumber,
  setSsrc,
  setTimestamp,
  setVp8PictureId,
  setVp8Tl0PicIdx,
  type ReportBlock,
  type RtpHeader,
  type RtcpSenderReport,
} from './rtp/index.js';

/** The last RTCP sender report of a publisher: its mapping of RTP time to wall-clock (RFC 3550 §6.4.1). */
export type SenderReportInfo = Pick<RtcpSenderReport, 'ntpSeconds' | 'ntpFraction' | 'rtpTimestamp'>;

/** Keyframe requests for one layer are coalesced to at most one per interval (RFC 4585 §3.4 spirit). */
const KEYFRAME_REQUEST_INTERVAL_MS = 300;
/** SSRCs a simulcast publisher announced that are still mapped to their rids: the latest few sender (re)starts. */
const MAX_ANNOUNCED_SSRCS = 12;

/**
 * How a track competes for subscribers. `normal` tracks are what subscribers choose among (audio top-N,
 * video by tile); a `high` one goes to every other transport of the router on receiving slots of its
 * own: its video gets the first share of each downlink, its audio is always forwarded.
 */
export type Priority = 'normal' | 'high';

export interface ProducerOptions {
  /** RFC 8853 simulcast: the rids the publisher sends, lowest resolution first. */
  simulcast?: readonly string[];
  /** Default `normal`. */
  priority?: Priority;
}

interface ProducerEvents {
  /** RFC 6464 level, 0 (loudest) … 127 (silence), per audio packet. */
  'audio-level': [level: number];
  /** The first RTP packet arrived: there is something to consume. */
  live: [];
  /** Forwarding stopped or started again (`pause()` / `resume()`). */
  paused: [paused: boolean];
  /** The rids of the simulcast layers anybody needs changed: the publisher should send only these. */
  'send-layers': [rids: string[]];
  close: [];
}

/**
 * One incoming track from a publisher, with one layer per simulcast encoding (or a single layer). It
 * fans each RTP packet out to the consumers of its layer, switches consumers between layers at
 * keyframes, keeps recent video packets to answer retransmission requests, and speaks RTCP back to the
 * publisher (receiver reports, NACKs, keyframe requests).
 */
export class Producer extends EventEmitter<ProducerEvents> {
  readonly clockRate: number;
  readonly layers: readonly ProducerLayer[];
  readonly priority: Priority;
  /** Whether any RTP has arrived; a muted-from-the-start camera stays not live. */
  live = false;
  /**
   * Paused: packets are still received (for the publisher's RTCP and congestion control) but reach
   * nobody and carry no audio level, whatever the publisher sends.
   */
  paused = false;
  private readonly layerBySsrc = new Map<number, ProducerLayer>();
  /** SSRC → rid as the client announced them (a fallback for packets without the rid extension). */
  private readonly announcedRids = new Map<number, string>();
  /** All packets belong to the first layer: no simulcast configured, or the client declined it in its answer. */
  private singleStream: boolean;
  private lastSsrc = -1;
  private lastLayer: ProducerLayer | null = null;
  private readonly keyframeRequestedAt: number[];
  private readonly keyframeTimers: (NodeJS.Timeout | null)[];
  private closed = false;
  /** Reused for every packet: the forwarding loop allocates nothing. */
  private readonly header = createRtpHeader();
  /** Records arrivals for the publisher's congestion control (the transport's, shared by its tracks). */
  twcc: TwccRecorder | null = null;
  /** A diagnostic copy of every parsed packet goes here while set (see `Sfu.setPacketTap`). */
  tap: PacketTap | null = null;
  private readonly demand: LayerDemand;

  constructor(
    readonly id: string,
    readonly kind: MediaKind,
    /** Id of the transport that publishes this track. */
    readonly transportId: string,
    private readonly track: Track,
    /** SSRC this server uses as the sender of its RTCP towards the publisher. */
    private readonly rtcpSsrc: number,
    private readonly counters: SfuCounters,
    options: ProducerOptions = {},
  ) {
    super();
    this.clockRate = CLOCK_RATE[kind];
    this.priority = options.priority ?? 'normal';
    const rids = kind === 'video' && options.simulcast !== undefined && options.simulcast.length > 0 ? options.simulcast : [null];
    this.layers = rids.map((rid, index) => new ProducerLayer(this, index, rid));
    this.demand = new LayerDemand(this.layers.length);
    this.singleStream = !this.simulcast;
    this.keyframeRequestedAt = this.layers.map(() => -Infinity);
    this.keyframeTimers = this.layers.map(() => null);
  }

  get simulcast(): boolean {
    return this.layers[0]!.rid !== null;
  }

  /** Whether subscribers should be given this track: something arrived, and it is not paused. */
  get forwarding(): boolean {
    return this.live && !this.paused;
  }

  /** Stops forwarding at once, with the next packet; a publisher that keeps sending is not heard. */
  pause(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.emit('paused', true);
  }

  /** Forwards again; video subscribers need a keyframe to start decoding after the gap. */
  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    for (const layer of this.layers) this.requestKeyframe(layer.index);
    this.emit('paused', false);
  }

  /** SSRC of the lowest layer (the only one without simulcast); 0 until known. */
  get ssrc(): number {
    return this.layers[0]!.ssrc;
  }

  /**
   * The highest layer any subscriber's tile wants now (-1: nobody watches). Layers above it are paused at
   * the publisher after a while (`send-layers`), and resumed at once when wanted again.
   */
  setLayerDemand(highest: number, nowMs: number): void {
    if (!this.simulcast || this.singleStream) return;
    if (this.demand.update(highest, nowMs) !== null) this.emit('send-layers', this.sendLayers);
  }

  /** The rids the publisher was last asked to send (all of them until first lowered). */
  get sendLayers(): string[] {
    return this.layers.slice(0, this.demand.count).flatMap((l) => (l.rid === null ? [] : [l.rid]));
  }

  /** The SSRC announced in the publisher's answer, for a track without simulcast. */
  setSsrc(ssrc: number): void {
    if (this.singleStream) this.adopt(this.layers[0]!, ssrc);
  }

  /** The client answered without simulcast (RFC 8853 §5.3): it sends one stream, the first layer. */
  declineSimulcast(): void {
    this.singleStream = true;
  }

  /** SSRCs of simulcast encodings as the client reported them; unknown rids are ignored. */
  announceStreams(streams: readonly { rid: string; ssrc: number }[]): void {
    for (const { rid, ssrc } of streams) {
      if (!this.layers.some((l) => l.rid === rid)) continue;
      this.announcedRids.delete(ssrc >>> 0);
      this.announcedRids.set(ssrc >>> 0, rid);
    }
    // The latest announcements only (a sender restart brings new SSRCs; old ones never come back).
    for (const ssrc of this.announcedRids.keys()) {
      if (this.announcedRids.size <= MAX_ANNOUNCED_SSRCS) break;
      this.announcedRids.delete(ssrc);
    }
  }

  /** Hot path: every RTP packet the publisher sends on this track. */
  receive(packet: Buffer, nowMs: number): void {
    if (this.closed) return;
    const header = this.header;
    if (!parseRtpHeaderInto(packet, header) || header.payloadType !== PAYLOAD_TYPE[this.kind]) {
      this.counters.malformedPackets++;
      return;
    }
    if (this.tap !== null) this.tapPacket(this.tap, packet, header);
    const layer = header.ssrc === this.lastSsrc ? this.lastLayer : this.layerFor(packet);
    if (layer === null) {
      this.counters.malformedPackets++;
      return;
    }
    // The transport-wide sequence number: recorded for the publisher's feedback, rewritten per subscriber.
    const twccOffset = transportSequenceOffset(packet, header);
    if (twccOffset >= 0 && this.twcc !== null) this.twcc.onPacket((packet[twccOffset]! << 8) | packet[twccOffset + 1]!, nowMs);
    layer.stats?.onPacket(header.sequenceNumber, header.timestamp, nowMs, packet.length);
    layer.onPacket(packet.length, nowMs);
    this.counters.packetsReceived++;
    if (this.paused) return;
    if (!this.live) {
      this.live = true;
      this.emit('live');
    }

    let keyframe = false;
    if (this.kind === 'audio') {
      const level = readAudioLevel(packet, header, AUDIO_LEVEL_EXTENSION_ID);
      if (level >= 0) this.emit('audio-level', level);
    } else {
      layer.nack?.onPacket(header.sequenceNumber, nowMs);
      layer.cache?.put(header.sequenceNumber, packet);
      keyframe = isVp8Keyframe(packet, header.payloadOffset, header.payloadLength);
      if (keyframe) {
        // The picture size decides which layer fits a subscriber's tile.
        const size = readVp8KeyframeSize(packet, header.payloadOffset, header.payloadLength);
        if (size >= 0) {
          layer.width = size >>> 16;
          layer.height = size & 0xffff;
        }
      }
    }

    if (layer.pending.size > 0) {
      // Audio can switch anywhere; video only where the decoder can start: a keyframe.
      if (this.kind === 'audio' || keyframe) {
        for (const consumer of layer.pending) consumer.activate(layer);
        layer.pending.clear();
      } else {
        this.requestKeyframe(layer.index, nowMs);
      }
    }
    if (layer.consumers.size === 0) return;

    // Consumers rewrite the header in place before each send (the send copies), then the original is
    // restored so the cached packet stays the publisher's.
    const pictureId = this.kind === 'video' ? readVp8PictureId(packet, header.payloadOffset, header.payloadLength) : -1;
    const tl0 = pictureId >= 0 ? readVp8Tl0PicIdx(packet, header.payloadOffset, header.payloadLength) : -1;
    for (const consumer of layer.consumers) consumer.forward(packet, header, keyframe, pictureId, tl0, twccOffset, nowMs);
    setSsrc(packet, header.ssrc);
    setSequenceNumber(packet, header.sequenceNumber);
    setTimestamp(packet, header.timestamp);
    if (pictureId >= 0) setVp8PictureId(packet, header.payloadOffset, header.payloadLength, pictureId);
    if (tl0 >= 0) setVp8Tl0PicIdx(packet, header.payloadOffset, header.payloadLength, tl0);
  }

  private tapPacket(tap: PacketTap, packet: Buffer, header: RtpHeader): void {
    // A copy (Buffer#subarray would share memory): consumers rewrite the packet in place as it goes out.
    const payload = new Uint8Array(packet.subarray(header.payloadOffset, header.payloadOffset + header.payloadLength));
    tap({ transportId: this.transportId, kind: this.kind, ssrc: header.ssrc, payloadType: header.payloadType, marker: header.marker, payload });
  }

  /** The layer a new SSRC belongs to: by its rid header extension (RFC 8852), else as announced. */
  private layerFor(packet: Buffer): ProducerLayer | null {
    const ssrc = this.header.ssrc;
    let layer = this.layerBySsrc.get(ssrc) ?? null;
    if (layer === null) {
      if (!this.singleStream) {
        const rid = readRtpStreamId(packet, this.header, RID_EXTENSION_ID) ?? this.announcedRids.get(ssrc);
        layer = this.layers.find((l) => l.rid === rid) ?? null;
        if (layer === null) return null;
      } else {
        // A publisher whose answer did not announce its SSRC (or that restarted its sender) is adopted here.
        layer = this.layers[0]!;
      }
      this.adopt(layer, ssrc);
    }
    this.lastSsrc = ssrc;
    this.lastLayer = layer;
    return layer;
  }

  private adopt(layer: ProducerLayer, ssrc: number): void {
    if (ssrc === layer.ssrc) return;
    if (layer.ssrc !== 0) this.layerBySsrc.delete(layer.ssrc);
    this.layerBySsrc.set(ssrc, layer);
    this.lastSsrc = -1;
    // Asks the publisher to resend lost video (RFC 4585 §6.2.1): a lost packet would freeze every subscriber.
    const nack =
      this.kind === 'video'
        ? new NackGenerator((lost) => {
            const sent = this.sendRtcp(buildNack(this.rtcpSsrc, ssrc, lost));
            if (sent) this.counters.nacksSent++;
            return sent;
          })
        : null;
    layer.resetStream(ssrc, this.clockRate, nack);
  }

  /** A sender report from the publisher; ignored unless it is about one of this track's streams. */
  onSenderReport(p: RtcpSenderReport, nowMs: number): void {
    const layer = this.layerBySsrc.get(p.ssrc);
    if (layer === undefined || this.closed) return;
    layer.lastSenderReport = { ntpSeconds: p.ntpSeconds, ntpFraction: p.ntpFraction, rtpTimestamp: p.rtpTimestamp };
    layer.stats?.onSenderReport(p.ntpSeconds, p.ntpFraction, nowMs);
    // Subscribers get the same wall-clock mapping, translated to their timestamps, so audio and video
    // from one publisher stay in sync (RFC 3550 §6.4.1).
    for (const consumer of layer.consumers) consumer.sendSenderReport(layer.lastSenderReport);
  }

  /** Asks the publisher for a keyframe on a layer (RFC 4585 §6.3.1 PLI), coalescing bursts of requests. */
  requestKeyframe(layerIndex = 0, nowMs: number = performance.now()): void {
    const layer = this.layers[layerIndex];
    if (this.kind !== 'video' || this.closed || layer === undefined || this.keyframeTimers[layerIndex] !== null) return;
    const wait = this.keyframeRequestedAt[layerIndex]! + KEYFRAME_REQUEST_INTERVAL_MS - nowMs;
    if (wait > 0) {
      this.keyframeTimers[layerIndex] = setTimeout(() => {
        this.keyframeTimers[layerIndex] = null;
        this.requestKeyframe(layerIndex);
      }, wait);
      return;
    }
    if (layer.ssrc === 0 || !this.track.isOpen()) return;
    this.keyframeRequestedAt[layerIndex] = nowMs;
    this.sendRtcp(buildPli(this.rtcpSsrc, layer.ssrc));
    this.counters.keyframeRequests++;
  }

  /** Re-asks for packets whose retransmission is overdue; called every few tens of milliseconds. */
  tick(nowMs: number): void {
    for (const layer of this.layers) layer.nack?.tick(nowMs);
  }

  /** RFC 3550 §6.4.2 receiver report about this publisher's streams. */
  sendReceiverReport(nowMs: number): void {
    const blocks: ReportBlock[] = [];
    for (const layer of this.layers) if (layer.stats !== null && layer.stats.packets > 0) blocks.push(layer.stats.reportBlock(nowMs));
    if (blocks.length > 0) this.sendRtcp(buildReceiverReport(this.rtcpSsrc, blocks));
  }

  /** Whether RTCP can be sent on this track now (DTLS is up). */
  get canSendRtcp(): boolean {
    return !this.closed && this.track.isOpen();
  }

  /** Sends RTCP to the publisher on this track (any RTCP of the transport may go on any of its tracks). */
  sendRtcp(packet: Buffer): boolean {
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
    for (const timer of this.keyframeTimers) if (timer !== null) clearTimeout(timer);
    for (const layer of this.layers) {
      layer.detachAll();
      layer.cache?.clear();
    }
    this.emit('close');
  }
}


/** Where a packet's 2-byte transport-wide sequence number is (extensions-01 §2), or -1. */
export function transportSequenceOffset(packet: Buffer, header: RtpHeader): number {
  const at = findHeaderExtension(packet, header, TRANSPORT_CC_EXTENSION_ID);
  return at >= 0 && extensionLengthAt(packet, header, at) === 2 ? at : -1;
}
