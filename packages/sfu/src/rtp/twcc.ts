// Transport-wide congestion control feedback, draft-holmer-rmcat-transport-wide-cc-extensions-01
// §3.1: an RTPFB (PT=205) message with FMT=15 that tells the media sender, for every packet of
// a range of transport-wide sequence numbers, whether and when it arrived.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// |V=2|P|  FMT=15 |    PT=205     |           length              |
// |                     SSRC of packet sender                     |
// |                      SSRC of media source                     |
// |      base sequence number     |      packet status count      |
// |                 reference time                | fb pkt. count |
// |          packet chunk         |         packet chunk          |
// ...
// |         packet chunk          |  recv delta   |  recv delta   |
// ...
// |           recv delta          |  recv delta   | zero padding  |
//
// Packet chunks (§3.1.3, §3.1.4), 16 bits each:
//   run length:     0 | S(2) | run length(13)   — `run length` packets with status S
//   status vector:  1 | 0 | 14 × 1-bit symbol   — 0 not received, 1 received (small delta)
//                   1 | 1 |  7 × 2-bit symbol   — 00 not received, 01 small, 10 large delta
// Receive deltas (§3.1.5), in 250 µs units, one per received packet in sequence order: the
// first relative to reference time × 64 ms, each next relative to the previous packet;
// "small" is 1 byte unsigned, "large" 2 bytes signed (a reordered packet has a negative delta).
//
// Bytes come from the network: every read is bounds-checked, nothing throws, and anything
// inconsistent (chunks or deltas running past the packet, a reserved symbol, zero packets)
// gives null. Feedback arrives 10-20 times per second per subscriber, so the parser allocates
// two typed arrays per message and nothing per packet.

import {
  RTCP_RTPFB,
  RTPFB_TWCC,
  TWCC_NOT_RECEIVED,
  TWCC_RECEIVED_LARGE,
  TWCC_RECEIVED_SMALL,
  type RtcpTransportFeedback,
} from './rtcp-types.js';

/** Receive delta unit, µs (§3.1.5). */
export const TWCC_DELTA_UNIT_US = 250;
/** Reference time unit, µs (§3.1: "multiples of 64ms"). */
export const TWCC_REFERENCE_TIME_UNIT_US = 64_000;
/** Reference time unit in delta units: 64 ms / 250 µs. */
const TICKS_PER_REFERENCE = 256;
/** Largest run a run-length chunk can hold (13 bits). */
const MAX_RUN_LENGTH = 0x1fff;
/** Bytes before the first packet chunk: RTCP header, two SSRCs, base/count, reference/fb count. */
const FIXED_LENGTH = 20;

function u32(buf: Uint8Array, o: number): number {
  return ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
}

function u16(buf: Uint8Array, o: number): number {
  return (buf[o]! << 8) | buf[o + 1]!;
}

/**
 * Parses the body of a transport-wide feedback packet occupying buf[start, end), RTCP padding
 * already removed and the common header already checked (the form `parseRtcp` calls).
 */
