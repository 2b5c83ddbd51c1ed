// Readers and writers for the RTP header extensions the SFU uses beyond audio level: the
// RtpStreamId of simulcast (RFC 8852 §3) and the transport-wide sequence number of
// draft-holmer-rmcat-transport-wide-cc-extensions-01 §2.
//
// Locating an element by id (RFC 8285 §4.2 one-byte and §4.3 two-byte forms, padding skipped,
// bounds checked) is `findHeaderExtension` / `extensionLengthAt` in rtp-packet.ts; this module
// builds on them. Nothing here throws; only `readRtpStreamId` allocates (its string).

import {
  EXTENSION_PROFILE_ONE_BYTE,
  EXTENSION_PROFILE_TWO_BYTE,
  RTP_FIXED_HEADER_LENGTH,
  extensionLengthAt,
  findHeaderExtension,
  type RtpHeader,
} from './rtp-packet.js';

/** URI of the transport-wide sequence number extension (a=extmap). */
export const TRANSPORT_CC_EXTENSION_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
/** URI of the RtpStreamId extension (RFC 8852 §4.1). */
export const RTP_STREAM_ID_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
/** URI of the RepairedRtpStreamId extension (RFC 8852 §4.2). */
export const REPAIRED_RTP_STREAM_ID_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id';

/** RFC 8851 §10 rid-id = 1*(alpha-numeric / "-" / "_"): the only bytes a valid rid holds. */
function isRidByte(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    c === 0x2d || // -
    c === 0x5f // _
  );
}

/**
 * RFC 8852 §3: the RtpStreamId (or RepairedRtpStreamId, same format) carried in extension
 * element `id`, as a string; null when absent, empty, or holding a byte that RFC 8851's rid
 * grammar does not allow (so garbage never becomes a layer name).
 * Allocates the string: call it when a new SSRC appears, not per packet (see `matchRtpStreamId`).
 */
export function readRtpStreamId(buf: Uint8Array, header: RtpHeader, id: number): string | null {
  const at = findHeaderExtension(buf, header, id);
  if (at < 0) return null;
  const length = extensionLengthAt(buf, header, at);
  if (length <= 0) return null;
  let rid = '';
  for (let i = 0; i < length; i++) {
    const c = buf[at + i]!;
    if (!isRidByte(c)) return null;
    rid += String.fromCharCode(c);
  }
  return rid;
}

/**
 * True when extension element `id` holds exactly the ASCII string `rid`. Allocation-free
 * counterpart of `readRtpStreamId` for per-packet checks.
 */
export function matchRtpStreamId(buf: Uint8Array, header: RtpHeader, id: number, rid: string): boolean {
  const at = findHeaderExtension(buf, header, id);
  if (at < 0) return false;
  const length = extensionLengthAt(buf, header, at);
  if (length !== rid.length) return false;
  for (let i = 0; i < length; i++) if (buf[at + i] !== rid.charCodeAt(i)) return false;
  return true;
}

/**
 * The 16-bit transport-wide sequence number in extension element `id`, or -1 when absent or
 * not exactly 2 bytes long (transport-wide-cc-extensions-01 §2: one-byte form, L=1).
 */
export function readTransportSequenceNumber(buf: Uint8Array, header: RtpHeader, id: number): number {
  const at = findHeaderExtension(buf, header, id);
  if (at < 0 || extensionLengthAt(buf, header, at) !== 2) return -1;
  return (buf[at]! << 8) | buf[at + 1]!;
}

/**
 * Writes a transport-wide sequence number (big-endian, modulo 2^16) at `dataOffset`, the data
 * offset of an element that is 2 bytes long (as returned by `findHeaderExtension`). The caller
 * guarantees the offset; this is the per-packet stamping on the send path.
 */
export function writeTransportSequenceNumber(buf: Uint8Array, dataOffset: number, seq: number): void {
  buf[dataOffset] = (seq >>> 8) & 0xff;
  buf[dataOffset + 1] = seq & 0xff;
}

