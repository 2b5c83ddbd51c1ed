import { LIMITS, type VideoSubscription } from '@treff/protocol';
import type { Timers } from './signal-client.js';

/**
 * Cleans a tile list for `subscribe`: sizes become whole device pixels within the protocol's bounds
 * (anything not finite counts as 0), the first entry per participant wins (the list is in priority
 * order), `excludeId` (oneself) is dropped, and at most the protocol's maximum of entries are kept.
 */
export function normalizeSubscriptions(tiles: readonly VideoSubscription[], excludeId: string | null = null): VideoSubscription[] {
  const pixels = (n: number) => (Number.isFinite(n) ? Math.min(LIMITS.tilePixels, Math.max(0, Math.round(n))) : 0);
  const seen = new Set<string>();
  const out: VideoSubscription[] = [];
  for (const tile of tiles) {
    if (out.length >= LIMITS.videoSubscriptions) break;
    if (!tile.participantId || tile.participantId === excludeId || seen.has(tile.participantId)) continue;
    seen.add(tile.participantId);
    out.push({ participantId: tile.participantId, width: pixels(tile.width), height: pixels(tile.height) });
  }
  return out;
}

function sameList(a: readonly VideoSubscription[] | null, b: readonly VideoSubscription[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((t, i) => t.participantId === b[i]!.participantId && t.width === b[i]!.width && t.height === b[i]!.height);
}

export interface SubscriptionSenderOptions {
  /** Sends a `subscribe`; returns false when it could not be sent now (not joined, socket down). */
  send(video: VideoSubscription[]): boolean;
  timers: Timers;
  /** Changes within this window are coalesced into one message. */
  delayMs?: number;
}

/**
 * Holds the tiles the app wants video for and keeps the server told: changes are coalesced (one message
 * at most per `delayMs`, carrying the latest list, so resizing a window does not flood the socket),
 * repeats of what the server already has are not sent, and `resend()` repeats the list after a resume or
 * a fresh join.
 */
export class SubscriptionSender {
  readonly #options: SubscriptionSenderOptions;
  #wanted: VideoSubscription[] | null = null;
  #sent: VideoSubscription[] | null = null;
  #timer: unknown = null;

  constructor(options: SubscriptionSenderOptions) {
    this.#options = options;
  }

  /** The latest list asked for (null: never asked, so the server's default applies). */
  get wanted(): readonly VideoSubscription[] | null {
    return this.#wanted;
  }

  set(video: VideoSubscription[]): void {
    this.#wanted = video;
    if (this.#timer === null && !sameList(video, this.#sent)) {
      this.#timer = this.#options.timers.setTimeout(() => {
        this.#timer = null;
        this.#flush();
      }, this.#options.delayMs ?? 100);
    }
  }

  /** Forgets what the server has (it may have missed it or lost it) and sends the wanted list now. */
  resend(): void {
    this.#sent = null;
    this.#cancel();
    this.#flush();
  }

  close(): void {
    this.#cancel();
  }

  #cancel(): void {
    if (this.#timer !== null) this.#options.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #flush(): void {
    const wanted = this.#wanted;
    if (wanted === null || sameList(wanted, this.#sent)) return;
    if (this.#options.send(wanted)) this.#sent = wanted;
  }
}
