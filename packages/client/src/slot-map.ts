import type { MediaKind, MediaSource, Slot, SlotSource } from '@treff/protocol';

/** A receiving m-line, what it carries (camera/microphone or a screen share) and whose track now (null: nothing). */
export interface RecvSlot {
  mid: string;
  kind: MediaKind;
  source: MediaSource;
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

/** Where this client publishes, by kind. */
export type SendSlots = Partial<Record<MediaKind, SendSlot>>;

export interface SlotChanges extends SourceChanges {
  /** Where this client publishes camera and microphone, by kind. */
  send: SendSlots;
  /** Where this client publishes its screen share (absent kinds: not offered, i.e. not sharing, or no sound). */
  screenSend: SendSlots;
  /** Whether receiving m-lines were added or removed (not just switched). */
  recvSetChanged: boolean;
}

/**
 * Remembers what each receiving m-line carries, across offers and `slot-sources` messages. The server
 * switches slots between people (audio top-N, video by tile), so one transceiver (and thus one
 * MediaStreamTrack object) belongs to different people over time; callers learn of each hand-over as an
 * `ended` for the old source plus a `started` for the new one. Screen shares have slots of their own
 * (`source: 'screen'`), both ours to send on and everyone else's to receive.
 */
export class SlotMap {
  #recv = new Map<string, RecvSlot>();
  #send: Record<MediaSource, SendSlots> = { camera: {}, screen: {} };

  /** Takes the slots of a new offer: it lists every m-line in use, so absent ones are gone. */
  apply(slots: readonly Slot[]): SlotChanges {
    const next = new Map<string, RecvSlot>();
    const send: Record<MediaSource, SendSlots> = { camera: {}, screen: {} };
    for (const slot of slots) {
      const source = slot.source ?? 'camera';
      if (slot.direction === 'send') send[source][slot.kind] = { mid: slot.mid, simulcast: slot.simulcast && slot.simulcast.length > 0 ? [...slot.simulcast] : null };
      else next.set(slot.mid, { mid: slot.mid, kind: slot.kind, source, participantId: slot.participantId });
    }
    const recvSetChanged = next.size !== this.#recv.size || [...next.values()].some((s) => this.#recv.get(s.mid)?.kind !== s.kind);
    const changes = diff(this.#recv, next);
    this.#recv = next;
    this.#send = send;
    return { send: send.camera, screenSend: send.screen, recvSetChanged, ...changes };
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

  /** Where we publish camera and microphone. */
  get send(): Readonly<SendSlots> {
    return this.#send.camera;
  }

  /** Where we publish `source`'s tracks. */
  sendSlots(source: MediaSource): Readonly<SendSlots> {
    return this.#send[source];
  }

  /** The slot that carries a participant's track of `kind` from `source` now, if any. */
  find(participantId: string, kind: MediaKind, source: MediaSource = 'camera'): RecvBinding | undefined {
    for (const slot of this.#recv.values()) if (slot.participantId === participantId && slot.kind === kind && slot.source === source) return slot as RecvBinding;
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
    this.#send = { camera: {}, screen: {} };
    return all;
  }
}

function isBound(slot: RecvSlot): slot is RecvBinding {
  return slot.participantId !== null;
}

/** Ended bindings first (in old order), then started ones (in new order). */
function diff(before: ReadonlyMap<string, RecvSlot>, after: ReadonlyMap<string, RecvSlot>): SourceChanges {
  const same = (a: RecvSlot | undefined, b: RecvSlot | undefined) =>
    a !== undefined && b !== undefined && a.participantId === b.participantId && a.kind === b.kind && a.source === b.source;
  const ended = [...before.values()].filter((old) => isBound(old) && !same(old, after.get(old.mid))) as RecvBinding[];
  const started = [...after.values()].filter((now) => isBound(now) && !same(now, before.get(now.mid))) as RecvBinding[];
  return { ended, started };
}
