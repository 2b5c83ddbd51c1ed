// NTP timestamps as used in RTCP sender reports (RFC 3550 §4): 32-bit seconds since
// 1900-01-01 plus a 32-bit binary fraction of a second.

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;

export interface NtpTime {
  seconds: number;
  fraction: number;
}

/** Converts Unix milliseconds (may be fractional) to NTP seconds/fraction, both unsigned 32-bit. */
export function ntpFromUnixMs(ms: number): NtpTime {
  const unixSeconds = Math.floor(ms / 1000);
  // 2^32 / 1000 = 4294967.296 fraction units per millisecond; the remainder is < 1000 ms,
  // so the product stays below 2^32.
  const fraction = Math.floor((ms - unixSeconds * 1000) * 4294967.296);
  // Era wrap (2036) is modulo 2^32, as RFC 3550 §4 expects receivers to cope with.
  return { seconds: (unixSeconds + NTP_UNIX_OFFSET_SECONDS) >>> 0, fraction: fraction >>> 0 };
}

/** Converts NTP seconds/fraction (era 0, i.e. before 2036) back to Unix milliseconds. */
export function unixMsFromNtp(seconds: number, fraction: number): number {
  return (seconds - NTP_UNIX_OFFSET_SECONDS) * 1000 + (fraction / 4294967296) * 1000;
}

/**
 * The middle 32 bits of a 64-bit NTP timestamp (RFC 3550 §6.4.1, "LSR"): 16 bits of seconds and
 * 16 bits of fraction, i.e. units of 1/65536 s.
 */
export function compactNtp(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}
