import { clearPrefixLength } from './clear-prefix.js';
import { emptyStats, type E2eeStats, type FrameKind, type FrameMode } from './frame-messages.js';
import { tagOf } from './key-id.js';
import { FrameEncryptor, type KeyRing } from './key-ring.js';
import type { SenderKey } from './sender-key.js';
import { decodeSFrameHeader } from './sframe.js';

/** How long and how many frames of one sender wait for its key (design "Receiving before the key arrived"). */
export const HOLD_MS = 1000;
export const HOLD_FRAMES = 120;
/** Bounds over all senders together, so frames made up for many key tags cannot pile up. */
export const HOLD_TOTAL_FRAMES = 360;
export const HOLD_TOTAL_BYTES = 4_000_000;
/** A sender whose key we lack is reported at most this often (the session asks them for it). */
export const MISSING_KEY_EVERY_MS = 1000;
/**
 * Frame counters of one sender accepted behind its highest (its tracks' frames arrive interleaved and a
 * little out of order); older ones and any counter seen before are replays and dropped.
 */
export const REPLAY_WINDOW = 1024;
/**
 * Around a change of whose track a receiving m-line carries (slot sources), frames of the previous
 * sender are still accepted this long, and frames of another sender wait this long for the change to be
 * announced (media and signaling race).
 */
export const TRACK_SWITCH_MS = 1000;
/** Frames per m-line that wait for a change of its sender to be announced. */
export const EARLY_FRAMES = 30;

interface TrackSender {
  tag: number | null;
  previous: number | null;
  switchedAt: number;
}

interface EarlyFrame {
  tag: number;
  frame: Uint8Array;
  at: number;
  deliver: (frame: Uint8Array) => void;
}

interface ReplayWindow {
  highest: number;
  seen: Set<number>;
}

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
  readonly #replay = new Map<number, ReplayWindow>();
  readonly #tracks = new Map<string, TrackSender>();
  readonly #early = new Map<string, EarlyFrame[]>();
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
  }

  get mode(): FrameMode {
    return this.#mode;
  }

  stats(): E2eeStats {
    return { ...this.#stats };
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
    const now = this.#now();
    for (const [mid, tag] of Object.entries(tracks)) {
      const current = this.#tracks.get(mid);
      if (current?.tag === tag) continue;
      this.#tracks.set(mid, { tag, previous: current?.tag ?? null, switchedAt: now });
    }
    for (const mid of [...this.#tracks.keys()]) if (!(mid in tracks)) this.#tracks.delete(mid);
    const early = [...this.#early];
    this.#early.clear();
    for (const [mid, frames] of early) {
      for (const frame of frames) {
        if (now - frame.at <= TRACK_SWITCH_MS && this.#onTrack(mid, frame.tag)) frame.deliver(frame.frame);
        else this.#stats.failedFrames++;
      }
    }
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
    this.#replay.delete(keyTag);
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
    this.#expireEarly();
    const tag = senderTag(kind, frame);
    const known = tag === null ? null : this.#ring.newestEpoch(tag);
    const result = await this.#ring.decryptFrame(kind, frame);
    if (result.ok) {
      if (!this.#fresh(result.keyTag, result.ctr)) {
        this.#stats.failedFrames++;
        return;
      }
      this.#stats.decryptedFrames++;
      this.#deliverOnTrack(mid, result.keyTag, result.frame, deliver);
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

  /**
   * Whether an authenticated frame of `tag` with counter `ctr` is new. A sender has one counter for all
   * its keys and tracks, only counting up (FrameEncryptor), so one window per sender catches a frame
   * the server sends again (and replays of old key epochs).
   */
  #fresh(tag: number, ctr: number): boolean {
    let window = this.#replay.get(tag);
    if (!window) this.#replay.set(tag, (window = { highest: -1, seen: new Set() }));
    if (ctr + REPLAY_WINDOW <= window.highest || window.seen.has(ctr)) return false;
    window.seen.add(ctr);
    if (ctr > window.highest) window.highest = ctr;
    if (window.seen.size > 2 * REPLAY_WINDOW) for (const seen of window.seen) if (seen + REPLAY_WINDOW <= window.highest) window.seen.delete(seen);
    return true;
  }

  /** Delivers a decrypted frame of `tag` if its m-line carries `tag`'s track, or keeps it briefly in case the change is not announced yet. */
  #deliverOnTrack(mid: string | undefined, tag: number, frame: Uint8Array, deliver: (frame: Uint8Array) => void): void {
    if (mid === undefined || this.#onTrack(mid, tag)) {
      deliver(frame);
      return;
    }
    if (!this.#tracks.has(mid) || !this.#present(tag)) {
      this.#stats.failedFrames++;
      return;
    }
    let early = this.#early.get(mid);
    if (!early) this.#early.set(mid, (early = []));
    if (early.length >= EARLY_FRAMES) {
      early.shift();
      this.#stats.failedFrames++;
    }
    early.push({ tag, frame, at: this.#now(), deliver });
  }

  /** Whether `mid` carries `tag`'s track now (or did until just now); true for m-lines we were not told about. */
  #onTrack(mid: string, tag: number): boolean {
    const track = this.#tracks.get(mid);
    if (!track || track.tag === tag) return true;
    return track.previous === tag && this.#now() - track.switchedAt <= TRACK_SWITCH_MS;
  }

  #expireEarly(): void {
    const now = this.#now();
    for (const [mid, frames] of this.#early) {
      while (frames.length > 0 && now - (frames[0] as EarlyFrame).at > TRACK_SWITCH_MS) {
        frames.shift();
        this.#stats.failedFrames++;
      }
      if (frames.length === 0) this.#early.delete(mid);
    }
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
            if (!this.#fresh(tag, result.ctr)) {
              this.#stats.failedFrames++;
              continue;
            }
            this.#stats.decryptedFrames++;
            this.#deliverOnTrack(next.mid, tag, result.frame, next.deliver);
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
