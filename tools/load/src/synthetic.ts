// Synthetic media that looks like the real thing on the wire: VP8 video (RFC 7741 packetization,
// RFC 6386 key frame headers) and Opus audio with the RFC 6464 audio-level header extension, plus
// the rid (RFC 8852) and transport-wide sequence extensions when the offer negotiated them. Payload
// bytes are filler, except for a probe at the end of every payload (probe.ts): send time, origin
// and simulcast layer, so subscribers can measure latency and attribute packets exactly.

import { randomInt } from 'node:crypto';
import { NO_LAYER, PROBE_LENGTH, writeProbe } from './probe.js';
import { OneByteExtensionBlock, type ExtensionElement } from './rtp-extensions.js';

export { PROBE_LENGTH, PROBE_MAGIC, readProbe, writeProbe } from './probe.js';

/** Size of the RTP fixed header (RFC 3550 §5.1); the bots never add CSRCs. */
const RTP_HEADER = 12;

export interface RtpFields {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
}

/** Writes the RTP fixed header (RFC 3550 §5.1): V=2, P=0, X as given, CC=0. */
export function writeRtpHeader(buf: Buffer, f: RtpFields, hasExtension: boolean): void {
  buf[0] = 0x80 | (hasExtension ? 0x10 : 0);
  buf[1] = (f.marker ? 0x80 : 0) | (f.payloadType & 0x7f);
  buf.writeUInt16BE(f.sequenceNumber & 0xffff, 2);
  buf.writeUInt32BE(f.timestamp >>> 0, 4);
  buf.writeUInt32BE(f.ssrc >>> 0, 8);
}

// ---- generators ----

export interface MediaGenerator {
  readonly ssrc: number;
  readonly packetsPerSecond: number;
  /** Packets of one frame, sent together (1 for audio). */
  readonly packetsPerFrame: number;
  /** Offset of the transport-wide sequence number in every packet, -1 when not negotiated. */
  readonly transportSequenceOffset: number;
  /** Builds the next packet, stamped with `sendTimeMs`. */
  next(sendTimeMs: number): Buffer;
  /** Called on PLI/FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1); audio ignores it. */
  requestKeyframe(): void;
  readonly keyframesSent: number;
}

/** What every stream of a bot writes besides media: its identity in the probe and its extensions. */
export interface StreamTags {
  /** `originTag` of the publisher's participant id, written into every probe. */
  origin?: number;
  /** Transport-wide sequence extension id (RFC 8285 local id), 0 or absent when not negotiated. */
  transportCcId?: number;
}

export interface VideoStreamTags extends StreamTags {
  /** Simulcast layer index (0 = lowest), written into the probe. */
  layer?: number;
  /** RFC 8852 RtpStreamId extension id and the rid it carries in every packet. */
  rid?: { id: number; value: string };
}

export interface VideoSourceOptions {
  packetsPerSecond: number;
  framesPerSecond: number;
  /** RTP payload size in bytes (descriptor, VP8 header, filler and probe). */
  payloadBytes: number;
  /** Periodic keyframe interval, besides the ones PLI/FIR ask for. */
  keyframeIntervalMs: number;
  /** Picture size written into key frames (RFC 6386 §9.1); 640×360 when absent. */
  width?: number;
  height?: number;
}

export const DEFAULT_VIDEO: VideoSourceOptions = { packetsPerSecond: 100, framesPerSecond: 30, payloadBytes: 1100, keyframeIntervalMs: 3000, width: 640, height: 360 };

/**
 * VP8 payload descriptor as written here (RFC 7741 §4.2), 4 bytes:
 *   byte 0: X=1, N=0, S=start of partition, PID=0
 *   byte 1: I=1 (PictureID present), L=T=K=0
 *   bytes 2-3: M=1 and a 15-bit PictureID, incremented per frame
 */
export const VP8_DESCRIPTOR_LENGTH = 4;
/** Payload header of a key frame (RFC 6386 §9.1): 3-byte frame tag, start code, width, height. */
const VP8_KEYFRAME_HEADER = 10;

function extensionElements(tags: VideoStreamTags | StreamTags, first: ExtensionElement[] = []): ExtensionElement[] {
  const elements = [...first];
  const rid = (tags as VideoStreamTags).rid;
  if (rid && rid.id > 0) elements.push({ id: rid.id, data: Buffer.from(rid.value, 'ascii') });
  if (tags.transportCcId && tags.transportCcId > 0) elements.push({ id: tags.transportCcId, data: Buffer.alloc(2) });
  return elements;
}

