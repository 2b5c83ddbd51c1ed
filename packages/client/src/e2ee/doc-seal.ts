// The shared documents in an end-to-end encrypted meeting (docs/shared-docs.md). An edit goes to everyone
// sealed with the chat key of the sender's current sender key, as public chat does, under its own label
// and the document's name: a chat message never opens as an edit, nor an edit of the notes as one of the
// whiteboard. A whole document, sent to one participant who asked for it, is sealed with the pairwise key
// of the two, bound to sender, recipient and document.

import type { DocName } from '@treff/protocol';
import { fromBase64url, toBase64url } from './base64url.js';
import { concat } from './bytes.js';
import { openWithSenderKey, sealWithSenderKey } from './chat-seal.js';
import { directedPair, type PairwiseKey } from './identity.js';
import type { KeyRing } from './key-ring.js';
import type { SenderKey } from './sender-key.js';

const encoder = new TextEncoder();
const UPDATE_LABEL = encoder.encode('Treff E2EE doc update v1');
const STATE_LABEL = encoder.encode('Treff E2EE doc state v1');

/** label || 0x00 || doc: the name ends where the label does not continue. */
const updateAad = (doc: DocName) => concat(UPDATE_LABEL, new Uint8Array([0]), encoder.encode(doc));

export function sealDocUpdate(key: SenderKey, keyTag: number, doc: DocName, update: Uint8Array): Promise<string> {
  return sealWithSenderKey(key, keyTag, updateAad(doc), update);
}

/**
 * The update, or null when it is malformed, sealed for another document or as something else, with a key
 * we do not hold (yet), or under another key tag than `senderTag` (the sender the server names).
 */
export function openDocUpdate(ring: KeyRing, sealed: string, senderTag: number, doc: DocName): Promise<Uint8Array | null> {
  return openWithSenderKey(ring, sealed, senderTag, updateAad(doc));
}

/** Both ends hold the same pairwise key: the direction is authenticated, or a state could be reflected back. */
const stateAad = (sender: string, recipient: string, doc: DocName) => concat(STATE_LABEL, directedPair(sender, recipient), encoder.encode(doc));

/** `sender` and `recipient` are the two identity public keys (base64url). */
export async function sealDocState(pairwise: PairwiseKey, sender: string, recipient: string, doc: DocName, state: Uint8Array): Promise<string> {
  return toBase64url(await pairwise.seal(state, stateAad(sender, recipient, doc)));
}

/** The state, or null when it is malformed or not sealed by `sender` for `recipient` as `doc`. */
export async function openDocState(pairwise: PairwiseKey, sender: string, recipient: string, doc: DocName, sealed: string): Promise<Uint8Array | null> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(sealed);
  } catch {
    return null;
  }
  return pairwise.open(bytes, stateAad(sender, recipient, doc));
}
