// Builders for the RTCP packets the SFU sends. Each returns a fresh Buffer holding a single
// RTCP packet (a valid compound on its own under reduced-size RTCP, RFC 5506); callers that
// need a full RFC 3550 compound can Buffer.concat an RR/SR in front.

import { seqDiff } from './sequence.js';
import {
  PSFB_AFB,
  PSFB_FIR,
  PSFB_PLI,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SR,
  RTPFB_NACK,
  type ReportBlock,
  type RtcpSenderReport,
} from './rtcp-types.js';

/** At most 31 report blocks fit the 5-bit RC field (RFC 3550 §6.4.1); extra ones are dropped. */
const MAX_REPORTS = 31;

/** Writes the 4-byte common header: V=2, P=0, count/FMT, packet type, length in words - 1. */
function writeHeader(buf: Buffer, count: number, packetType: number): void {
  buf[0] = 0x80 | (count & 0x1f);
  buf[1] = packetType;
  buf.writeUInt16BE(buf.length / 4 - 1, 2);
}

function writeReportBlock(buf: Buffer, o: number, r: ReportBlock): void {
  buf.writeUInt32BE(r.ssrc >>> 0, o);
  buf[o + 4] = Math.min(255, Math.max(0, r.fractionLost | 0));
  // RFC 3550 Appendix A.3: clamp the cumulative loss to the signed 24-bit range.
  const lost = Math.min(0x7fffff, Math.max(-0x800000, Math.trunc(r.cumulativeLost))) & 0xffffff;
  buf[o + 5] = lost >> 16;
  buf[o + 6] = (lost >> 8) & 0xff;
  buf[o + 7] = lost & 0xff;
  buf.writeUInt32BE(r.highestSeq >>> 0, o + 8);
  buf.writeUInt32BE(r.jitter >>> 0, o + 12);
  buf.writeUInt32BE(r.lastSr >>> 0, o + 16);
  buf.writeUInt32BE(r.delaySinceLastSr >>> 0, o + 20);
}

/** Picture Loss Indication, RFC 4585 §6.3.1: 12 bytes, no FCI. */
export function buildPli(senderSsrc: number, mediaSsrc: number): Buffer {
  const buf = Buffer.alloc(12);
  writeHeader(buf, PSFB_PLI, RTCP_PSFB);
  buf.writeUInt32BE(senderSsrc >>> 0, 4);
  buf.writeUInt32BE(mediaSsrc >>> 0, 8);
  return buf;
}

/**
 * Full Intra Request, RFC 5104 §4.3.1. The media source field is 0 (§4.3.1.2); the target
 * SSRC goes in the FCI with the command sequence number, which the caller increments per
 * new request (repetitions of the same request keep it, §4.3.1.1).
 */
export function buildFir(senderSsrc: number, mediaSsrc: number, seqNr: number): Buffer {
  const buf = Buffer.alloc(20);
  writeHeader(buf, PSFB_FIR, RTCP_PSFB);
  buf.writeUInt32BE(senderSsrc >>> 0, 4);
  // bytes 8..11 stay 0: media source SSRC is unused in FIR
  buf.writeUInt32BE(mediaSsrc >>> 0, 12);
  buf[16] = seqNr & 0xff;
  return buf;
}

/** Maximum FCI entries so that the 16-bit length field stays valid. */
const MAX_NACK_ITEMS = 0xffff - 2;

/**
 * Generic NACK, RFC 4585 §6.2.1. Packs the lost sequence numbers (any order, duplicates
 * allowed) into PID/BLP pairs: each pair covers PID and the 16 numbers after it. Ordering is
 * wrap-aware, relative to the first number given, so 65535 sorts before 0 after a wrap.
 * Returns an empty Buffer when `lost` is empty (a NACK needs at least one FCI entry).
 */
