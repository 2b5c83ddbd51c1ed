import type { MediaKind, Slot } from '@treff/protocol';

/** A remote track's m-line and whose track it carries. */
export interface RecvBinding {
  mid: string;
  kind: MediaKind;
  participantId: string;
}

export interface SlotChanges {
  /** Mids where this client publishes, by kind. */
  send: Partial<Record<MediaKind, string>>;
  /** Bindings that no longer hold (participant left, or the mid was recycled for someone else). */
  ended: RecvBinding[];
  /** Bindings that are new with this offer. */
  started: RecvBinding[];
}

/**
 * Remembers which participant each receiving m-line belongs to, across offers. The server recycles
 * mids, so one transceiver (and thus one MediaStreamTrack object) can belong to different people over
 * time; callers learn of each hand-over as an `ended` plus a `started`.
 */
export class SlotMap {
  #recv = new Map<string, RecvBinding>();
  #send: Partial<Record<MediaKind, string>> = {};

  apply(slots: readonly Slot[]): SlotChanges {
    const next = new Map<string, RecvBinding>();
    const send: Partial<Record<MediaKind, string>> = {};
    for (const slot of slots) {
      if (slot.direction === 'send') send[slot.kind] = slot.mid;
      else next.set(slot.mid, { mid: slot.mid, kind: slot.kind, participantId: slot.participantId });
    }
    const ended: RecvBinding[] = [];
    const started: RecvBinding[] = [];
    for (const [mid, old] of this.#recv) {
      const now = next.get(mid);
      if (!now || now.participantId !== old.participantId || now.kind !== old.kind) ended.push(old);
    }
    for (const [mid, now] of next) {
      const old = this.#recv.get(mid);
      if (!old || old.participantId !== now.participantId || old.kind !== now.kind) started.push(now);
    }
    this.#recv = next;
    this.#send = send;
    return { send, ended, started };
  }

  get send(): Readonly<Partial<Record<MediaKind, string>>> {
    return this.#send;
  }

  /** The current binding of a participant's track of `kind`, if any. */
  find(participantId: string, kind: MediaKind): RecvBinding | undefined {
    for (const binding of this.#recv.values()) if (binding.participantId === participantId && binding.kind === kind) return binding;
    return undefined;
  }

  bindings(): RecvBinding[] {
    return [...this.#recv.values()];
  }

  clear(): RecvBinding[] {
    const all = this.bindings();
    this.#recv.clear();
    this.#send = {};
    return all;
  }
}
