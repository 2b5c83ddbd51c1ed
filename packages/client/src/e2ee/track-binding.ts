// Which sender's frames each receiving m-line may carry. The server says whose track a slot carries
// (offer slots, slot-sources); without a check it could put one participant's frames into another's
// tile, and they would decrypt fine. Media and signaling race around a switch, so the previous sender
// is still accepted for a moment after it, and frames of another present sender wait for a moment in
// case the switch has not been announced yet.

export const TRACK_SWITCH_MS = 1000;
/** Frames per m-line that wait for a switch to be announced. */
export const EARLY_FRAMES = 30;

interface Track {
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

export class TrackBinding {
  readonly #now: () => number;
  readonly #tracks = new Map<string, Track>();
  readonly #early = new Map<string, EarlyFrame[]>();
  /** Frames dropped here, for the stats. */
  dropped = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Whose key tag each receiving m-line (by mid) carries now (null: nobody who encrypts). M-lines not
   * named are not checked. Frames that waited for this announcement are delivered or dropped now.
   */
  set(tracks: Readonly<Record<string, number | null>>): void {
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
        if (now - frame.at <= TRACK_SWITCH_MS && this.#carries(mid, frame.tag)) frame.deliver(frame.frame);
        else this.dropped++;
      }
    }
  }

  /**
   * Delivers a decrypted frame of `keyTag` received on `mid` if that m-line carries `keyTag`'s track;
   * keeps it briefly when `mayWait` (a present sender: the switch may not be announced yet); else drops it.
   */
  deliver(mid: string | undefined, keyTag: number, frame: Uint8Array, deliver: (frame: Uint8Array) => void, mayWait: boolean): void {
    this.#expire();
    if (mid === undefined || this.#carries(mid, keyTag)) {
      deliver(frame);
      return;
    }
    if (!mayWait) {
      this.dropped++;
      return;
    }
    let early = this.#early.get(mid);
    if (!early) this.#early.set(mid, (early = []));
    if (early.length >= EARLY_FRAMES) {
      early.shift();
      this.dropped++;
    }
    early.push({ tag: keyTag, frame, at: this.#now(), deliver });
  }

  /** Whether `mid` carries `keyTag`'s track now (or did until just now); true for m-lines we were not told about. */
  #carries(mid: string, keyTag: number): boolean {
    const track = this.#tracks.get(mid);
    if (!track || track.tag === keyTag) return true;
    return track.previous === keyTag && this.#now() - track.switchedAt <= TRACK_SWITCH_MS;
  }

  #expire(): void {
    const now = this.#now();
    for (const [mid, frames] of this.#early) {
      while (frames.length > 0 && now - (frames[0] as EarlyFrame).at > TRACK_SWITCH_MS) {
        frames.shift();
        this.dropped++;
      }
      if (frames.length === 0) this.#early.delete(mid);
    }
  }
}
