// Chat in an end-to-end encrypted meeting (design "Chat"). A public message is sealed with the chat key
// of the sender's current sender key, so exactly those who hold that key can read it — not the server,
// not someone who joined later. A private message is sealed with the pairwise key of sender and
// recipient. Both travel as base64url( kid(6 bytes BE) || iv(12) || AES-GCM ciphertext+tag ), where
// KID 0 marks a pairwise seal.

import { fromBase64url, toBase64url } from './base64url.js';
import { concat, IV_BYTES, readUint, TAG_BYTES, uintBytes } from './bytes.js';
import { directedPair, type PairwiseKey } from './identity.js';
import { kidOf, tagOf } from './key-id.js';
import { deriveChatKey, type KeyRing } from './key-ring.js';
import { own, type SenderKey } from './sender-key.js';

const KID_BYTES = 6;
const CHAT_AAD = new TextEncoder().encode('Treff E2EE chat v1');
const PRIVATE_AAD = new TextEncoder().encode('Treff E2EE private chat v2');
const PAIRWISE_KID = new Uint8Array(KID_BYTES);

export async function sealChat(key: SenderKey, keyTag: number, text: string): Promise<string> {
  return sealWithSenderKey(key, keyTag, CHAT_AAD, new TextEncoder().encode(text));
}

/**
 * The text, or null when it is malformed, private, sealed with a key we never had, or sealed under
 * another key tag than `senderTag` — the tag of the participant the server says sent it, so a message
 * cannot be passed off as someone else's. A message that opens under a ratcheted key moves the ring on.
 */
export async function openChat(ring: KeyRing, sealed: string, senderTag: number): Promise<string | null> {
  const plain = await openWithSenderKey(ring, sealed, senderTag, CHAT_AAD);
  return plain === null ? null : utf8(plain);
}

/**
 * base64url( kid || iv || AES-GCM(chat key of `key`, `plain`, aad = `label` || kid) ). What it carries is
 * told apart by `label` (public chat, a shared document's update): one never opens as the other.
 */
export async function sealWithSenderKey(key: SenderKey, keyTag: number, label: Uint8Array, plain: Uint8Array): Promise<string> {
  const kid = kidOf(keyTag, key.epoch);
  if (kid === 0) throw new RangeError('KID 0 marks private messages: key tag 0 cannot seal with a sender key at this epoch (use newKeyTag)');
  const kidBytes = uintBytes(kid, KID_BYTES);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: concat(label, kidBytes) }, await deriveChatKey(key.baseKey), own(plain));
  return toBase64url(concat(kidBytes, iv, new Uint8Array(sealed)));
}

/** What `sealWithSenderKey` sealed under `label` and one of `senderTag`'s keys in `ring`, or null (see openChat). */
export async function openWithSenderKey(ring: KeyRing, sealed: string, senderTag: number, label: Uint8Array): Promise<Uint8Array | null> {
  const bytes = decode(sealed);
  if (bytes === null) return null;
  const kidBytes = bytes.subarray(0, KID_BYTES);
  const kid = readUint(kidBytes, 0, KID_BYTES);
  if (kid === null || kid === 0 || tagOf(kid) !== senderTag) return null;
  const key = await ring.chatKey(kid);
  if (key === null) return null;
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: own(bytes.slice(KID_BYTES, KID_BYTES + IV_BYTES)), additionalData: concat(label, kidBytes) },
      key,
      own(bytes.subarray(KID_BYTES + IV_BYTES)),
    );
  } catch {
    return null;
  }
  await ring.follow(kid);
  return new Uint8Array(plain);
}

/**
 * AAD = "Treff E2EE private chat v2" || senderPub || recipientPub: both ends hold the same pairwise
 * key, so the direction must be authenticated or the server could reflect our own message back as theirs.
 */
export async function sealPrivateChat(pairwise: PairwiseKey, sender: string, recipient: string, text: string): Promise<string> {
  const aad = concat(PRIVATE_AAD, directedPair(sender, recipient));
  return toBase64url(concat(PAIRWISE_KID, await pairwise.seal(new TextEncoder().encode(text), aad)));
}

/** The text, or null when it is malformed, public, or not sealed by `sender` for `recipient`. */
export async function openPrivateChat(pairwise: PairwiseKey, sender: string, recipient: string, sealed: string): Promise<string | null> {
  const bytes = decode(sealed);
  if (bytes === null || readUint(bytes, 0, KID_BYTES) !== 0) return null;
  const plain = await pairwise.open(bytes.subarray(KID_BYTES), concat(PRIVATE_AAD, directedPair(sender, recipient)));
  return plain === null ? null : utf8(plain);
}

/** Whether `sealed` is a private (pairwise) seal rather than one with a sender key. */
export function isPrivateSeal(sealed: string): boolean {
  const bytes = decode(sealed);
  return bytes !== null && readUint(bytes, 0, KID_BYTES) === 0;
}

function decode(sealed: string): Uint8Array | null {
  try {
    const bytes = fromBase64url(sealed);
    return bytes.length >= KID_BYTES + IV_BYTES + TAG_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
