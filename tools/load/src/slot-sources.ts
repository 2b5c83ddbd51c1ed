// Which participant each receiving slot (m-line) carries at the moment. Protocol v2
// (docs/signaling.md): an offer's `recv` slots start with a source (or null), and the server
// switches sources later with `slot-sources`; a mid may also be recycled for another kind or
// direction by a later offer.

import type { Slot, SlotSource } from '@treff/protocol';

export interface SlotState {
  slot: Slot;
  /** Who the slot carries now (recv slots), null when nothing (or a send slot). */
  source: string | null;
  /** When the current source was assigned (offer or `slot-sources`). */
  since: number;
}

export class SlotSources {
  private readonly slots = new Map<string, SlotState>();
  /** Source changes announced by `slot-sources` (not counting offers). */
  switches = 0;
  /** `slot-sources` entries for mids that are no recv slot of the latest offer. */
  unknownMids = 0;

  /** Applies an offer's slots: they replace every earlier slot; unchanged assignments keep `since`. */
  applyOffer(slots: readonly Slot[], now: number): void {
    const previous = new Map(this.slots);
    this.slots.clear();
    for (const slot of slots) {
      const source = slot.direction === 'recv' ? slot.participantId : null;
      const old = previous.get(slot.mid);
      const same = old !== undefined && old.slot.kind === slot.kind && old.slot.direction === slot.direction && old.source === source;
      this.slots.set(slot.mid, { slot, source, since: same ? old.since : now });
    }
  }

  /** Applies `slot-sources`; returns the changes that took effect (mid, previous and new source). */
  applySources(sources: readonly SlotSource[], now: number): { mid: string; from: string | null; to: string | null }[] {
    const changes: { mid: string; from: string | null; to: string | null }[] = [];
    for (const { mid, participantId } of sources) {
      const state = this.slots.get(mid);
      if (state === undefined || state.slot.direction !== 'recv') {
        this.unknownMids++;
        continue;
      }
      if (state.source === participantId) continue;
      changes.push({ mid, from: state.source, to: participantId });
      state.source = participantId;
      state.since = now;
      state.slot = { ...state.slot, participantId };
      this.switches++;
    }
    return changes;
  }

  sourceOf(mid: string): string | null {
    return this.slots.get(mid)?.source ?? null;
  }

  get(mid: string): SlotState | undefined {
    return this.slots.get(mid);
  }

  /** The slots as the protocol describes them now (recv slots with their current source). */
  current(): Slot[] {
    return [...this.slots.values()].map((s) => s.slot);
  }

  /** Receiving mids that carry `participantId` now. */
  midsCarrying(participantId: string): string[] {
    const mids: string[] = [];
    for (const [mid, s] of this.slots) if (s.source === participantId) mids.push(mid);
    return mids;
  }
}
