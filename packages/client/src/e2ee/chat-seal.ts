// Chat in an end-to-end encrypted meeting (design "Chat"). A public message is sealed with the chat key
// of the sender's current sender key, so exactly those who hold that key can read it — not the server,
// not someone who joined later. A private message is sealed with the pairwise key of sender and
// recipient. Both travel as base64url( kid(6 bytes BE) || iv(12) || AES-GCM ciphertext+tag ), where
// KID 0 marks a pairwise seal.

import { fromBase64url, toBase64url } from './base64url.js';
import type { PairwiseKey } from './identity.js';
import { kidOf } from './key-id.js';
import { deriveChatKey, type KeyRing } from './key-ring.js';
import { own, type SenderKey } from './sender-key.js';
import { concat } from './sframe.js';

const KID_BYTES = 6;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHAT_AAD = new TextEncoder().encode('Treff E2EE chat v1');
const PRIVATE_AAD = 'Treff E2EE private chat v1';
const PAIRWISE_KID = new Uint8Array(KID_BYTES);

export async function sealChat(key: SenderKey, keyTag: number, text: string): Promise<string> {
  const kid = kidOf(keyTag, key.epoch);
  if (kid === 0) throw new RangeError('KID 0 marks private messages: key tag 0 cannot seal public chat at this epoch (use newKeyTag)');
  const kidBytes = uint48(kid);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: concat(CHAT_AAD, kidBytes) },
    await deriveChatKey(key.baseKey),
    new TextEncoder().encode(text),
  );
  return toBase64url(concat(kidBytes, iv, new Uint8Array(sealed)));
}

/** The text, or null when it is malformed, private, or sealed with a key we never had. */
export async function openChat(ring: KeyRing, sealed: string): Promise<string | null> {
  const bytes = decode(sealed);
  if (bytes === null) return null;
  const kidBytes = bytes.subarray(0, KID_BYTES);
  const kid = readUint48(kidBytes);
  if (kid === 0) return null;
  const key = await ring.chatKey(kid);
  if (key === null) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: own(bytes.slice(KID_BYTES, KID_BYTES + IV_BYTES)), additionalData: concat(CHAT_AAD, kidBytes) },
      key,
      own(bytes.subarray(KID_BYTES + IV_BYTES)),
    );
    return utf8(new Uint8Array(plain));
  } catch {
    return null;
  }
}

export async function sealPrivateChat(pairwise: PairwiseKey, text: string): Promise<string> {
  return toBase64url(concat(PAIRWISE_KID, await pairwise.seal(new TextEncoder().encode(text), PRIVATE_AAD)));
}

/** The text, or null when it is malformed, public, or not sealed for this pair. */
export async function openPrivateChat(pairwise: PairwiseKey, sealed: string): Promise<string | null> {
  const bytes = decode(sealed);
  if (bytes === null || readUint48(bytes) !== 0) return null;
  const plain = await pairwise.open(bytes.subarray(KID_BYTES), PRIVATE_AAD);
  return plain === null ? null : utf8(plain);
}

/** Whether `sealed` is a private (pairwise) seal rather than one with a sender key. */
export function isPrivateSeal(sealed: string): boolean {
  const bytes = decode(sealed);
  return bytes !== null && readUint48(bytes) === 0;
}

function decode(sealed: string): Uint8Array | null {
  try {
    const bytes = fromBase64url(sealed);
    return bytes.length >= KID_BYTES + IV_BYTES + TAG_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

function uint48(value: number): Uint8Array {
  const bytes = new Uint8Array(KID_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, Math.floor(value / 2 ** 32));
  view.setUint32(2, value >>> 0);
  return bytes;
}

function readUint48(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, KID_BYTES);
  return view.getUint16(0) * 2 ** 32 + view.getUint32(2);
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
