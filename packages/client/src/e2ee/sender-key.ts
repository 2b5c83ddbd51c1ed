// A participant's sender key: the base key its frames and chat are sealed with, and the epoch that
// numbers it. Epochs only grow: ratchet (one-way, on join) and rotation (fresh, on leave) both add one.

import { concat, uint32 } from './bytes.js';

export interface SenderKey {
  readonly epoch: number;
  /** 16 bytes. */
  readonly baseKey: Uint8Array;
}

export const BASE_KEY_BYTES = 16;
/** Epochs are uint32 (the sealed key carries 4 bytes). */
export const MAX_EPOCH = 0xffff_ffff;
const RATCHET_INFO = new TextEncoder().encode('Treff E2EE ratchet v1');

export function newSenderKey(epoch = 0): SenderKey {
  checkEpoch(epoch);
  return { epoch, baseKey: crypto.getRandomValues(new Uint8Array(BASE_KEY_BYTES)) };
}

/** A fresh random key one epoch on: nobody can compute it from earlier keys (used when someone leaves). */
export function rotate(key: SenderKey): SenderKey {
  return newSenderKey(key.epoch + 1);
}

/**
 * The next key derived from this one (HKDF-SHA256). Anyone holding `key` can follow, but nobody can go
 * back: a newcomer given the ratcheted key cannot decrypt what was sent before.
 */
export async function ratchet(key: SenderKey): Promise<SenderKey> {
  checkEpoch(key.epoch + 1);
  return { epoch: key.epoch + 1, baseKey: await hkdfSha256(key.baseKey, RATCHET_INFO, BASE_KEY_BYTES) };
}

/** epoch (uint32 BE) || baseKey: the plaintext of a sealed sender key. */
export function encodeSenderKey(key: SenderKey): Uint8Array {
  checkEpoch(key.epoch);
  if (key.baseKey.length !== BASE_KEY_BYTES) throw new RangeError(`base key must be ${BASE_KEY_BYTES} bytes`);
  return concat(uint32(key.epoch), key.baseKey);
}

export function decodeSenderKey(bytes: Uint8Array): SenderKey | null {
  if (bytes.length !== 4 + BASE_KEY_BYTES) return null;
  const epoch = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  return { epoch, baseKey: bytes.slice(4) };
}

/** HKDF-SHA256 (RFC 5869) with an empty salt: Extract then Expand to `length` bytes. */
export async function hkdfSha256(ikm: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', own(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: own(info) }, key, length * 8);
  return new Uint8Array(bits);
}

/**
 * The same bytes backed by a plain ArrayBuffer, as WebCrypto's types require (a view of a
 * SharedArrayBuffer is copied).
 */
export function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

export function checkEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) throw new RangeError(`epoch must be a uint32, got ${epoch}`);
}
