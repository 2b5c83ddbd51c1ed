import { clearPrefixLength } from './clear-prefix.js';
import { emptyStats, type E2eeStats, type FrameKind, type FrameMode } from './frame-messages.js';
import { tagOf } from './key-id.js';
import { FrameEncryptor, type KeyRing } from './key-ring.js';
import type { SenderKey } from './sender-key.js';
import { decodeSFrameHeader } from './sframe.js';

/** How long and how many frames of one sender wait for its key (design "Receiving before the key arrived"). */
export const HOLD_MS = 1000;
export const HOLD_FRAMES = 120;

interface HeldFrame {
  kind: FrameKind;
  data: Uint8Array;
  at: number;
  deliver: (frame: Uint8Array) => void;
}

export interface FrameCryptoOptions {
  ring: KeyRing;
  now?: () => number;
}

/**
 * The per-frame work of the frame worker, free of worker and WebRTC types so Node can test it: encrypt
 * what we send (when the mode says so), decrypt what we receive, hold frames whose sender key has not
 * arrived yet and release them in order when it does, and count what happened.
 */
export class FrameCrypto {
  readonly #ring: KeyRing;
  readonly #now: () => number;
  readonly #held = new Map<number, HeldFrame[]>();
  readonly #draining = new Set<number>();
  readonly #stats = emptyStats();
  #mode: FrameMode = 'clear';
  #encryptor: FrameEncryptor | null = null;
  #ownTag: number | null = null;

  constructor(options: FrameCryptoOptions) {
    this.#ring = options.ring;
    this.#now = options.now ?? (() => Date.now());
  }

  get mode(): FrameMode {
    return this.#mode;
  }

