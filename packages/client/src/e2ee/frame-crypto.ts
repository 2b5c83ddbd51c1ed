import { clearPrefixLength } from './clear-prefix.js';
import { emptyStats, type E2eeStats, type FrameKind, type FrameMode } from './frame-messages.js';
import { tagOf } from './key-id.js';
import { FrameEncryptor, type KeyRing } from './key-ring.js';
import type { SenderKey } from './sender-key.js';
import { ReplayWindows } from './replay-window.js';
import { decodeSFrameHeader } from './sframe.js';
import { TrackBinding } from './track-binding.js';

export { REPLAY_WINDOW } from './replay-window.js';
export { TRACK_SWITCH_MS } from './track-binding.js';

/** How long and how many frames of one sender wait for its key (design "Receiving before the key arrived"). */
export const HOLD_MS = 1000;
export const HOLD_FRAMES = 120;
/** Bounds over all senders together, so frames made up for many key tags cannot pile up. */
export const HOLD_TOTAL_FRAMES = 360;
export const HOLD_TOTAL_BYTES = 4_000_000;
/** A sender whose key we lack is reported at most this often (the session asks them for it). */
export const MISSING_KEY_EVERY_MS = 1000;
interface HeldFrame {
  tag: number;
  mid: string | undefined;
  kind: FrameKind;
  data: Uint8Array;
  at: number;
  deliver: (frame: Uint8Array) => void;
}

/**
 * What the frame transforms tell the key schedule. `missing-key`: frames of a present sender wait for a
 * key we do not have (e.g. it ratcheted further than we follow): ask them for it. `ratcheted`: an
 * authenticated frame moved a sender on by ratchet; the session's chat keys follow.
 */
export type FrameKeyEvent = { type: 'missing-key'; keyTag: number } | { type: 'ratcheted'; keyTag: number; epoch: number };

export interface FrameCryptoOptions {
  ring: KeyRing;
  now?: () => number;
  onKeyEvent?: (event: FrameKeyEvent) => void;
  /** Runs `callback` after `ms` (to expire held frames when no more frames come); setTimeout by default. */
  schedule?: (callback: () => void, ms: number) => void;
}

/**
 * The per-frame work of the frame worker, free of worker and WebRTC types so Node can test it: encrypt
 * what we send (when the mode says so), decrypt what we receive, hold frames whose sender key has not
 * arrived yet and release them when it does, and count what happened.
 *
 * Every frame is tried on arrival, even while earlier frames of its sender wait: one forged frame with a
 * future epoch must not hold up the genuine ones behind it. Held frames are released in arrival order
 * when their key comes; the hold is bounded per sender and overall, and only senders present in the
 * meeting (`setSenders`) are waited for.
 */
export class FrameCrypto {
  readonly #ring: KeyRing;
  readonly #now: () => number;
  readonly #onKeyEvent: (event: FrameKeyEvent) => void;
  readonly #schedule: (callback: () => void, ms: number) => void;
  /** All held frames, oldest first. */
  #held: HeldFrame[] = [];
  #heldBytes = 0;
  #timerSet = false;
  readonly #draining = new Set<number>();
  readonly #drainAgain = new Set<number>();
  readonly #reported = new Map<number, number>();
  readonly #replay = new ReplayWindows();
  readonly #tracks: TrackBinding;
  readonly #stats = emptyStats();
  #senders: ReadonlySet<number> | null = null;
  #mode: FrameMode = 'clear';
  #encryptor: FrameEncryptor | null = null;
  #ownTag: number | null = null;

  constructor(options: FrameCryptoOptions) {
    this.#ring = options.ring;
    this.#now = options.now ?? (() => Date.now());
    this.#onKeyEvent = options.onKeyEvent ?? (() => undefined);
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#tracks = new TrackBinding(this.#now);
  }

  get mode(): FrameMode {
    return this.#mode;
  }

