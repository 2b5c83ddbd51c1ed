// Parser for compound RTCP packets (RFC 3550 §6.1) and the feedback messages of RFC 4585 and
// RFC 5104. Bytes come from the network: every read is bounds-checked first, nothing throws,
// and any packet that is inconsistent with its own length makes the whole compound null
// (RFC 3550 Appendix A.2: a compound failing validity checks is discarded as a whole).
//
// Deliberately lenient where browsers differ from RFC 3550 §6.1: reduced-size RTCP (RFC 5506)
// may start with a feedback packet rather than SR/RR, so the first-packet rule is not enforced.

import {
  PSFB_AFB,
  PSFB_FIR,
  PSFB_PLI,
  RTCP_BYE,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SR,
  RTPFB_NACK,
  RTPFB_TWCC,
  type FirEntry,
  type ReportBlock,
  type RtcpPacket,
} from './rtcp-types.js';
import { parseTransportFeedbackBody } from './twcc.js';

function u32(buf: Uint8Array, o: number): number {
  return ((buf[o]! << 24) | (buf[o + 1]! << 16) | (buf[o + 2]! << 8) | buf[o + 3]!) >>> 0;
}

function u16(buf: Uint8Array, o: number): number {
  return (buf[o]! << 8) | buf[o + 1]!;
}

/** RFC 3550 §6.4.1 report block, 24 bytes at `o` (caller checked the bounds). */
function readReportBlock(buf: Uint8Array, o: number): ReportBlock {
  return {
    ssrc: u32(buf, o),
    fractionLost: buf[o + 4]!,
    // Signed 24-bit: shift into the top of an int32 and back to sign-extend.
    cumulativeLost: (((buf[o + 5]! << 16) | (buf[o + 6]! << 8) | buf[o + 7]!) << 8) >> 8,
    highestSeq: u32(buf, o + 8),
    jitter: u32(buf, o + 12),
    lastSr: u32(buf, o + 16),
    delaySinceLastSr: u32(buf, o + 20),
  };
}

function readReportBlocks(buf: Uint8Array, o: number, count: number): ReportBlock[] {
  const reports: ReportBlock[] = [];
  for (let i = 0; i < count; i++) reports.push(readReportBlock(buf, o + 24 * i));
  return reports;
}

/** ASCII "REMB", the unique identifier of draft-alvestrand-rmcat-remb §2.2. */
const REMB_ID = 0x52454d42;

/**
 * Parses one RTCP packet occupying buf[start, end) (padding already removed). Returns null
 * when the body is too short for what its header announces.
 */
