// Typed views of the RTCP packets the SFU acts on. Constants are the packet types of
// RFC 3550 §12.1 and RFC 4585 §6.1, and the feedback message types (FMT) of RFC 4585 §6.2-6.3,
// RFC 5104 §4.3 and draft-holmer-rmcat-transport-wide-cc-extensions-01.

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
/** Transport layer feedback (RFC 4585 §6.1). */
export const RTCP_RTPFB = 205;
/** Payload-specific feedback (RFC 4585 §6.1). */
export const RTCP_PSFB = 206;
/** Extended reports (RFC 3611). */
export const RTCP_XR = 207;

export const RTPFB_NACK = 1; // RFC 4585 §6.2.1
export const RTPFB_TWCC = 15; // transport-wide congestion control feedback
export const PSFB_PLI = 1; // RFC 4585 §6.3.1
export const PSFB_FIR = 4; // RFC 5104 §4.3.1
export const PSFB_AFB = 15; // application layer feedback (RFC 4585 §6.4), REMB lives here

/** RFC 3550 §6.4.1 report block. */
export interface ReportBlock {
  ssrc: number;
  /** Fraction of packets lost since the previous report, as a fixed-point number / 256. */
  fractionLost: number;
  /** Cumulative packets lost, signed 24-bit (duplicates can make it negative). */
  cumulativeLost: number;
  /** Extended highest sequence number received (cycles << 16 | seq). */
  highestSeq: number;
  /** Interarrival jitter in timestamp units. */
  jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp (0 if none). */
  lastSr: number;
  /** Delay since that SR, in units of 1/65536 s (0 if none). */
  delaySinceLastSr: number;
}

export interface RtcpSenderReport {
  kind: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  /** Payload octets sent (RFC 3550 §6.4.1: excluding header and padding). */
  octetCount: number;
  reports: ReportBlock[];
}

export interface RtcpReceiverReport {
  kind: 'rr';
  ssrc: number;
  reports: ReportBlock[];
}

export interface RtcpPli {
  kind: 'pli';
  senderSsrc: number;
  mediaSsrc: number;
}

export interface FirEntry {
  ssrc: number;
  seqNr: number;
}

export interface RtcpFir {
  kind: 'fir';
  senderSsrc: number;
  entries: FirEntry[];
}

export interface RtcpNack {
  kind: 'nack';
  senderSsrc: number;
  mediaSsrc: number;
  /** Lost sequence numbers, expanded from the PID/BLP pairs, in packet order. */
  lost: number[];
}

export interface RtcpRemb {
  kind: 'remb';
  senderSsrc: number;
  /** Estimated maximum bitrate in bits per second. */
  bitrate: number;
  ssrcs: number[];
}

export interface RtcpBye {
  kind: 'bye';
  ssrcs: number[];
}

/**
 * Any other packet (SDES, APP, XR, unknown feedback, or transport-wide feedback whose FCI does
 * not parse): skipped, reported for counting.
 */
export interface RtcpOther {
  kind: 'other';
  packetType: number;
  /** The 5-bit count/FMT field of the first byte. */
  fmt: number;
}

export type RtcpPacket =
  | RtcpSenderReport
  | RtcpReceiverReport
  | RtcpPli
  | RtcpFir
  | RtcpNack
  | RtcpRemb
  | RtcpBye
  | RtcpTransportFeedback
  | RtcpOther;

/** Status symbols of transport-wide feedback (transport-wide-cc-extensions-01 §3.1.1). */
export const TWCC_NOT_RECEIVED = 0;
/** Received, receive delta in 1 byte (0..63.75 ms). */
export const TWCC_RECEIVED_SMALL = 1;
/** Received, receive delta in 2 signed bytes (-8192..8191.75 ms). */
export const TWCC_RECEIVED_LARGE = 2;

/**
 * Transport-wide congestion control feedback, RTPFB FMT=15
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1), expanded per packet: entry i
 * describes transport-wide sequence number (baseSequence + i) mod 2^16.
 */
export interface RtcpTransportFeedback {
  kind: 'transport-cc';
  senderSsrc: number;
  mediaSsrc: number;
  baseSequence: number;
  packetStatusCount: number;
  /** 24-bit reference time in multiples of 64 ms, in the receiver's clock (wraps). */
  referenceTime: number;
  /** 8-bit counter of feedback packets sent, to detect lost feedback. */
  feedbackPacketCount: number;
  /** Per packet: TWCC_NOT_RECEIVED, TWCC_RECEIVED_SMALL or TWCC_RECEIVED_LARGE. */
  status: Uint8Array;
  /**
   * Per packet: receive time in µs in the receiver's clock, referenceTime × 64 000 plus the
   * running sum of the receive deltas (so it may be negative for reordered packets). 0 for
   * packets not received; `status` says which.
   */
  receiveTimeUs: Float64Array;
}
