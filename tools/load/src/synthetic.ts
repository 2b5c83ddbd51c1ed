// Synthetic media that looks like the real thing on the wire: VP8 video (RFC 7741 packetization)
// and Opus audio with the RFC 6464 audio-level header extension. Payload bytes are filler, except
// for a probe at the end of every payload that carries the send time, so subscribers can measure
// one-way latency (sender and receiver share a machine, hence a clock).

import { randomInt } from 'node:crypto';

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

// ---- latency probe ----

/** "Trff": marks a payload written by a Treff bot. */
export const PROBE_MAGIC = 0x54726666;
/** Magic (4 bytes) + send time as float64 milliseconds (8 bytes), at the end of the payload. */
export const PROBE_LENGTH = 12;

export function writeProbe(buf: Buffer, payloadEnd: number, sendTimeMs: number): void {
  buf.writeUInt32BE(PROBE_MAGIC, payloadEnd - PROBE_LENGTH);
  buf.writeDoubleBE(sendTimeMs, payloadEnd - 8);
}

/** The send time of a bot's packet, or -1 when the payload carries no probe. */
export function readProbe(buf: Buffer, payloadOffset: number, payloadLength: number): number {
  if (payloadLength < PROBE_LENGTH) return -1;
  const end = payloadOffset + payloadLength;
  if (buf.readUInt32BE(end - PROBE_LENGTH) !== PROBE_MAGIC) return -1;
  return buf.readDoubleBE(end - 8);
}

// ---- generators ----

export interface MediaGenerator {
  readonly ssrc: number;
  readonly packetsPerSecond: number;
  /** Builds the next packet, stamped with `sendTimeMs`. */
  next(sendTimeMs: number): Buffer;
  /** Called on PLI/FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1); audio ignores it. */
  requestKeyframe(): void;
  readonly keyframesSent: number;
}

export interface VideoSourceOptions {
  packetsPerSecond: number;
  framesPerSecond: number;
  /** RTP payload size in bytes (descriptor, VP8 header, filler and probe). */
  payloadBytes: number;
  /** Periodic keyframe interval, besides the ones PLI/FIR ask for. */
  keyframeIntervalMs: number;
}

export const DEFAULT_VIDEO: VideoSourceOptions = { packetsPerSecond: 100, framesPerSecond: 30, payloadBytes: 1100, keyframeIntervalMs: 3000 };

/**
 * VP8 payload descriptor as written here (RFC 7741 §4.2), 4 bytes:
 *   byte 0: X=1, N=0, S=start of partition, PID=0
 *   byte 1: I=1 (PictureID present), L=T=K=0
 *   bytes 2-3: M=1 and a 15-bit PictureID, incremented per frame
 */
export const VP8_DESCRIPTOR_LENGTH = 4;
/** Payload header of a key frame (RFC 6386 §9.1): 3-byte frame tag, start code, width, height. */
const VP8_KEYFRAME_HEADER = 10;
const VP8_INTERFRAME_HEADER = 3;

/** One VP8 frame spread over ceil(pps / fps) packets; marker on the last packet of a frame. */
export class Vp8Generator implements MediaGenerator {
  readonly ssrc: number;
  readonly packetsPerSecond: number;
  keyframesSent = 0;
  private readonly payloadType: number;
  private readonly payloadBytes: number;
  private readonly packetsPerFrame: number;
  private readonly timestampStep: number;
  private readonly keyframeIntervalMs: number;
  private seq = randomInt(0x10000);
  private readonly timestampBase = randomInt(0x7fffffff);
  private pictureId = randomInt(0x8000);
  private packetIndex = 0;
  private frameIsKey = false;
  private keyframePending = true; // the first frame is a key frame, as with a real encoder
  private lastKeyframeAt = -Infinity;

