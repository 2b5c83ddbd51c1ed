// Helpers shared by the tests of this folder (not exported from index.ts).

/** Deterministic xorshift32 generator so that fuzz failures are reproducible. */
export function makeRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** A random buffer of 0..maxLength bytes; biased so that some start like RTP/RTCP (V=2). */
export function randomBuffer(next: () => number, maxLength: number): Uint8Array {
  const buf = new Uint8Array(next() % (maxLength + 1));
  for (let i = 0; i < buf.length; i++) buf[i] = next() & 0xff;
  if (buf.length > 0 && (next() & 3) !== 0) buf[0] = (buf[0]! & 0x3f) | 0x80;
  return buf;
}

export interface RtpInit {
  payloadType?: number;
  marker?: boolean;
  sequenceNumber?: number;
  timestamp?: number;
  ssrc?: number;
  csrcs?: number[];
  /** Extension profile and element bytes (must be a multiple of 4 bytes long). */
  extension?: { profile: number; data: number[] };
  payload?: number[] | Uint8Array;
  padding?: number;
}

/** Builds an RTP packet byte by byte (independent of the code under test). */
export function makeRtp(init: RtpInit = {}): Buffer {
  const csrcs = init.csrcs ?? [];
  const payload = Buffer.from(init.payload ?? [1, 2, 3, 4]);
  const ext = init.extension;
  const padding = init.padding ?? 0;
  const extBytes = ext === undefined ? 0 : 4 + ext.data.length;
  const buf = Buffer.alloc(12 + 4 * csrcs.length + extBytes + payload.length + padding);
  buf[0] = 0x80 | (padding > 0 ? 0x20 : 0) | (ext !== undefined ? 0x10 : 0) | csrcs.length;
  buf[1] = (init.marker === true ? 0x80 : 0) | (init.payloadType ?? 96);
  buf.writeUInt16BE(init.sequenceNumber ?? 1000, 2);
  buf.writeUInt32BE(init.timestamp ?? 90000, 4);
  buf.writeUInt32BE(init.ssrc ?? 0x11223344, 8);
  let o = 12;
  for (const c of csrcs) {
    buf.writeUInt32BE(c, o);
    o += 4;
  }
  if (ext !== undefined) {
    buf.writeUInt16BE(ext.profile, o);
    buf.writeUInt16BE(ext.data.length / 4, o + 2);
    Buffer.from(ext.data).copy(buf, o + 4);
    o += 4 + ext.data.length;
  }
  payload.copy(buf, o);
  if (padding > 0) buf[buf.length - 1] = padding;
  return buf;
}
