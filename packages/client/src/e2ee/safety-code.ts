// The safety code two participants compare out of band (read aloud, or side by side) to detect a server
// that swapped identity keys (design "Trust model"). Same on both sides, different for any other pair.
//
// Each identity key has a fingerprint that depends on that key alone:
//   h₀ = SHA-512( "Treff E2EE fingerprint v1" || pub ),  hᵢ₊₁ = SHA-512( hᵢ || pub ),  1024 rounds;
// its first 20 bytes as four 40-bit big-endian numbers, each mod 100000 as five digits (20 digits).
// The pair's code is both fingerprints, the smaller first: eight groups of five digits.
//
// Why not one hash over both keys: a man in the middle picks both of his keys, so a code of the pair
// only needs code(A, M_B) = code(M_A, B) — a birthday search over ~66 bits (~2^33 tries). With one
// fingerprint per key he must match B's fingerprint with a key of his own: a second preimage over
// ~66 bits, each try costing 1024 hashes.

import { concat, readUint } from './bytes.js';
import { publicKeyBytes } from './identity.js';

const LABEL = new TextEncoder().encode('Treff E2EE fingerprint v1');
export const FINGERPRINT_ROUNDS = 1024;
const GROUPS = 4;
const GROUP_BYTES = 5;

/** "ddddd ddddd ddddd ddddd ddddd ddddd ddddd ddddd". Throws a TypeError when either key is not an identity public key. */
export async function safetyCode(publicKeyA: string, publicKeyB: string): Promise<string> {
  return pairCode(await fingerprint(publicKeyA), await fingerprint(publicKeyB));
}

/** The code of two fingerprints (see `fingerprint`): the smaller first. */
export function pairCode(fingerprintA: string, fingerprintB: string): string {
  return [fingerprintA, fingerprintB].sort().join(' ');
}

/** The 20 digits (four groups of five) of one identity public key. */
export async function fingerprint(publicKey: string): Promise<string> {
  const key = publicKeyBytes(publicKey);
  if (key === null) throw new TypeError('malformed E2EE public key');
  let hash = new Uint8Array(await crypto.subtle.digest('SHA-512', concat(LABEL, key)));
  for (let round = 1; round < FINGERPRINT_ROUNDS; round++) hash = new Uint8Array(await crypto.subtle.digest('SHA-512', concat(hash, key)));
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group++) {
    groups.push(String((readUint(hash, group * GROUP_BYTES, GROUP_BYTES) as number) % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}