  constructor(ssrc: number, payloadType: number, options: VideoSourceOptions) {
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.packetsPerSecond = options.packetsPerSecond;
    // Room for descriptor, the larger (key frame) header and the probe.
    this.payloadBytes = Math.max(options.payloadBytes, VP8_DESCRIPTOR_LENGTH + VP8_KEYFRAME_HEADER + PROBE_LENGTH);
    this.packetsPerFrame = Math.max(1, Math.round(options.packetsPerSecond / options.framesPerSecond));
    // RFC 7741 §4.1: 90 kHz clock; all packets of a frame share its timestamp.
    this.timestampStep = Math.round(90000 / options.framesPerSecond);
    this.keyframeIntervalMs = options.keyframeIntervalMs;
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
    const buf = Buffer.alloc(RTP_HEADER + this.payloadBytes);
    writeRtpHeader(
      buf,
      {
        payloadType: this.payloadType,
        marker: pos === this.packetsPerFrame - 1, // RFC 7741 §4.1: M=1 on the last packet of a frame
        sequenceNumber: this.seq,
        timestamp: this.timestampBase + frame * this.timestampStep,
        ssrc: this.ssrc,
      },
      false,
    );
    let p = RTP_HEADER;
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
        // RFC 6386 §9.1: key frames continue with the start code 9d 01 2a and 14-bit width/height.
        buf[p++] = 0x9d;
        buf[p++] = 0x01;
        buf[p++] = 0x2a;
        buf.writeUInt16LE(640, p);
        buf.writeUInt16LE(360, p + 2);
      }
    }
    writeProbe(buf, buf.length, sendTimeMs);
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
  readonly keyframesSent = 0;
  level: number;
  voiceActivity: boolean;
  private readonly payloadType: number;
  private readonly payloadBytes: number;
  private readonly audioLevelId: number;
  private seq = randomInt(0x10000);
  private readonly timestampBase = randomInt(0x7fffffff);
  private index = 0;

  /** `audioLevelId` is the extmap id the offer gave the audio level extension; 0 omits it. */
  constructor(ssrc: number, payloadType: number, audioLevelId: number, options: AudioSourceOptions) {
    this.ssrc = ssrc;
    this.payloadType = payloadType;
    this.audioLevelId = audioLevelId;
    this.payloadBytes = Math.max(options.payloadBytes, 1 + PROBE_LENGTH);
    this.level = options.level;
    this.voiceActivity = options.voiceActivity;
  }

  requestKeyframe(): void {}

  next(sendTimeMs: number): Buffer {
    const hasExtension = this.audioLevelId >= 1 && this.audioLevelId <= 14;
    // RFC 8285 §4.2 one-byte form: 0xBEDE, length 1 word, element (id, L=0) + level, 2 padding bytes.
    const extensionBytes = hasExtension ? 8 : 0;
    const buf = Buffer.alloc(RTP_HEADER + extensionBytes + this.payloadBytes);
    writeRtpHeader(
      buf,
      {
        payloadType: this.payloadType,
        marker: this.index === 0, // RFC 3551 §4.1: first packet of a talkspurt
        sequenceNumber: this.seq,
        timestamp: this.timestampBase + this.index * 960, // 20 ms at 48 kHz
        ssrc: this.ssrc,
      },
      hasExtension,
    );
    let p = RTP_HEADER;
    if (hasExtension) {
      buf.writeUInt16BE(0xbede, p);
      buf.writeUInt16BE(1, p + 2);
      buf[p + 4] = this.audioLevelId << 4; // L=0: one data byte
      // RFC 6464 §3: V bit, then the level in -dBov.
      buf[p + 5] = (this.voiceActivity ? 0x80 : 0) | (Math.max(0, Math.min(127, Math.round(this.level))) & 0x7f);
      p += extensionBytes;
    }
    // RFC 6716 §3.1 TOC byte: config 15 (hybrid fullband, 20 ms), mono, one frame.
    buf[p] = 15 << 3;
    writeProbe(buf, buf.length, sendTimeMs);
    this.seq = (this.seq + 1) & 0xffff;
    this.index++;
    return buf;
  }
}