  stats(): E2eeStats {
    return { ...this.#stats, failedFrames: this.#stats.failedFrames + this.#tracks.dropped };
  }

  /** Frames held now (for tests and diagnostics). */
  get held(): { frames: number; bytes: number } {
    return { frames: this.#held.length, bytes: this.#heldBytes };
  }

  setMode(mode: FrameMode): void {
    if (mode === this.#mode) return;
    this.#mode = mode;
    // Frames held for a key are no longer waited for in clear mode: decrypt what can be, pass the rest.
    if (mode === 'clear') for (const tag of new Set(this.#held.map((h) => h.tag))) void this.#drain(tag);
  }

  /**
   * The key tags of the participants present (null: any tag, until told). Frames of other tags never
   * wait for a key: nobody is there to send one.
   */
  setSenders(tags: readonly number[] | null): void {
    this.#senders = tags === null ? null : new Set(tags);
    this.#dropWhere((held) => !this.#present(held.tag));
    for (const tag of this.#reported.keys()) if (!this.#present(tag)) this.#reported.delete(tag);
  }

  /**
   * Whose key tag each receiving m-line (by mid) carries now (null: nobody, or someone who cannot
   * encrypt). A frame that decrypts under another sender's key on that m-line is dropped: the server
   * cannot show one participant's media in another's tile. M-lines never named here are not checked.
   */
  setTrackSenders(tracks: Readonly<Record<string, number | null>>): void {
    this.#tracks.set(tracks);
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
    this.#replay.forget(keyTag);
    this.#reported.delete(keyTag);
    this.#dropWhere((held) => held.tag === keyTag);
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
   * (dropped).
   */
  async incoming(kind: FrameKind, frame: Uint8Array, deliver: (frame: Uint8Array) => void, mid?: string): Promise<void> {
    this.#expire();
    const tag = senderTag(kind, frame);
    const known = tag === null ? null : this.#ring.newestEpoch(tag);
    const result = await this.#ring.decryptFrame(kind, frame);
    if (result.ok) {
      if (!this.#replay.accept(result.keyTag, result.ctr)) {
        this.#stats.failedFrames++;
        return;
      }
      this.#stats.decryptedFrames++;
      this.#tracks.deliver(mid, result.keyTag, result.frame, deliver, this.#present(result.keyTag));
      this.#noteRatchet(result.keyTag, known, result.epoch);
      // A ratchet taken just now may be what held frames of this sender were waiting for.
      if (this.#ring.newestEpoch(result.keyTag) !== known) await this.#drain(result.keyTag);
      return;
    }
    if (tag !== null && this.#present(tag) && this.#awaitsKey(kind, frame, result.reason)) {
      this.#reportMissing(tag);
      if (this.#mode === 'encrypt') {
        this.#hold({ tag, mid, kind, data: frame, at: this.#now(), deliver });
        // The key may have arrived while we tried; then nobody else will release this frame.
        if (this.#ring.newestEpoch(tag) !== known) await this.#drain(tag);
        return;
      }
    }
    this.#reject(frame, deliver);
  }

  /**
   * Whether the key of `frame` may still come (KeyRing.awaitsKey): the sender is unknown to us, or the
   * frame is from a newer epoch than we have — a rotated key looks reachable by ratchet, but the
   * ratcheted guess fails until the real key arrives.
   */
  #awaitsKey(kind: FrameKind, frame: Uint8Array, reason: 'not-sframe' | 'unknown-key' | 'auth-failed'): boolean {
    if (reason === 'not-sframe') return false;
    const kid = sframeKid(kind, frame);
    return kid !== null && this.#ring.awaitsKey(kid);
  }

  #present(tag: number): boolean {
    return this.#senders === null || this.#senders.has(tag);
  }

  #reportMissing(tag: number): void {
    const now = this.#now();
    const last = this.#reported.get(tag);
    if (last !== undefined && now - last < MISSING_KEY_EVERY_MS) return;
    this.#reported.set(tag, now);
    this.#onKeyEvent({ type: 'missing-key', keyTag: tag });
  }

  #noteRatchet(tag: number, before: number | null, epoch: number): void {
    if (before !== null && epoch > before && this.#ring.newestEpoch(tag) === epoch) this.#onKeyEvent({ type: 'ratcheted', keyTag: tag, epoch });
  }

  #reject(frame: Uint8Array, deliver: (frame: Uint8Array) => void): void {
    if (this.#mode === 'clear') {
      this.#stats.passedThrough++;
      deliver(frame);
    } else {
      this.#stats.failedFrames++;
    }
  }

  #hold(frame: HeldFrame): void {
    this.#stats.heldFrames++;
    if (frame.data.length > HOLD_TOTAL_BYTES) {
      this.#stats.failedFrames++;
      return;
    }
    const ofSender = this.#held.filter((h) => h.tag === frame.tag);
    if (ofSender.length >= HOLD_FRAMES) this.#drop(ofSender[0] as HeldFrame);
    while (this.#held.length >= HOLD_TOTAL_FRAMES || this.#heldBytes + frame.data.length > HOLD_TOTAL_BYTES) this.#drop(this.#held[0] as HeldFrame);
    this.#held.push(frame);
    this.#heldBytes += frame.data.length;
    this.#armTimer();
  }

  /** Drops held frames older than HOLD_MS, of all senders. */
  #expire(): void {
    const now = this.#now();
    while (this.#held.length > 0 && now - (this.#held[0] as HeldFrame).at > HOLD_MS) this.#drop(this.#held[0] as HeldFrame);
  }

  #armTimer(): void {
    if (this.#timerSet || this.#held.length === 0) return;
    this.#timerSet = true;
    const wait = Math.max(10, (this.#held[0] as HeldFrame).at + HOLD_MS + 1 - this.#now());
    this.#schedule(() => {
      this.#timerSet = false;
      this.#expire();
      this.#armTimer();
    }, wait);
  }

  #drop(frame: HeldFrame): void {
    if (!this.#remove(frame)) return;
    this.#stats.failedFrames++;
  }

  #dropWhere(predicate: (frame: HeldFrame) => boolean): void {
    for (const frame of this.#held.filter(predicate)) this.#drop(frame);
  }

  #remove(frame: HeldFrame): boolean {
    const at = this.#held.indexOf(frame);
    if (at < 0) return false;
    this.#held.splice(at, 1);
    this.#heldBytes -= frame.data.length;
    return true;
  }

  /**
   * Tries every held frame of `tag`, in order: releases those that decrypt now, drops those that never
   * will, and keeps the rest waiting. A frame still waiting does not keep later ones back.
   */
  async #drain(tag: number): Promise<void> {
    if (this.#draining.has(tag)) {
      this.#drainAgain.add(tag);
      return;
    }
    this.#draining.add(tag);
    try {
      do {
        this.#drainAgain.delete(tag);
        this.#expire();
        for (const next of this.#held.filter((h) => h.tag === tag)) {
          if (!this.#held.includes(next)) continue; // expired or forgotten meanwhile
          const known = this.#ring.newestEpoch(tag);
          const result = await this.#ring.decryptFrame(next.kind, next.data);
          if (!this.#held.includes(next)) continue;
          if (result.ok) {
            this.#remove(next);
            if (!this.#replay.accept(tag, result.ctr)) {
              this.#stats.failedFrames++;
              continue;
            }
            this.#stats.decryptedFrames++;
            this.#tracks.deliver(next.mid, tag, result.frame, next.deliver, this.#present(tag));
            this.#noteRatchet(tag, known, result.epoch);
          } else if (this.#mode === 'clear' || !this.#awaitsKey(next.kind, next.data, result.reason)) {
            this.#remove(next);
            this.#reject(next.data, next.deliver);
          } else if (this.#ring.newestEpoch(tag) !== known) {
            this.#drainAgain.add(tag);
          }
        }
      } while (this.#drainAgain.has(tag));
    } finally {
      this.#draining.delete(tag);
    }
  }
}

function defaultSchedule(callback: () => void, ms: number): void {
  const timer = setTimeout(callback, ms) as unknown as { unref?: () => void };
  // In Node (tests) a pending expiry must not keep the process alive.
  timer.unref?.();
}

function sframeKid(kind: FrameKind, frame: Uint8Array): number | null {
  const header = decodeSFrameHeader(frame, clearPrefixLength(kind, frame));
  return header === null ? null : header.kid;
}

function senderTag(kind: FrameKind, frame: Uint8Array): number | null {
  const kid = sframeKid(kind, frame);
  return kid === null ? null : tagOf(kid);
}
