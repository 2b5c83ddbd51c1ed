// The safety code two participants compare out of band (read aloud, or side by side) to detect a server
// that swapped identity keys (design "Trust model"). Same on both sides, different for any other pair.
//
// SHA-256( "Treff E2EE safety v1" || sortedPub1 || sortedPub2 ), the first 10 bytes as four 20-bit
// big-endian numbers, each mod 100000 as five digits: "ddddd ddddd ddddd ddddd" (about 66 bits).

import { publicKeyBytes, sortedPair } from './identity.js';
import { concat } from './sframe.js';

const LABEL = new TextEncoder().encode('Treff E2EE safety v1');
const GROUPS = 4;
const GROUP_BITS = 20;

/** Throws a TypeError when either key is not an identity public key. */
export async function safetyCode(publicKeyA: string, publicKeyB: string): Promise<string> {
  const a = publicKeyBytes(publicKeyA);
  const b = publicKeyBytes(publicKeyB);
  if (a === null || b === null) throw new TypeError('malformed E2EE public key');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', concat(LABEL, ...sortedPair(a, b))));
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group++) groups.push(String(bitsAt(digest, group * GROUP_BITS, GROUP_BITS) % 100_000).padStart(5, '0'));
  return groups.join(' ');
}

function bitsAt(bytes: Uint8Array, start: number, count: number): number {
  let value = 0;
  for (let bit = start; bit < start + count; bit++) value = value * 2 + (((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1);
  return value;
}
