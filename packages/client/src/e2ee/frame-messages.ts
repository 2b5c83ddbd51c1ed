import type { FrameKeyEvent } from './frame-crypto.js';
import type { SenderKey } from './sender-key.js';

// What the main thread and the frame worker tell each other (postMessage; structured clone keeps
// Uint8Array and transfers the fallback's streams).

/**
 * `encrypt`: every outgoing frame is encrypted, an incoming frame that does not decrypt is dropped
 * (one whose key has not arrived yet is held). `clear`: outgoing frames pass unchanged; incoming ones
 * are decrypted when they can be, the rest pass (docs: design "Policy").
 */
export type FrameMode = 'encrypt' | 'clear';

export type FrameSide = 'send' | 'receive';
export type FrameKind = 'audio' | 'video';

/** Counters of the frame transforms, since the page opened the meeting. */
export interface E2eeStats {
  encryptedFrames: number;
  decryptedFrames: number;
  /** Incoming frames dropped: they did not authenticate, or waited for a key longer than allowed. */
  failedFrames: number;
  /** Incoming frames that had to wait for their sender's key (counted once each, released or not). */
  heldFrames: number;
  /** Frames, either way, that went through unchanged. */
  passedThrough: number;
}

export type ToWorker =
  | { type: 'own-key'; keyTag: number; key: SenderKey }
  | { type: 'key'; keyTag: number; key: SenderKey }
  | { type: 'forget'; keyTag: number }
  /** The key tags of the participants present: only their frames wait for a key. */
  | { type: 'senders'; keyTags: readonly number[] }
  /** Whose key tag each receiving m-line carries (null: nobody who encrypts). */
  | { type: 'tracks'; tracks: Readonly<Record<string, number | null>> }
  | { type: 'mode'; mode: FrameMode }
  | { type: 'stats'; id: number }
  /** Chromium's encoded-streams fallback: the main thread hands over a sender's or receiver's streams. */
  | { type: 'streams'; side: FrameSide; kind: FrameKind; mid?: string; readable: ReadableStream; writable: WritableStream };

export type FromWorker = { type: 'stats'; id: number; stats: E2eeStats } | { type: 'key-event'; event: FrameKeyEvent };

export const emptyStats = (): E2eeStats => ({ encryptedFrames: 0, decryptedFrames: 0, failedFrames: 0, heldFrames: 0, passedThrough: 0 });
