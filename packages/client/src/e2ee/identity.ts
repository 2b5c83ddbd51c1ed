// A participant's identity key pair (ECDH P-256, made per page session; the private key never leaves
// WebCrypto) and the pairwise keys it shares with each other participant, which seal sender keys and
// private chat so the server only relays ciphertext (design "Primitives").

import { fromBase64url, toBase64url } from './base64url.js';
import { decodeSenderKey, encodeSenderKey, own, type SenderKey } from './sender-key.js';
import { concat } from './sframe.js';

const CURVE = { name: 'ECDH', namedCurve: 'P-256' } as const;
/** Uncompressed P-256 point: 0x04 || x || y. */
const POINT_BYTES = 65;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PAIRWISE_INFO = 'Treff E2EE pairwise v1';
const SENDER_KEY_AAD = 'Treff E2EE key v1';
const encoder = new TextEncoder();

/** AES-GCM-128 shared by exactly two participants. */
export interface PairwiseKey {
  /** iv(12) || ciphertext+tag, with `aad` authenticated. */
  seal(plaintext: Uint8Array, aad: string): Promise<Uint8Array>;
  /** The plaintext, or null when `sealed` was not sealed with this key and `aad`. */
  open(sealed: Uint8Array, aad: string): Promise<Uint8Array | null>;
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

/** base64url( iv || AES-GCM(pairwise, aad "Treff E2EE key v1", epoch || baseKey) ). */
export async function sealSenderKey(pairwise: PairwiseKey, key: SenderKey): Promise<string> {
  return toBase64url(await pairwise.seal(encodeSenderKey(key), SENDER_KEY_AAD));
}

/** The sender key, or null when `sealed` is malformed or was not sealed for this pair. */
export async function openSenderKey(pairwise: PairwiseKey, sealed: string): Promise<SenderKey | null> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(sealed);
  } catch {
    return null;
  }
  const plain = await pairwise.open(bytes, SENDER_KEY_AAD);
  return plain === null ? null : decodeSenderKey(plain);
}

function aesGcmPairwise(key: CryptoKey): PairwiseKey {
  return {
    async seal(plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(aad) }, key, own(plaintext));
      return concat(iv, new Uint8Array(sealed));
    },
    async open(sealed, aad) {
      if (sealed.length < IV_BYTES + TAG_BYTES) return null;
      try {
        const plain = await crypto.subtle.decrypt(
          { name: 'AES-GCM', iv: own(sealed.slice(0, IV_BYTES)), additionalData: encoder.encode(aad) },
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
