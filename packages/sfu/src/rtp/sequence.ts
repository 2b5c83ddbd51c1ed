// Serial-number arithmetic for RTP sequence numbers (16 bit) and timestamps (32 bit).
// Both wrap around (RFC 3550 §5.1), so "newer" means "ahead by less than half the number
// space" — the comparison rule of RFC 1982 §3.2. Exactly half the space apart is ambiguous;
// these functions then report the distance as the most negative value and neither as newer.

/** Signed distance `a - b` between two 16-bit sequence numbers, in [-32768, 32767]. */
export function seqDiff(a: number, b: number): number {
  return ((a - b + 0x8000) & 0xffff) - 0x8000;
}

/** True when sequence number `a` comes after `b` (RFC 1982 comparison). */
export function isSeqNewer(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** `seq + n` modulo 2^16 (`n` may be negative). */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) & 0xffff;
}

/** Signed distance `a - b` between two 32-bit RTP timestamps, in [-2^31, 2^31 - 1]. */
export function tsDiff(a: number, b: number): number {
  // `| 0` is ToInt32: reduces the exact difference modulo 2^32 into the signed range.
  return (a - b) | 0;
}

/** True when timestamp `a` comes after `b` (RFC 1982 comparison). */
export function isTsNewer(a: number, b: number): boolean {
  return tsDiff(a, b) > 0;
}

/** `ts + n` modulo 2^32 as an unsigned value (`n` may be negative or fractional-free large). */
export function tsAdd(ts: number, n: number): number {
  return (ts + n) >>> 0;
}