export function buildNack(senderSsrc: number, mediaSsrc: number, lost: readonly number[]): Buffer {
  if (lost.length === 0) return Buffer.alloc(0);
  const ref = lost[0]! & 0xffff;
  // Sort by signed distance from the first number: a total order even across the wrap.
  const sorted = lost.map((s) => s & 0xffff).sort((a, b) => seqDiff(a, ref) - seqDiff(b, ref));
  const items: number[] = []; // PID << 16 | BLP
  let pid = sorted[0]!;
  let blp = 0;
  for (let i = 1; i < sorted.length; i++) {
    const seq = sorted[i]!;
    const d = seqDiff(seq, pid);
    if (d === 0) continue; // duplicate
    if (d <= 16) {
      blp |= 1 << (d - 1);
    } else {
      items.push(((pid << 16) | blp) >>> 0);
      pid = seq;
      blp = 0;
    }
  }
  items.push(((pid << 16) | blp) >>> 0);
  const n = Math.min(items.length, MAX_NACK_ITEMS);
  const buf = Buffer.alloc(12 + 4 * n);
  writeHeader(buf, RTPFB_NACK, RTCP_RTPFB);
  buf.writeUInt32BE(senderSsrc >>> 0, 4);
  buf.writeUInt32BE(mediaSsrc >>> 0, 8);
  for (let i = 0; i < n; i++) buf.writeUInt32BE(items[i]!, 12 + 4 * i);
  return buf;
}

/** The fields of a sender report as parsed, with report blocks optional. */
export type SenderReportInit = Omit<RtcpSenderReport, 'kind' | 'reports'> & { reports?: readonly ReportBlock[] };

/** Sender report, RFC 3550 §6.4.1 (at most 31 report blocks; extra ones are dropped). */
export function buildSenderReport(init: SenderReportInit): Buffer {
  const reports = init.reports ?? [];
  const n = Math.min(reports.length, MAX_REPORTS);
  const buf = Buffer.alloc(28 + 24 * n);
  writeHeader(buf, n, RTCP_SR);
  buf.writeUInt32BE(init.ssrc >>> 0, 4);
  buf.writeUInt32BE(init.ntpSeconds >>> 0, 8);
  buf.writeUInt32BE(init.ntpFraction >>> 0, 12);
  buf.writeUInt32BE(init.rtpTimestamp >>> 0, 16);
  // Counters wrap modulo 2^32 (RFC 3550 §6.4.1).
  buf.writeUInt32BE(init.packetCount >>> 0, 20);
  buf.writeUInt32BE(init.octetCount >>> 0, 24);
  for (let i = 0; i < n; i++) writeReportBlock(buf, 28 + 24 * i, reports[i]!);
  return buf;
}

/** Receiver report, RFC 3550 §6.4.2 (at most 31 report blocks; zero is valid). */
export function buildReceiverReport(senderSsrc: number, reports: readonly ReportBlock[]): Buffer {
  const n = Math.min(reports.length, MAX_REPORTS);
  const buf = Buffer.alloc(8 + 24 * n);
  writeHeader(buf, n, RTCP_RR);
  buf.writeUInt32BE(senderSsrc >>> 0, 4);
  for (let i = 0; i < n; i++) writeReportBlock(buf, 8 + 24 * i, reports[i]!);
  return buf;
}

/**
 * Receiver Estimated Maximum Bitrate, draft-alvestrand-rmcat-remb §2.2: an application layer
 * feedback (RFC 4585 §6.4) with media source 0 and bitrate = mantissa(18 bits) × 2^exp(6 bits).
 * The bitrate is rounded down to what the encoding can express; at most 255 SSRCs.
 */
export function buildRemb(senderSsrc: number, bitrate: number, ssrcs: readonly number[]): Buffer {
  const n = Math.min(ssrcs.length, 255);
  let mantissa = Math.max(0, Math.floor(bitrate));
  let exp = 0;
  while (mantissa > 0x3ffff && exp < 63) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  if (mantissa > 0x3ffff) mantissa = 0x3ffff;
  const buf = Buffer.alloc(20 + 4 * n);
  writeHeader(buf, PSFB_AFB, RTCP_PSFB);
  buf.writeUInt32BE(senderSsrc >>> 0, 4);
  // bytes 8..11 stay 0: media source is unused in REMB
  buf.write('REMB', 12, 'latin1');
  buf[16] = n;
  buf[17] = (exp << 2) | (mantissa >> 16);
  buf.writeUInt16BE(mantissa & 0xffff, 18);
  for (let i = 0; i < n; i++) buf.writeUInt32BE(ssrcs[i]! >>> 0, 20 + 4 * i);
  return buf;
}