/** One VP8 frame spread over ceil(pps / fps) packets; marker on the last packet of a frame. */
export class Vp8Generator implements MediaGenerator {
  readonly ssrc: number;
  readonly packetsPerSecond: number;
  readonly transportSequenceOffset: number;
  readonly width: number;
  readonly height: number;
  keyframesSent = 0;
  private readonly payloadType: number;
  readonly packetsPerFrame: number;
  private readonly payloadBytes: number;
  private readonly timestampStep: number;
  private readonly keyframeIntervalMs: number;
  private readonly extensions: OneByteExtensionBlock;
  private readonly origin: number;
  private readonly layer: number;
  private seq = randomInt(0x10000);
  private readonly timestampBase = randomInt(0x7fffffff);
  private pictureId = randomInt(0x8000);
  private packetIndex = 0;
  private frameIsKey = false;
  private keyframePending = true; // the first frame is a key frame, as with a real encoder
  private lastKeyframeAt = -Infinity;

  constructor(ssrc: number, payloadType: number, options: VideoSourceOptions, tags: VideoStreamTags = {}) {
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.packetsPerSecond = options.packetsPerSecond;
    // Room for descriptor, the larger (key frame) header and the probe.
    this.payloadBytes = Math.max(options.payloadBytes, VP8_DESCRIPTOR_LENGTH + VP8_KEYFRAME_HEADER + PROBE_LENGTH);
    this.packetsPerFrame = Math.max(1, Math.round(options.packetsPerSecond / options.framesPerSecond));
    // RFC 7741 §4.1: 90 kHz clock; all packets of a frame share its timestamp. Frames go out at
    // packetsPerSecond / packetsPerFrame per second, and the timestamps advance at that real rate.
    this.timestampStep = Math.round((90000 * this.packetsPerFrame) / options.packetsPerSecond);
    this.keyframeIntervalMs = options.keyframeIntervalMs;
    this.width = options.width ?? 640;
    this.height = options.height ?? 360;
    this.extensions = new OneByteExtensionBlock(extensionElements(tags));
    this.transportSequenceOffset = tags.transportCcId ? RTP_HEADER + this.extensions.dataOffset(tags.transportCcId) : -1;
    this.origin = tags.origin ?? 0;
    this.layer = tags.layer ?? NO_LAYER;
  }

  requestKeyframe(): void {
    this.keyframePending = true;
  }

  next(sendTimeMs: number): Buffer {
    const pos = this.packetIndex % this.packetsPerFrame;
    const frame = Math.floor(this.packetIndex / this.packetsPerFrame);
    if (pos === 0) {
      // A key frame can only begin at a frame boundary; requests in mid-frame wait for the next one.
      this.frameIsKey = this.keyframePending || sendTimeMs - this.lastKeyframeAt >= this.keyframeIntervalMs;
      if (this.frameIsKey) {
        this.keyframePending = false;
        this.lastKeyframeAt = sendTimeMs;
        this.keyframesSent++;
      }
      if (frame > 0) this.pictureId = (this.pictureId + 1) & 0x7fff;
    }
    const ext = this.extensions.size;
    const buf = Buffer.alloc(RTP_HEADER + ext + this.payloadBytes);
    writeRtpHeader(
      buf,
      {
        payloadType: this.payloadType,
        marker: pos === this.packetsPerFrame - 1, // RFC 7741 §4.1: M=1 on the last packet of a frame
        sequenceNumber: this.seq,
        timestamp: this.timestampBase + frame * this.timestampStep,
        ssrc: this.ssrc,
      },
      ext > 0,
    );
    if (ext > 0) this.extensions.writeTo(buf, RTP_HEADER);
    let p = RTP_HEADER + ext;
    buf[p++] = 0x80 | (pos === 0 ? 0x10 : 0); // X, S (PID 0)
    buf[p++] = 0x80; // I
    buf[p++] = 0x80 | (this.pictureId >> 8); // M + PictureID high bits
    buf[p++] = this.pictureId & 0xff;
    if (pos === 0) {
      // RFC 6386 §9.1 frame tag, little endian: bit 0 = !key_frame (RFC 7741 §4.3 "P" bit),
      // bits 1-3 version 0, bit 4 show_frame=1, bits 5-23 first partition size.
      const firstPartitionSize = 100;
      const tag = (this.frameIsKey ? 0 : 1) | (1 << 4) | (firstPartitionSize << 5);
      buf[p++] = tag & 0xff;
      buf[p++] = (tag >> 8) & 0xff;
      buf[p++] = (tag >> 16) & 0xff;
      if (this.frameIsKey) {
        // RFC 6386 §9.1: key frames continue with the start code 9d 01 2a, then 14-bit width and
        // height, each with a 2-bit scale above it (0: no upscaling).
        buf[p++] = 0x9d;
        buf[p++] = 0x01;
        buf[p++] = 0x2a;
        buf.writeUInt16LE(this.width & 0x3fff, p);
        buf.writeUInt16LE(this.height & 0x3fff, p + 2);
      }
    }
    writeProbe(buf, buf.length, sendTimeMs, this.origin, this.layer);
    this.seq = (this.seq + 1) & 0xffff;
    this.packetIndex++;
    return buf;
  }
}