function parseOne(buf: Uint8Array, start: number, end: number): RtcpPacket | null {
  const count = buf[start]! & 0x1f; // RC / SC / FMT depending on the packet type
  const packetType = buf[start + 1]!;
  const length = end - start;
  switch (packetType) {
    case RTCP_SR: {
      // RFC 3550 §6.4.1: header(4) SSRC(4) NTP(8) RTP ts(4) packet count(4) octet count(4).
      if (length < 28 + 24 * count) return null;
      return {
        kind: 'sr',
        ssrc: u32(buf, start + 4),
        ntpSeconds: u32(buf, start + 8),
        ntpFraction: u32(buf, start + 12),
        rtpTimestamp: u32(buf, start + 16),
        packetCount: u32(buf, start + 20),
        octetCount: u32(buf, start + 24),
        reports: readReportBlocks(buf, start + 28, count),
      };
    }
    case RTCP_RR: {
      // RFC 3550 §6.4.2: header(4) SSRC(4) then report blocks.
      if (length < 8 + 24 * count) return null;
      return { kind: 'rr', ssrc: u32(buf, start + 4), reports: readReportBlocks(buf, start + 8, count) };
    }
    case RTCP_BYE: {
      // RFC 3550 §6.6: SC SSRC/CSRCs, then an optional reason we ignore.
      if (length < 4 + 4 * count) return null;
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(u32(buf, start + 4 + 4 * i));
      return { kind: 'bye', ssrcs };
    }
    case RTCP_RTPFB: {
      // RFC 4585 §6.1 common feedback header: sender SSRC, media source SSRC, then FCI.
      if (length < 12) return null;
      if (count === RTPFB_TWCC) {
        // transport-wide-cc-extensions-01 §3.1. An FCI that does not parse spoils only this
        // packet, not the compound: its framing was sound, and the SR/RR beside it is still good.
        return parseTransportFeedbackBody(buf, start, end) ?? { kind: 'other', packetType, fmt: count };
      }
      if (count !== RTPFB_NACK) return { kind: 'other', packetType, fmt: count };
      // RFC 4585 §6.2.1: FCI entries of PID(16) + BLP(16); bit i of BLP means PID+i+1 lost.
      const lost: number[] = [];
      for (let o = start + 12; o + 4 <= end; o += 4) {
        const pid = u16(buf, o);
        const blp = u16(buf, o + 2);
        lost.push(pid);
        for (let bit = 0; bit < 16; bit++) {
          if ((blp & (1 << bit)) !== 0) lost.push((pid + bit + 1) & 0xffff);
        }
      }
      return { kind: 'nack', senderSsrc: u32(buf, start + 4), mediaSsrc: u32(buf, start + 8), lost };
    }
    case RTCP_PSFB: {
      if (length < 12) return null;
      const senderSsrc = u32(buf, start + 4);
      if (count === PSFB_PLI) {
        // RFC 4585 §6.3.1: no FCI; the media source field names the stream.
        return { kind: 'pli', senderSsrc, mediaSsrc: u32(buf, start + 8) };
      }
      if (count === PSFB_FIR) {
        // RFC 5104 §4.3.1.2: media source field is 0; each FCI entry is SSRC(32), seq nr(8),
        // reserved(24). A FIR must carry at least one entry.
        if (length < 20) return null;
        const entries: FirEntry[] = [];
        for (let o = start + 12; o + 8 <= end; o += 8) entries.push({ ssrc: u32(buf, o), seqNr: buf[o + 4]! });
        return { kind: 'fir', senderSsrc, entries };
      }
      if (count === PSFB_AFB && length >= 16 && u32(buf, start + 12) === REMB_ID) {
        // draft-alvestrand-rmcat-remb §2.2: "REMB", num SSRC(8), BR exp(6), BR mantissa(18), SSRCs.
        if (length < 20) return null;
        const numSsrc = buf[start + 16]!;
        if (length < 20 + 4 * numSsrc) return null;
        const exp = buf[start + 17]! >> 2;
        const mantissa = ((buf[start + 17]! & 0x03) << 16) | u16(buf, start + 18);
        const ssrcs: number[] = [];
        for (let i = 0; i < numSsrc; i++) ssrcs.push(u32(buf, start + 20 + 4 * i));
        // Multiplication, not a shift: exp may be up to 63.
        return { kind: 'remb', senderSsrc, bitrate: mantissa * 2 ** exp, ssrcs };
      }
      return { kind: 'other', packetType, fmt: count };
    }
    default:
      return { kind: 'other', packetType, fmt: count };
  }
}

/**
 * Parses a compound RTCP packet into its parts, in order. Returns null when malformed:
 * truncated header, version != 2, a length field beyond the buffer, bad padding, or a body
 * shorter than its counts require. Never throws.
 */
export function parseRtcp(buf: Uint8Array): RtcpPacket[] | null {
  const len = buf.length;
  if (len < 4) return null;
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < len) {
    if (offset + 4 > len) return null;
    const b0 = buf[offset]!;
    if (b0 >> 6 !== 2) return null; // RFC 3550 §6.4.1: V=2
    // RFC 3550 §6.4.1: length in 32-bit words minus one, header included.
    const size = (u16(buf, offset + 2) + 1) * 4;
    const next = offset + size;
    if (next > len) return null;
    let end = next;
    if ((b0 & 0x20) !== 0) {
      // RFC 3550 §6.4.1: the last octet counts the padding, itself included; it may not eat
      // into the 4-byte header.
      const padding = buf[next - 1]!;
      if (padding === 0 || padding > size - 4) return null;
      end = next - padding;
    }
    const packet = parseOne(buf, offset, end);
    if (packet === null) return null;
    packets.push(packet);
    offset = next;
  }
  return packets;
}