  stats(): E2eeStats {
    return { ...this.#stats };
  }

  setMode(mode: FrameMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    // Frames held for a key are no longer waited for in clear mode: decrypt what can be, pass the rest.
    if (mode === 'clear') for (const tag of [...this.#held.keys()]) void this.#drain(tag);
  }

  /**
   * Our own sender key. The encryptor (with its frame counter) lives as long as our key tag: a new
   * encryptor for the same tag would restart the counter and reuse nonces under a known key.
   */
  async setOwnKey(keyTag: number, key: SenderKey): Promise<void> {
    if (this.#encryptor === null || this.#ownTag !== keyTag) {
      this.#encryptor = new FrameEncryptor(keyTag);
      this.#ownTag = keyTag;
    }
    await this.#encryptor.setKey(key);
  }

  /** Another sender's key; frames held for it are released. */
  async setKey(keyTag: number, key: SenderKey): Promise<void> {
    await this.#ring.set(keyTag, key);
    await this.#drain(keyTag);
  }

  forget(keyTag: number): void {
    this.#ring.forget(keyTag);
    const held = this.#held.get(keyTag);
    if (held) this.#stats.failedFrames += held.length;
    this.#held.delete(keyTag);
  }

  /** What to send instead of `frame`; null: drop it (encrypt mode without a key never sends clear). */
  async outgoing(kind: FrameKind, frame: Uint8Array): Promise<Uint8Array | null> {
    if (this.#mode === 'clear') {
      this.#stats.passedThrough++;
      return frame;
    }
    if (this.#encryptor === null || this.#encryptor.epoch === null) {
      this.#stats.failedFrames++;
      return null;
    }
    try {
      const encrypted = await this.#encryptor.encryptFrame(kind, frame);
      this.#stats.encryptedFrames++;
      return encrypted;
    } catch {
      this.#stats.failedFrames++;
      return null;
    }
  }

  /**
   * Decrypts `frame` and hands the result to `deliver` — now, later (after its key arrived), or never
   * (dropped). Frames of one sender are delivered in arrival order.
   */
  async incoming(kind: FrameKind, frame: Uint8Array, deliver: (frame: Uint8Array) => void): Promise<void> {
    const tag = senderTag(kind, frame);
    if (tag !== null && this.#held.has(tag)) {
      // Earlier frames of this sender wait for a key: this one must not overtake them.
      this.#hold(tag, { kind, data: frame, at: this.#now(), deliver });
      return;
    }
    const known = tag === null ? null : this.#ring.newestEpoch(tag);
    const result = await this.#ring.decryptFrame(kind, frame);
    if (result.ok) {
      this.#stats.decryptedFrames++;
      deliver(result.frame);
      return;
    }
    if (tag !== null && this.#shouldWait(kind, frame, result.reason)) {
      this.#hold(tag, { kind, data: frame, at: this.#now(), deliver });
      // The key may have arrived while we tried; then nobody else will release this frame.
      if (this.#ring.newestEpoch(tag) !== known) await this.#drain(tag);
      return;
    }
    this.#reject(frame, deliver);
  }

  /**
   * In encrypt mode a frame waits when its key may still come (KeyRing.awaitsKey): the sender is unknown
   * to us, or the frame is from a newer epoch than we have — a rotated key looks reachable by ratchet,
   * but the ratcheted guess fails until the real key arrives.
   */
  #shouldWait(kind: FrameKind, frame: Uint8Array, reason: 'not-sframe' | 'unknown-key' | 'auth-failed'): boolean {
    if (this.#mode !== 'encrypt' || reason === 'not-sframe') return false;
    const kid = sframeKid(kind, frame);
    return kid !== null && this.#ring.awaitsKey(kid);
  }

  #reject(frame: Uint8Array, deliver: (frame: Uint8Array) => void): void {
    if (this.#mode === 'clear') {
      this.#stats.passedThrough++;
      deliver(frame);
    } else {
      this.#stats.failedFrames++;
    }
  }

  #hold(tag: number, frame: HeldFrame): void {
    let queue = this.#held.get(tag);
    if (!queue) this.#held.set(tag, (queue = []));
    this.#expire(queue);
    if (queue.length >= HOLD_FRAMES) {
      queue.shift();
      this.#stats.failedFrames++;
    }
    queue.push(frame);
    this.#stats.heldFrames++;
  }

  #expire(queue: HeldFrame[]): void {
    const now = this.#now();
    while (queue.length > 0 && now - queue[0]!.at > HOLD_MS) {
      queue.shift();
      this.#stats.failedFrames++;
    }
  }

  /** Releases the held frames of `tag` in order, until one still cannot be decrypted. */
  async #drain(tag: number): Promise<void> {
    if (this.#draining.has(tag)) return;
    this.#draining.add(tag);
    try {
      for (;;) {
        const queue = this.#held.get(tag);
        if (!queue) return;
        this.#expire(queue);
        const next = queue[0];
        if (!next) {
          this.#held.delete(tag);
          return;
        }
        const known = this.#ring.newestEpoch(tag);
        const result = await this.#ring.decryptFrame(next.kind, next.data);
        if (this.#held.get(tag) !== queue) return; // forgotten meanwhile
        if (result.ok) {
          queue.shift();
          this.#stats.decryptedFrames++;
          next.deliver(result.frame);
          continue;
        }
        if (this.#shouldWait(next.kind, next.data, result.reason)) {
          // Still no key; go on only if one arrived during the attempt.
          if (this.#ring.newestEpoch(tag) !== known) continue;
          return;
        }
        queue.shift();
        this.#reject(next.data, next.deliver);
      }
    } finally {
      this.#draining.delete(tag);
    }
  }
}

function sframeKid(kind: FrameKind, frame: Uint8Array): number | null {
  const header = decodeSFrameHeader(frame, clearPrefixLength(kind, frame));
  return header === null ? null : header.kid;
}

function senderTag(kind: FrameKind, frame: Uint8Array): number | null {
  const kid = sframeKid(kind, frame);
  return kid === null ? null : tagOf(kid);
}
