// Replay protection for received frames (RFC 9605 §9.3 leaves it to the application). A Treff sender has
// one frame counter for all its keys and tracks, only counting up (FrameEncryptor), so one window per
// sender catches a frame the server sends again, and replays from old key epochs.

/**
 * Counters accepted behind a sender's highest (its tracks' frames arrive interleaved and a little out of
 * order); older ones, and any counter seen before, are replays.
 */
export const REPLAY_WINDOW = 1024;

interface Window {
  highest: number;
  seen: Set<number>;
}

export class ReplayWindows {
  readonly #senders = new Map<number, Window>();

  /** Whether an authenticated frame of `keyTag` with counter `ctr` is new; records it if so. */
  accept(keyTag: number, ctr: number): boolean {
    let window = this.#senders.get(keyTag);
    if (!window) this.#senders.set(keyTag, (window = { highest: -1, seen: new Set() }));
    if (ctr + REPLAY_WINDOW <= window.highest || window.seen.has(ctr)) return false;
    window.seen.add(ctr);
    if (ctr > window.highest) window.highest = ctr;
    if (window.seen.size > 2 * REPLAY_WINDOW) for (const seen of window.seen) if (seen + REPLAY_WINDOW <= window.highest) window.seen.delete(seen);
    return true;
  }

  forget(keyTag: number): void {
    this.#senders.delete(keyTag);
  }
}