export function parseTransportFeedbackBody(buf: Uint8Array, start: number, end: number): RtcpTransportFeedback | null {
  if (end - start < FIXED_LENGTH + 2) return null; // at least one chunk
  const count = u16(buf, start + 14);
  if (count === 0) return null; // nothing to report: libwebrtc never sends it either
  const status = new Uint8Array(count);
  const receiveTimeUs = new Float64Array(count);

  // Packet chunks until `count` statuses are known; the last chunk may describe more
  // packets than remain (its tail is meaningless, §3.1.4).
  let p = start + FIXED_LENGTH;
  let n = 0;
  let deltaBytes = 0;
  while (n < count) {
    if (p + 2 > end) return null;
    const chunk = u16(buf, p);
    p += 2;
    if ((chunk & 0x8000) === 0) {
      // §3.1.3 run length chunk
      const symbol = (chunk >> 13) & 0x03;
      if (symbol === 3) return null; // reserved
      const run = Math.min(chunk & MAX_RUN_LENGTH, count - n);
      if (symbol !== TWCC_NOT_RECEIVED) {
        status.fill(symbol, n, n + run);
        deltaBytes += symbol * run;
      }
      n += run;
    } else if ((chunk & 0x4000) === 0) {
      // §3.1.4 status vector, 14 one-bit symbols, first symbol in the most significant bit
      for (let bit = 13; bit >= 0 && n < count; bit--, n++) {
        if ((chunk & (1 << bit)) !== 0) {
          status[n] = TWCC_RECEIVED_SMALL;
          deltaBytes++;
        }
      }
    } else {
      // §3.1.4 status vector, 7 two-bit symbols
      for (let shift = 12; shift >= 0 && n < count; shift -= 2, n++) {
        const symbol = (chunk >> shift) & 0x03;
        if (symbol === 3) return null;
        status[n] = symbol;
        deltaBytes += symbol;
      }
    }
  }

  // §3.1.5 receive deltas; only up to 3 bytes of zero padding may follow (word alignment).
  if (p + deltaBytes > end || end - (p + deltaBytes) > 3) return null;
  const referenceTime = (buf[start + 16]! << 16) | (buf[start + 17]! << 8) | buf[start + 18]!;
  let ticks = referenceTime * TICKS_PER_REFERENCE;
  for (let i = 0; i < count; i++) {
    const s = status[i]!;
    if (s === TWCC_RECEIVED_SMALL) {
      ticks += buf[p++]!;
    } else if (s === TWCC_RECEIVED_LARGE) {
      ticks += (u16(buf, p) << 16) >> 16; // sign-extend
      p += 2;
    } else {
      continue;
    }
    receiveTimeUs[i] = ticks * TWCC_DELTA_UNIT_US;
  }

  return {
    kind: 'transport-cc',
    senderSsrc: u32(buf, start + 4),
    mediaSsrc: u32(buf, start + 8),
    baseSequence: u16(buf, start + 12),
    packetStatusCount: count,
    referenceTime,
    feedbackPacketCount: buf[start + 19]!,
    status,
    receiveTimeUs,
  };
}

/**
 * Parses one transport-wide feedback packet at buf[offset, offset + length): checks the RTCP
 * header (V=2, PT=205, FMT=15, a length field within `length`, padding) and the FCI. Null when
 * malformed; never throws. Inside compounds, `parseRtcp` returns these as kind 'transport-cc'.
 */
export function parseTransportFeedback(buf: Uint8Array, offset: number, length: number): RtcpTransportFeedback | null {
  if (offset < 0 || length < 4 || offset + length > buf.length) return null;
  const b0 = buf[offset]!;
  if (b0 >> 6 !== 2 || (b0 & 0x1f) !== RTPFB_TWCC || buf[offset + 1] !== RTCP_RTPFB) return null;
  const size = (u16(buf, offset + 2) + 1) * 4; // RFC 3550 §6.4.1
  if (size > length) return null;
  let end = offset + size;
  if ((b0 & 0x20) !== 0) {
    const padding = buf[end - 1]!;
    if (padding === 0 || padding > size - 4) return null;
    end -= padding;
  }
  return parseTransportFeedbackBody(buf, offset, end);
}

/** Packs `count` status symbols into 16-bit packet chunks (choice rule: see buildTransportFeedback). */
function encodeChunks(symbols: Uint8Array, count: number): number[] {
  const chunks: number[] = [];
  let i = 0;
  while (i < count) {
    const first = symbols[i]!;
    let run = 1;
    while (i + run < count && run < MAX_RUN_LENGTH && symbols[i + run] === first) run++;
    // A run of 14 or more is never worse as a run-length chunk than as one vector; and a run
    // that ends the message needs no vector at all.
    if (run >= 14 || i + run === count) {
      chunks.push((first << 13) | run);
      i += run;
      continue;
    }
    let hasLarge = false;
    const window = Math.min(14, count - i);
    for (let k = 0; k < window; k++) if (symbols[i + k] === TWCC_RECEIVED_LARGE) hasLarge = true;
    if (!hasLarge) {
      let chunk = 0x8000;
      for (let k = 0; k < window; k++) if (symbols[i + k] !== TWCC_NOT_RECEIVED) chunk |= 1 << (13 - k);
      chunks.push(chunk);
      i += window;
    } else if (run >= 7) {
      chunks.push((first << 13) | run);
      i += run;
    } else {
      let chunk = 0xc000;
      const w = Math.min(7, count - i);
      for (let k = 0; k < w; k++) chunk |= symbols[i + k]! << (12 - 2 * k);
      chunks.push(chunk);
      i += w;
    }
  }
  return chunks;
}

