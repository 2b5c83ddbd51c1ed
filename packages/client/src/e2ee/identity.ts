// A participant's identity key pair (ECDH P-256, made per page session; the private key never leaves
// WebCrypto) and the pairwise keys it shares with each other participant, which seal sender keys and
// private chat so the server only relays ciphertext (design "Primitives").

import { fromBase64url, toBase64url } from './base64url.js';
import { decodeSenderKey, encodeSenderKey, own, type SenderKey } from './sender-key.js';
import { concat, IV_BYTES, TAG_BYTES, uint32 } from './bytes.js';

const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;
/** Uncompressed P-256 point: 0x04 || x || y. */
const POINT_BYTES = 65;
const PAIRWISE_INFO = 'Treff E2EE pairwise v1';
const SENDER_KEY_AAD = 'Treff E2EE key v2';
const encoder = new TextEncoder();

/** AES-GCM-128 shared by exactly two participants. */
export interface PairwiseKey {
  /** iv(12) || ciphertext+tag, with `aad` authenticated. */
  seal(plaintext: Uint8Array, aad: string | Uint8Array): Promise<Uint8Array>;
  /** The plaintext, or null when `sealed` was not sealed with this key and `aad`. */
  open(sealed: Uint8Array, aad: string | Uint8Array): Promise<Uint8Array | null>;
}

/**
 * Who sealed a sender key for whom, and whose key it is. Both parties derive the same pairwise key, so
 * without this in the AAD a server could hand A's own entry back to A as B's key, or pass a key on under
 * another key tag.
 */
export interface SealedKeyContext {
  /** Public key (base64url) of the participant whose sender key this is, who sealed it. */
  sender: string;
  /** Public key (base64url) of the participant it is sealed for. */
  recipient: string;
  /** The sender's key tag. */
  keyTag: number;
}

/** Whether `text` has the form of an identity public key (base64url of an uncompressed P-256 point). */
export function isPublicKey(text: string): boolean {
  return publicKeyBytes(text) !== null;
}

export class IdentityKeyPair {
  readonly publicKey: string;
  readonly #privateKey: CryptoKey;
  readonly #publicBytes: Uint8Array;

  private constructor(privateKey: CryptoKey, publicBytes: Uint8Array) {
    this.#privateKey = privateKey;
    this.#publicBytes = publicBytes;
    this.publicKey = toBase64url(publicBytes);
  }

  static async generate(): Promise<IdentityKeyPair> {
    const pair = await crypto.subtle.generateKey(CURVE, false, ['deriveBits']);
    const publicBytes = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
    return new IdentityKeyPair(pair.privateKey, publicBytes);
  }

  /**
   * The key we share with the holder of `theirPublicKey`: HKDF-SHA256 of the ECDH secret, bound to both
   * public keys (sorted, so both sides derive the same). Throws on a malformed or off-curve key.
   */
  async pairwise(theirPublicKey: string): Promise<PairwiseKey> {
    const theirBytes = publicKeyBytes(theirPublicKey);
    if (theirBytes === null) throw new TypeError('malformed E2EE public key');
    let theirs: CryptoKey;
    try {
      theirs = await crypto.subtle.importKey('raw', own(theirBytes), CURVE, false, []);
    } catch {
      throw new TypeError('E2EE public key is not a P-256 point');
    }
    const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: theirs }, this.#privateKey, 256);
    const [first, second] = sortedPair(this.#publicBytes, theirBytes);
    const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: concat(encoder.encode(PAIRWISE_INFO), first, second) },
      ikm,
      { name: 'AES-GCM', length: 128 },
      false,
      ['encrypt', 'decrypt'],
    );
    return aesGcmPairwise(key);
  }
}

/**
 * base64url( iv || AES-GCM(pairwise, aad, epoch || baseKey) ) with
 * aad = "Treff E2EE key v2" || senderPub(65) || recipientPub(65) || keyTag(uint32 BE).
 */
export async function sealSenderKey(pairwise: PairwiseKey, key: SenderKey, context: SealedKeyContext): Promise<string> {
  return toBase64url(await pairwise.seal(encodeSenderKey(key), senderKeyAad(context)));
}

/** The sender key, or null when `sealed` is malformed or was not sealed by `sender` for `recipient` under `keyTag`. */
export async function openSenderKey(pairwise: PairwiseKey, sealed: string, context: SealedKeyContext): Promise<SenderKey | null> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(sealed);
  } catch {
    return null;
  }
  const plain = await pairwise.open(bytes, senderKeyAad(context));
  return plain === null ? null : decodeSenderKey(plain);
}

function senderKeyAad({ sender, recipient, keyTag }: SealedKeyContext): Uint8Array {
  return concat(encoder.encode(SENDER_KEY_AAD), directedPair(sender, recipient), uint32(keyTag));
}

/** senderPub(65) || recipientPub(65): binds a seal to its direction. Throws on a malformed key. */
export function directedPair(sender: string, recipient: string): Uint8Array {
  const from = publicKeyBytes(sender);
  const to = publicKeyBytes(recipient);
  if (from === null || to === null) throw new TypeError('malformed E2EE public key');
  return concat(from, to);
}

function aesGcmPairwise(key: CryptoKey): PairwiseKey {
  return {
    async seal(plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadBytes(aad) }, key, own(plaintext));
      return concat(iv, new Uint8Array(sealed));
    },
    async open(sealed, aad) {
      if (sealed.length < IV_BYTES + TAG_BYTES) return null;
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: own(sealed.slice(0, IV_BYTES)), additionalData: aadBytes(aad) },
          key,
          own(sealed.subarray(IV_BYTES)),
        );
        return new Uint8Array(plain);
      } catch {
        return null;
      }
    },
  };
}

/** The raw point of a public key in the form `isPublicKey` accepts, else null. */
export function publicKeyBytes(text: string): Uint8Array | null {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(text);
  } catch {
    return null;
  }
  return bytes.length === POINT_BYTES && bytes[0] === 0x04 ? bytes : null;
}

/** Two public keys in bytewise order, so both holders put them the same way round. */
export function sortedPair(a: Uint8Array, b: Uint8Array): [Uint8Array, Uint8Array] {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number) ? [a, b] : [b, a];
  return a.length <= b.length ? [a, b] : [b, a];
}

function aadBytes(aad: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof aad === 'string' ? encoder.encode(aad) : own(aad);
}
