// VP8 RTP payload descriptor (RFC 7741 §4.2) and payload header (RFC 7741 §4.3).
//
//        0 1 2 3 4 5 6 7
//       +-+-+-+-+-+-+-+-+
//       |X|R|N|S|R| PID |  required
//       +-+-+-+-+-+-+-+-+
//  X:   |I|L|T|K| RSV   |  optional
//  I:   |M| PictureID   |  optional; M=1 adds a second byte (15-bit picture id)
//  L:   |   TL0PICIDX   |  optional
//  T/K: |TID|Y| KEYIDX  |  optional (present if T or K)
//
// Every function takes the RTP payload bounds and checks them, because the descriptor comes
// from the network; none allocates or throws.

/**
 * Offset of the first byte after the payload descriptor (the VP8 payload header), or -1 when
 * the descriptor does not fit in the payload.
 */
export function vp8DescriptorEnd(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  if (payloadLength < 1) return -1;
  const end = payloadOffset + payloadLength;
  let p = payloadOffset + 1;
  const b0 = buf[payloadOffset]!;
  if ((b0 & 0x80) !== 0) {
    if (p >= end) return -1;
    const x = buf[p++]!;
    if ((x & 0x80) !== 0) {
      if (p >= end) return -1;
      p += (buf[p]! & 0x80) !== 0 ? 2 : 1; // M bit: 15-bit picture id
    }
    if ((x & 0x40) !== 0) p++; // L: TL0PICIDX
    if ((x & 0x30) !== 0) p++; // T or K: TID/Y/KEYIDX byte
  }
  return p > end ? -1 : p;
}

/**
 * RFC 7741 §4.3: a packet starts a key frame iff it starts partition 0 (S=1, PID=0) and the
 * P bit (bit 0 of the first payload-header byte, an inverse key frame flag) is 0.
 */
export function isVp8Keyframe(buf: Uint8Array, payloadOffset: number, payloadLength: number): boolean {
  if (payloadLength < 2) return false;
  const b0 = buf[payloadOffset]!;
  if ((b0 & 0x1f) !== 0x10) return false; // S=1 and PID=0 (bits S|R|PID)
  const p = vp8DescriptorEnd(buf, payloadOffset, payloadLength);
  if (p < 0 || p >= payloadOffset + payloadLength) return false; // no payload header byte
  return (buf[p]! & 0x01) === 0;
}

/** Offset of the PictureID field (the byte holding M), or -1 when absent or truncated. */
function pictureIdOffset(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  if (payloadLength < 3) return -1;
  if ((buf[payloadOffset]! & 0x80) === 0) return -1; // X
  if ((buf[payloadOffset + 1]! & 0x80) === 0) return -1; // I
  const p = payloadOffset + 2;
  const width = (buf[p]! & 0x80) !== 0 ? 2 : 1;
  return p + width <= payloadOffset + payloadLength ? p : -1;
}

/** The 7- or 15-bit picture id, or -1 when absent. */
export function readVp8PictureId(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  const p = pictureIdOffset(buf, payloadOffset, payloadLength);
  if (p < 0) return -1;
  const b = buf[p]!;
  return (b & 0x80) !== 0 ? ((b & 0x7f) << 8) | buf[p + 1]! : b;
}

/** True when the picture id field is the 15-bit form (M=1). False when 7-bit or absent. */
export function isVp8PictureId15Bit(buf: Uint8Array, payloadOffset: number, payloadLength: number): boolean {
  const p = pictureIdOffset(buf, payloadOffset, payloadLength);
  return p >= 0 && (buf[p]! & 0x80) !== 0;
}

/**
 * Rewrites the picture id in place, keeping the field's width (7 bits if M=0, 15 bits if M=1;
 * the value is reduced modulo that width). Returns false when the packet has no picture id.
 */
export function setVp8PictureId(buf: Uint8Array, payloadOffset: number, payloadLength: number, pictureId: number): boolean {
  const p = pictureIdOffset(buf, payloadOffset, payloadLength);
  if (p < 0) return false;
  if ((buf[p]! & 0x80) !== 0) {
    buf[p] = 0x80 | ((pictureId >>> 8) & 0x7f);
    buf[p + 1] = pictureId & 0xff;
  } else {
    buf[p] = pictureId & 0x7f;
  }
  return true;
}

/** Offset of TL0PICIDX, or -1 when absent or truncated. */
function tl0PicIdxOffset(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  if (payloadLength < 3) return -1;
  if ((buf[payloadOffset]! & 0x80) === 0) return -1;
  const x = buf[payloadOffset + 1]!;
  if ((x & 0x40) === 0) return -1;
  let p = payloadOffset + 2;
  const end = payloadOffset + payloadLength;
  if ((x & 0x80) !== 0) {
    if (p >= end) return -1;
    p += (buf[p]! & 0x80) !== 0 ? 2 : 1;
  }
  return p < end ? p : -1;
}

/** TL0PICIDX (temporal layer 0 picture index), or -1 when absent. */
export function readVp8Tl0PicIdx(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  const p = tl0PicIdxOffset(buf, payloadOffset, payloadLength);
  return p < 0 ? -1 : buf[p]!;
}

/** Rewrites TL0PICIDX in place (mod 256); false when absent. Needed with picture ids on layer switches. */
export function setVp8Tl0PicIdx(buf: Uint8Array, payloadOffset: number, payloadLength: number, value: number): boolean {
  const p = tl0PicIdxOffset(buf, payloadOffset, payloadLength);
  if (p < 0) return false;
  buf[p] = value & 0xff;
  return true;
}

/** Temporal layer index TID (0..3), or -1 when the T bit is not set. */
export function readVp8TemporalLayer(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  if (payloadLength < 3) return -1;
  if ((buf[payloadOffset]! & 0x80) === 0) return -1;
  const x = buf[payloadOffset + 1]!;
  if ((x & 0x20) === 0) return -1; // T
  const end = payloadOffset + payloadLength;
  let p = payloadOffset + 2;
  if ((x & 0x80) !== 0) {
    if (p >= end) return -1;
    p += (buf[p]! & 0x80) !== 0 ? 2 : 1;
  }
  if ((x & 0x40) !== 0) p++;
  return p < end ? buf[p]! >> 6 : -1;
}

/**
 * Frame size of a VP8 key frame, packed as `width << 16 | height` (unscaled pixels), or -1
 * when this packet does not start a key frame or is too short to hold the size.
 *
 * Only the first packet of a key frame (S=1, PID=0, RFC 7741 §4.3) carries it: after the
 * descriptor comes the 3-byte frame tag (RFC 6386 §9.1: key_frame bit 0 is 0 for a key
 * frame), the start code 9d 01 2a, then two little-endian 16-bit fields whose low 14 bits are
 * width and height and whose top 2 bits are the upscaling mode, ignored here.
 */
export function readVp8KeyframeSize(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  if (payloadLength < 2) return -1;
  if ((buf[payloadOffset]! & 0x1f) !== 0x10) return -1; // S=1 and PID=0
  const p = vp8DescriptorEnd(buf, payloadOffset, payloadLength);
  if (p < 0 || p + 10 > payloadOffset + payloadLength) return -1;
  if ((buf[p]! & 0x01) !== 0) return -1; // interframe
  if (buf[p + 3] !== 0x9d || buf[p + 4] !== 0x01 || buf[p + 5] !== 0x2a) return -1;
  const width = (buf[p + 6]! | (buf[p + 7]! << 8)) & 0x3fff;
  const height = (buf[p + 8]! | (buf[p + 9]! << 8)) & 0x3fff;
  return (width << 16) | height;
}
