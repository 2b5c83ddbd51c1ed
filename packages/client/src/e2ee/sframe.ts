// SFrame (RFC 9605) with cipher suite AES_128_GCM_SHA256_128: header codec (§4.3), key and salt
// derivation (§4.4.2), nonce and AEAD encryption (§4.4.3–4.4.4). Frames on the wire are
// clearPrefix || header || ciphertext+tag, with the clear prefix as the SFrame metadata (authenticated).

import { concat, IV_BYTES, readUint, TAG_BYTES, uintBytes } from './bytes.js';
import { own } from './sender-key.js';

export { concat } from './bytes.js';

/** AES_128_GCM_SHA256_128 (RFC 9605 §8.1). */
export const SFRAME_SUITE = 0x0004;
const NK = 16;
const NN = IV_BYTES;
const NT = TAG_BYTES;
const MAX_VALUE_BYTES = 8;

export interface SFrameKey {
  readonly kid: number;
  readonly key: CryptoKey;
  /** Nn = 12 bytes, XORed with the counter to make each frame's nonce. */
  readonly salt: Uint8Array;
}

/** sframe_key and sframe_salt as bytes (RFC 9605 §4.4.2); deriveSFrameKey wraps them. */
export async function deriveSFrameSecrets(baseKey: Uint8Array, kid: number): Promise<{ key: Uint8Array; salt: Uint8Array }> {
  checkValue('kid', kid);
  const ikm = await crypto.subtle.importKey('raw', own(baseKey), 'HKDF', false, ['deriveBits']);
  const expand = async (label: string, bytes: number): Promise<Uint8Array> => {
    const info = concat(new TextEncoder().encode(label), uint64(kid), new Uint8Array([SFRAME_SUITE >> 8, SFRAME_SUITE & 0xff]));
    // WebCrypto HKDF is Extract(salt = "", base_key) then Expand(info): exactly the RFC's two steps.
    return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info }, ikm, bytes * 8));
  };
  return { key: await expand('SFrame 1.0 Secret key ', NK), salt: await expand('SFrame 1.0 Secret salt ', NN) };
}

export async function deriveSFrameKey(baseKey: Uint8Array, kid: number): Promise<SFrameKey> {
  const secrets = await deriveSFrameSecrets(baseKey, kid);
  const key = await crypto.subtle.importKey('raw', own(secrets.key), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { kid, key, salt: secrets.salt };
}

/**
 * Config byte X|K|Y|C, then the KID and CTR in their shortest big-endian form; values below 8 sit in
 * the config byte itself.
 */
export function encodeSFrameHeader(kid: number, ctr: number): Uint8Array {
  checkValue('kid', kid);
  checkValue('ctr', ctr);
  const kidBytes = kid < 8 ? null : minimalBytes(kid);
  const ctrBytes = ctr < 8 ? null : minimalBytes(ctr);
  const config = (kidBytes === null ? kid << 4 : 0x80 | ((kidBytes.length - 1) << 4)) | (ctrBytes === null ? ctr : 0x08 | (ctrBytes.length - 1));
  return concat(new Uint8Array([config]), kidBytes ?? new Uint8Array(0), ctrBytes ?? new Uint8Array(0));
}

/**
 * The header at `offset`, or null when there is none: out of range, cut short, or a KID or CTR beyond
 * 2^53 (no Treff sender writes those; they could not be told apart as JS numbers).
 */
export function decodeSFrameHeader(data: Uint8Array, offset: number): { kid: number; ctr: number; length: number } | null {
  if (!Number.isInteger(offset) || offset < 0 || offset >= data.length) return null;
  const config = data[offset] as number;
  let at = offset + 1;
  let kid = (config >> 4) & 0x07;
  if (config & 0x80) {
    const value = readUint(data, at, kid + 1);
    if (value === null) return null;
    at += kid + 1;
    kid = value;
  }
  let ctr = config & 0x07;
  if (config & 0x08) {
    const value = readUint(data, at, ctr + 1);
    if (value === null) return null;
    at += ctr + 1;
    ctr = value;
  }
  return { kid, ctr, length: at - offset };
}

/** salt XOR CTR, the counter left-padded to Nn bytes (RFC 9605 §4.4.3). */
export function sframeNonce(salt: Uint8Array, ctr: number): Uint8Array {
  checkValue('ctr', ctr);
  const nonce = concat(new Uint8Array(NN - 8), uint64(ctr));
  for (let i = 0; i < NN; i++) nonce[i] = (nonce[i] as number) ^ (salt[i] as number);
  return nonce;
}

/**
 * Encrypts `frame` under `key` with counter `ctr`, keeping its first `clearBytes` in clear as
 * authenticated metadata: clearPrefix || header || ciphertext+tag.
 */
export async function sframeEncrypt(key: SFrameKey, ctr: number, frame: Uint8Array, clearBytes: number): Promise<Uint8Array> {
  if (!Number.isInteger(clearBytes) || clearBytes < 0 || clearBytes > frame.length) throw new RangeError(`clear bytes ${clearBytes} outside the frame`);
  const header = encodeSFrameHeader(key.kid, ctr);
  const metadata = frame.subarray(0, clearBytes);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: own(sframeNonce(key.salt, ctr)), additionalData: concat(header, metadata), tagLength: NT * 8 },
    key.key,
    own(frame.subarray(clearBytes)),
  );
  return concat(metadata, header, new Uint8Array(sealed));
}

/** The frame back (clear prefix and plaintext), or null when `data` is not SFrame for this key or does not authenticate. */
export async function sframeDecrypt(key: SFrameKey, data: Uint8Array, clearBytes: number): Promise<Uint8Array | null> {
  if (!Number.isInteger(clearBytes) || clearBytes < 0) return null;
  const header = decodeSFrameHeader(data, clearBytes);
  if (header === null || header.kid !== key.kid) return null;
  const bodyAt = clearBytes + header.length;
  if (data.length - bodyAt < NT) return null;
  const metadata = data.subarray(0, clearBytes);
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: own(sframeNonce(key.salt, header.ctr)), additionalData: concat(data.subarray(clearBytes, bodyAt), metadata), tagLength: NT * 8 },
      key.key,
      own(data.subarray(bodyAt)),
    );
    return concat(metadata, new Uint8Array(plain));
  } catch {
    return null;
  }
}

function checkValue(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`SFrame ${name} must be a non-negative safe integer, got ${value}`);
}

function uint64(value: number): Uint8Array {
  return uintBytes(value, 8);
}

function minimalBytes(value: number): Uint8Array {
  const full = uint64(value);
  let first = 0;
  while (first < MAX_VALUE_BYTES - 1 && full[first] === 0) first++;
  return full.subarray(first);
}