/**
 * Finds element `id` and overwrites its transport-wide sequence number. Returns false (and
 * writes nothing) when the packet has no such element of 2 bytes.
 */
export function setTransportSequenceNumber(buf: Uint8Array, header: RtpHeader, id: number, seq: number): boolean {
  const at = findHeaderExtension(buf, header, id);
  if (at < 0 || extensionLengthAt(buf, header, at) !== 2) return false;
  writeTransportSequenceNumber(buf, at, seq);
  return true;
}

/**
 * Copies the RTP packet `src` (parsed as `header`) into `out` with a transport-wide sequence
 * number element `id` = `seq` added, for packets that arrive without one (the publisher did
 * not negotiate it, or it was stripped). Returns the length written to `out`, or -1 when `out`
 * is too small, the id does not fit the packet's extension form, or the block is in a form
 * other than RFC 8285's. If the element is already there (2 bytes), it is copied and
 * overwritten instead. No allocation.
 *
 * RFC 8285 §4.2 (one-byte form, ids 1-14): the element is 3 bytes, the block grows to the next
 * word and the extra bytes are padding (0). §4.3 (two-byte form): the element is 4 bytes. A
 * packet without extensions gets a one-byte block of one word and its X bit set (RFC 3550
 * §5.3.1). RTP padding at the end is kept as it is.
 */
export function addTransportSequenceNumber(src: Uint8Array, header: RtpHeader, id: number, seq: number, out: Uint8Array): number {
  const existing = findHeaderExtension(src, header, id);
  if (existing >= 0) {
    if (extensionLengthAt(src, header, existing) !== 2 || out.length < src.length) return -1;
    out.set(src);
    writeTransportSequenceNumber(out, existing, seq);
    return src.length;
  }
  let blockStart: number; // offset of the 4-byte profile/length word
  let oldLength: number; // bytes of elements already there
  let twoByte = false;
  if (header.hasExtension) {
    blockStart = header.extensionOffset - 4;
    oldLength = header.extensionLength;
    if ((header.extensionProfile & 0xfff0) === EXTENSION_PROFILE_TWO_BYTE) twoByte = true;
    else if (header.extensionProfile !== EXTENSION_PROFILE_ONE_BYTE) return -1;
  } else {
    blockStart = RTP_FIXED_HEADER_LENGTH + 4 * header.csrcCount;
    oldLength = 0;
  }
  if (id < 1 || id > (twoByte ? 255 : 14)) return -1;
  const elementLength = twoByte ? 4 : 3;
  const newLength = Math.ceil((oldLength + elementLength) / 4) * 4;
  const added = newLength - oldLength + (header.hasExtension ? 0 : 4);
  const total = src.length + added;
  if (out.length < total) return -1;

  const elementsStart = blockStart + 4;
  // Where the payload (and RTP padding) starts in src; without a block it follows the CSRCs.
  const rest = header.hasExtension ? elementsStart + oldLength : blockStart;
  out.set(src.subarray(0, rest), 0);
  if (!header.hasExtension) {
    out[0] = src[0]! | 0x10;
    out[blockStart] = EXTENSION_PROFILE_ONE_BYTE >> 8;
    out[blockStart + 1] = EXTENSION_PROFILE_ONE_BYTE & 0xff;
  }
  out[blockStart + 2] = (newLength / 4) >> 8;
  out[blockStart + 3] = (newLength / 4) & 0xff;
  let p = elementsStart + oldLength;
  if (twoByte) {
    out[p++] = id;
    out[p++] = 2;
  } else {
    out[p++] = (id << 4) | 1; // L = length - 1
  }
  writeTransportSequenceNumber(out, p, seq);
  p += 2;
  while (p < elementsStart + newLength) out[p++] = 0; // padding (§4.2, §4.3)
  out.set(src.subarray(rest), p);
  return total;
}
