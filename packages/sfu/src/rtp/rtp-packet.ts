// RTP fixed header (RFC 3550 §5.1), header extensions (RFC 3550 §5.3.1, RFC 8285) and the
// RTP/RTCP demultiplexing rule for a shared port (RFC 5761 §4).
//
// Hot path: every forwarded packet goes through parse and the setters. Reads are done with
// direct byte access (no DataView, no Buffer methods that throw on bounds), nothing here
// throws, and `parseRtpHeaderInto` fills a caller-owned object so that a forwarding loop
// need not allocate per packet.

/** Size of the RTP fixed header, before CSRCs (RFC 3550 §5.1). */
export const RTP_FIXED_HEADER_LENGTH = 12;

/**
 * RFC 5761 §4: on a port shared by RTP and RTCP, a packet whose second byte is 192..223 is
 * RTCP (RTCP packet types 200-204 and feedback 205/206 fall there; RTP payload types 64-95
 * with the marker bit would collide, which is why RFC 5761 forbids them for muxed RTP).
 */
export function isRtcp(buf: Uint8Array): boolean {
  if (buf.length < 2) return false;
  const b1 = buf[1]!;
  return b1 >= 192 && b1 <= 223;
}

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcCount: number;
  hasExtension: boolean;
  /** Offset of the first extension element, after the 4-byte profile/length word; 0 if none. */
  extensionOffset: number;
  /** Bytes of extension elements (the extension length field × 4). */
  extensionLength: number;
  /** The 16-bit "defined by profile" field: 0xBEDE one-byte form, 0x100X two-byte form. */
  extensionProfile: number;
  payloadOffset: number;
  /** Payload bytes, excluding padding. */
  payloadLength: number;
  /** Padding bytes at the end, including the count byte itself; 0 if none. */
  paddingLength: number;
}

/** A zeroed header object, for reuse with `parseRtpHeaderInto`. */
export function createRtpHeader(): RtpHeader {
  // All fields in one literal so that every header object shares one hidden class.
  return {
    payloadType: 0,
    marker: false,
    sequenceNumber: 0,
    timestamp: 0,
    ssrc: 0,
    csrcCount: 0,
    hasExtension: false,
    extensionOffset: 0,
    extensionLength: 0,
    extensionProfile: 0,
    payloadOffset: 0,
    payloadLength: 0,
    paddingLength: 0,
  };
}

/**
 * Parses the RTP header of `buf` into `out` without allocating. Returns false (leaving `out`
 * partly written) when the packet is malformed: too short, version != 2, RTCP by the RFC 5761
 * rule, or CSRC list / extension / padding running beyond the buffer.
 */
export function parseRtpHeaderInto(buf: Uint8Array, out: RtpHeader): boolean {
  const len = buf.length;
  if (len < RTP_FIXED_HEADER_LENGTH) return false;
  const b0 = buf[0]!;
  const b1 = buf[1]!;
  if (b0 >> 6 !== 2) return false; // RFC 3550 §5.1: V=2
  if (b1 >= 192 && b1 <= 223) return false; // RTCP, RFC 5761 §4
  const csrcCount = b0 & 0x0f;
  let offset = RTP_FIXED_HEADER_LENGTH + 4 * csrcCount;
  if (offset > len) return false;

  let extensionOffset = 0;
  let extensionLength = 0;
  let extensionProfile = 0;
  const hasExtension = (b0 & 0x10) !== 0;
  if (hasExtension) {
    // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the data.
    if (offset + 4 > len) return false;
    extensionProfile = (buf[offset]! << 8) | buf[offset + 1]!;
    extensionLength = ((buf[offset + 2]! << 8) | buf[offset + 3]!) * 4;
    extensionOffset = offset + 4;
    offset = extensionOffset + extensionLength;
    if (offset > len) return false;
  }

  let paddingLength = 0;
  if ((b0 & 0x20) !== 0) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included, so it is >= 1.
    paddingLength = buf[len - 1]!;
    if (paddingLength === 0 || offset + paddingLength > len) return false;
  }

  out.payloadType = b1 & 0x7f;
  out.marker = (b1 & 0x80) !== 0;
  out.sequenceNumber = (buf[2]! << 8) | buf[3]!;
  out.timestamp = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
  out.ssrc = ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
  out.csrcCount = csrcCount;
  out.hasExtension = hasExtension;
  out.extensionOffset = extensionOffset;
  out.extensionLength = extensionLength;
  out.extensionProfile = extensionProfile;
  out.payloadOffset = offset;
  out.payloadLength = len - offset - paddingLength;
  out.paddingLength = paddingLength;
  return true;
}

/**
 * Parses the RTP header of `buf`; null when malformed (see `parseRtpHeaderInto`).
 * Allocates one small object per call; forwarding loops may prefer `parseRtpHeaderInto`.
 */
export function parseRtpHeader(buf: Uint8Array): RtpHeader | null {
  const header = createRtpHeader();
  return parseRtpHeaderInto(buf, header) ? header : null;
}

