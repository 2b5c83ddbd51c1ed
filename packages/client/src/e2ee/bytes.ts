// Byte helpers shared by the E2EE wire formats: big-endian integers up to 2^53 and AES-GCM sizes.

/** AES-GCM nonce length used everywhere here (SFrame's Nn, sealed keys, chat). */
export const IV_BYTES = 12;
/** AES-GCM tag length used everywhere here (SFrame's Nt, sealed keys, chat). */
export const TAG_BYTES = 16;

export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** `value` (a non-negative safe integer that fits) as `length` big-endian bytes. */
export function uintBytes(value: number, length: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(value) || value < 0 || (length < 7 && value >= 2 ** (8 * length))) {
    throw new RangeError(`${value} does not fit in ${length} bytes`);
  }
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return bytes;
}

export const uint32 = (value: number): Uint8Array<ArrayBuffer> => uintBytes(value, 4);

/** The big-endian integer of `length` bytes at `at`; null when cut short or beyond 2^53 (not exact as a JS number). */
export function readUint(data: Uint8Array, at: number, length: number): number | null {
  if (at + length > data.length) return null;
  let value = 0;
  for (let i = 0; i < length; i++) {
    value = value * 256 + (data[at + i] as number);
    // Past 2^53 the float is no longer the exact value; rounding keeps it past the limit.
    if (value > Number.MAX_SAFE_INTEGER) return null;
  }
  return value;
}