export interface AudioSourceOptions {
  payloadBytes: number;
  /** RFC 6464 level in -dBov, 0 (loudest) to 127 (silence). */
  level: number;
  voiceActivity: boolean;
}

export const DEFAULT_AUDIO: AudioSourceOptions = { payloadBytes: 80, level: 40, voiceActivity: true };

/** URI of the client-to-mixer audio level extension (RFC 6464 §4). */
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/** Opus in 20 ms packets (RFC 7587: 48 kHz RTP clock), with the audio level in every packet. */
export class OpusGenerator implements MediaGenerator {
  readonly ssrc: number;
  readonly packetsPerSecond = 50;
  readonly packetsPerFrame = 1;
  readonly keyframesSent = 0;
  readonly transportSequenceOffset: number;
  level: number;
  voiceActivity: boolean;
  private readonly payloadType: number;
  private readonly payloadBytes: number;
  private readonly extensions: OneByteExtensionBlock;
  /** Offset of the audio level byte in every packet, -1 without the extension. */
  private readonly levelOffset: number;
  private readonly origin: number;
  private seq = randomInt(0x10000);
  private readonly timestampBase = randomInt(0x7fffffff);
  private index = 0;

  /** `audioLevelId` is the extmap id the offer gave the audio level extension; 0 omits it. */
  constructor(ssrc: number, payloadType: number, audioLevelId: number, options: AudioSourceOptions, tags: StreamTags = {}) {
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.payloadBytes = Math.max(options.payloadBytes, 1 + PROBE_LENGTH);
    this.level = options.level;
    this.voiceActivity = options.voiceActivity;
    const level = audioLevelId >= 1 && audioLevelId <= 14 ? [{ id: audioLevelId, data: Buffer.alloc(1) }] : [];
    this.extensions = new OneByteExtensionBlock(extensionElements(tags, level));
    this.levelOffset = level.length > 0 ? RTP_HEADER + this.extensions.dataOffset(audioLevelId) : -1;
    this.transportSequenceOffset = tags.transportCcId ? RTP_HEADER + this.extensions.dataOffset(tags.transportCcId) : -1;
    this.origin = tags.origin ?? 0;
  }

  requestKeyframe(): void {}

  next(sendTimeMs: number): Buffer {
    const ext = this.extensions.size;
    const buf = Buffer.alloc(RTP_HEADER + ext + this.payloadBytes);
    writeRtpHeader(
      buf,
      {
        payloadType: this.payloadType,
        marker: this.index === 0, // RFC 3551 §4.1: first packet of a talkspurt
        sequenceNumber: this.seq,
        timestamp: this.timestampBase + this.index * 960, // 20 ms at 48 kHz
        ssrc: this.ssrc,
      },
      ext > 0,
    );
    if (ext > 0) this.extensions.writeTo(buf, RTP_HEADER);
    // RFC 6464 §3: V bit, then the level in -dBov.
    if (this.levelOffset >= 0) buf[this.levelOffset] = (this.voiceActivity ? 0x80 : 0) | (Math.max(0, Math.min(127, Math.round(this.level))) & 0x7f);
    // RFC 6716 §3.1 TOC byte: config 15 (hybrid fullband, 20 ms), mono, one frame.
    buf[RTP_HEADER + ext] = 15 << 3;
    writeProbe(buf, buf.length, sendTimeMs, this.origin);
    this.seq = (this.seq + 1) & 0xffff;
    this.index++;
    return buf;
  }
}
