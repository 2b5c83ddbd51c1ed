import type { MediaKind, Slot, SlotSource } from '@treff/protocol';

/** A receiving m-line and whose track it carries now (null: nothing). */
export interface RecvSlot {
  mid: string;
  kind: MediaKind;
  participantId: string | null;
}

/** A receiving m-line that carries someone's track. */
export interface RecvBinding extends RecvSlot {
  participantId: string;
}

/** Where this client publishes one kind; `simulcast` lists the rids asked for, lowest resolution first. */
export interface SendSlot {
  mid: string;
  simulcast: readonly string[] | null;
}

export interface SourceChanges {
  /** Bindings that no longer hold (the slot switched to someone else or to nothing, or went away). */
  ended: RecvBinding[];
  /** Bindings that are new. */
  started: RecvBinding[];
}

export interface SlotChanges extends SourceChanges {
  /** Where this client publishes, by kind. */
  send: Partial<Record<MediaKind, SendSlot>>;
  /** Whether receiving m-lines were added or removed (not just switched). */
  recvSetChanged: boolean;
}

/**
 * Remembers what each receiving m-line carries, across offers and `slot-sources` messages. The server
 * switches slots between people (audio top-N, video by tile), so one transceiver (and thus one
 * MediaStreamTrack object) belongs to different people over time; callers learn of each hand-over as an
 * `ended` for the old source plus a `started` for the new one.
 */
export class SlotMap {
  #recv = new Map<string, RecvSlot>();
  #send: Partial<Record<MediaKind, SendSlot>> = {};

  /** Takes the slots of a new offer: it lists every m-line in use, so absent ones are gone. */
  apply(slots: readonly Slot[]): SlotChanges {
    const next = new Map<string, RecvSlot>();
    const send: Partial<Record<MediaKind, SendSlot>> = {};
    for (const slot of slots) {
      if (slot.direction === 'send') send[slot.kind] = { mid: slot.mid, simulcast: slot.simulcast && slot.simulcast.length > 0 ? [...slot.simulcast] : null };
      else next.set(slot.mid, { mid: slot.mid, kind: slot.kind, participantId: slot.participantId });
    }
    const recvSetChanged = next.size !== this.#recv.size || [...next.values()].some((s) => this.#recv.get(s.mid)?.kind !== s.kind);
    const changes = diff(this.#recv, next);
    this.#recv = next;
    this.#send = send;
    return { send, recvSetChanged, ...changes };
  }

  /**
   * Takes a `slot-sources` message. Mids this map does not know (not yet, or no longer, negotiated) are
   * ignored: the offer that brings an m-line names its source itself.
   */
  setSources(sources: readonly SlotSource[]): SourceChanges {
    const next = new Map(this.#recv);
    for (const { mid, participantId } of sources) {
      const slot = next.get(mid);
      if (slot) next.set(mid, { ...slot, participantId });
    }
    const changes = diff(this.#recv, next);
    this.#recv = next;
    return changes;
  }

  get send(): Readonly<Partial<Record<MediaKind, SendSlot>>> {
    return this.#send;
  }

  /** The slot that carries a participant's track of `kind` now, if any. */
  find(participantId: string, kind: MediaKind): RecvBinding | undefined {
    for (const slot of this.#recv.values()) if (slot.participantId === participantId && slot.kind === kind) return slot as RecvBinding;
    return undefined;
  }

  /** Slots that carry someone now. */
  bindings(): RecvBinding[] {
    return [...this.#recv.values()].filter(isBound);
  }

  /** Every receiving slot, carrying someone or not, in offer order. */
  recvSlots(kind?: MediaKind): RecvSlot[] {
    return [...this.#recv.values()].filter((s) => kind === undefined || s.kind === kind);
  }

  /** Forgets everything; returns the bindings that held, so their tracks can be ended. */
  clear(): RecvBinding[] {
    const all = this.bindings();
    this.#recv.clear();
    this.#send = {};
    return all;
  }
}

function isBound(slot: RecvSlot): slot is RecvBinding {
  return slot.participantId !== null;
}

/** Ended bindings first (in old order), then started ones (in new order). */
function diff(before: ReadonlyMap<string, RecvSlot>, after: ReadonlyMap<string, RecvSlot>): SourceChanges {
  const same = (a: RecvSlot | undefined, b: RecvSlot | undefined) => a !== undefined && b !== undefined && a.participantId === b.participantId && a.kind === b.kind;
  const ended = [...before.values()].filter((old) => isBound(old) && !same(old, after.get(old.mid))) as RecvBinding[];
  const started = [...after.values()].filter((now) => isBound(now) && !same(now, before.get(now.mid))) as RecvBinding[];
  return { ended, started };
}