// Field accessors for the fixed header (RFC 3550 §5.1 offsets: seq 2, timestamp 4, SSRC 8).
// They assume a buffer of at least 12 bytes, i.e. one that parsed.

export function readSequenceNumber(buf: Uint8Array): number {
  return (buf[2]! << 8) | buf[3]!;
}

export function readTimestamp(buf: Uint8Array): number {
  return ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
}

export function readSsrc(buf: Uint8Array): number {
  return ((buf[8]! << 24) | (buf[9]! << 16) | (buf[10]! << 8) | buf[11]!) >>> 0;
}

export function setSequenceNumber(buf: Uint8Array, seq: number): void {
  buf[2] = (seq >>> 8) & 0xff;
  buf[3] = seq & 0xff;
}

export function setTimestamp(buf: Uint8Array, ts: number): void {
  buf[4] = (ts >>> 24) & 0xff;
  buf[5] = (ts >>> 16) & 0xff;
  buf[6] = (ts >>> 8) & 0xff;
  buf[7] = ts & 0xff;
}

export function setSsrc(buf: Uint8Array, ssrc: number): void {
  buf[8] = (ssrc >>> 24) & 0xff;
  buf[9] = (ssrc >>> 16) & 0xff;
  buf[10] = (ssrc >>> 8) & 0xff;
  buf[11] = ssrc & 0xff;
}

export function setPayloadType(buf: Uint8Array, payloadType: number): void {
  // Keep the marker bit, replace the 7-bit payload type (RFC 3550 §5.1).
  buf[1] = (buf[1]! & 0x80) | (payloadType & 0x7f);
}

export function setMarker(buf: Uint8Array, marker: boolean): void {
  buf[1] = marker ? buf[1]! | 0x80 : buf[1]! & 0x7f;
}

/** RFC 8285 §4.2: "defined by profile" value of the one-byte header form. */
export const EXTENSION_PROFILE_ONE_BYTE = 0xbede;
/** RFC 8285 §4.3: two-byte form is 0x100 followed by 4 application bits (0x1000..0x100F). */
export const EXTENSION_PROFILE_TWO_BYTE = 0x1000;

/**
 * RFC 8285: finds the header extension element with local identifier `id` and returns the
 * offset of its data in `buf`, or -1 when absent (also when the extension block is not in
 * one of the RFC 8285 forms, or an element overruns the block).
 * Use `extensionLengthAt` with the returned offset for the element's data length.
 */
export function findHeaderExtension(buf: Uint8Array, header: RtpHeader, id: number): number {
  if (!header.hasExtension || id <= 0) return -1;
  let p = header.extensionOffset;
  const end = p + header.extensionLength;
  const profile = header.extensionProfile;
  if (profile === EXTENSION_PROFILE_ONE_BYTE) {
    // RFC 8285 §4.2: ids 1..14; each element is one byte ID(4)|L(4) with L+1 data bytes.
    if (id > 14) return -1;
    while (p < end) {
      const b = buf[p]!;
      const elementId = b >> 4;
      if (elementId === 0) {
        p++; // padding byte (§4.2: ID 0 with L 0 is padding; data is skipped either way)
        continue;
      }
      // §4.2: ID 15 is reserved; "processing of the entire extension should terminate".
      if (elementId === 15) return -1;
      const dataLength = (b & 0x0f) + 1;
      const data = p + 1;
      if (data + dataLength > end) return -1;
      if (elementId === id) return data;
      p = data + dataLength;
    }
    return -1;
  }
  if ((profile & 0xfff0) === EXTENSION_PROFILE_TWO_BYTE) {
    // RFC 8285 §4.3: ids 1..255; element is ID(8), length(8), then `length` data bytes.
    if (id > 255) return -1;
    while (p < end) {
      const elementId = buf[p]!;
      if (elementId === 0) {
        p++; // padding byte
        continue;
      }
      if (p + 2 > end) return -1;
      const dataLength = buf[p + 1]!;
      const data = p + 2;
      if (data + dataLength > end) return -1;
      if (elementId === id) return data;
      p = data + dataLength;
    }
    return -1;
  }
  return -1;
}

/**
 * Data length of the extension element whose data starts at `dataOffset` (a value returned by
 * `findHeaderExtension`). O(1): the element header sits just before its data.
 */
export function extensionLengthAt(buf: Uint8Array, header: RtpHeader, dataOffset: number): number {
  if (dataOffset <= 0) return -1;
  if (header.extensionProfile === EXTENSION_PROFILE_ONE_BYTE) return (buf[dataOffset - 1]! & 0x0f) + 1;
  return buf[dataOffset - 1]!;
}

/** Data length of extension element `id`, or -1 when absent. */
export function headerExtensionLength(buf: Uint8Array, header: RtpHeader, id: number): number {
  const data = findHeaderExtension(buf, header, id);
  return data < 0 ? -1 : extensionLengthAt(buf, header, data);
}