/**
 * Builds a transport-wide feedback packet (§3.1) for `count` packets (default
 * `arrivalsUs.length`, at most 65535) starting at transport-wide sequence number `baseSeq`.
 *
 * `arrivalsUs[i]` is the arrival time of packet baseSeq + i in µs, in the clock whose 64 ms
 * multiples `referenceTime64ms` counts (the field is written modulo 2^24, the deltas are
 * computed from the value given); a negative value or NaN means not received. Times are
 * quantized to 250 µs without accumulating rounding error. Returns null when a receive delta
 * does not fit the 16-bit large form (more than ~8.2 s between consecutive received packets)
 * or the count is out of range: the caller splits the report there.
 *
 * Chunks are chosen greedily: run-length for runs of 14+ (or a run that ends the message),
 * else a 1-bit vector of 14 when no large delta is among them, else run-length for 7+, else a
 * 2-bit vector of 7. Padding uses the RTCP P bit with a count byte, as libwebrtc does.
 */
export function buildTransportFeedback(
  senderSsrc: number,
  mediaSsrc: number,
  feedbackCount: number,
  baseSeq: number,
  referenceTime64ms: number,
  arrivalsUs: ArrayLike<number>,
  count: number = arrivalsUs.length,
): Buffer | null {
  if (count < 1 || count > 0xffff || count > arrivalsUs.length) return null;
  const symbols = new Uint8Array(count);
  const deltas = new Int32Array(count);
  let deltaBytes = 0;
  let prevTicks = Math.floor(referenceTime64ms) * TICKS_PER_REFERENCE;
  for (let i = 0; i < count; i++) {
    const at = arrivalsUs[i]!;
    if (!(at >= 0)) continue; // negative or NaN: not received
    const ticks = Math.round(at / TWCC_DELTA_UNIT_US);
    const delta = ticks - prevTicks;
    if (delta >= 0 && delta <= 0xff) {
      symbols[i] = TWCC_RECEIVED_SMALL;
      deltaBytes += 1;
    } else if (delta >= -0x8000 && delta <= 0x7fff) {
      symbols[i] = TWCC_RECEIVED_LARGE;
      deltaBytes += 2;
    } else {
      return null;
    }
    deltas[i] = delta;
    prevTicks = ticks;
  }
  const chunks = encodeChunks(symbols, count);
  const unpadded = FIXED_LENGTH + 2 * chunks.length + deltaBytes;
  const padding = (4 - (unpadded % 4)) % 4;
  const buf = Buffer.alloc(unpadded + padding);
  buf[0] = 0x80 | (padding > 0 ? 0x20 : 0) | RTPFB_TWCC;
  buf[1] = RTCP_RTPFB;
  buf.writeUInt16BE(buf.length / 4 - 1, 2);
  buf.writeUInt32BE(senderSsrc >>> 0, 4);
  buf.writeUInt32BE(mediaSsrc >>> 0, 8);
  buf.writeUInt16BE(baseSeq & 0xffff, 12);
  buf.writeUInt16BE(count, 14);
  const ref = Math.floor(referenceTime64ms) & 0xffffff;
  buf[16] = ref >> 16;
  buf[17] = (ref >> 8) & 0xff;
  buf[18] = ref & 0xff;
  buf[19] = feedbackCount & 0xff;
  let p = FIXED_LENGTH;
  for (const chunk of chunks) {
    buf.writeUInt16BE(chunk, p);
    p += 2;
  }
  for (let i = 0; i < count; i++) {
    const s = symbols[i]!;
    if (s === TWCC_RECEIVED_SMALL) {
      buf[p++] = deltas[i]!;
    } else if (s === TWCC_RECEIVED_LARGE) {
      buf.writeInt16BE(deltas[i]!, p);
      p += 2;
    }
  }
  if (padding > 0) buf[buf.length - 1] = padding;
  return buf;
}
