import type { LobbyEntry } from '@treff/protocol';
import { newParticipantId } from '../ids.js';

/** Someone knocking, with whatever the room needs to let them in later. */
export interface Knock<T> {
  entry: LobbyEntry;
  ticket: T;
}

/**
 * The waiting room of one live meeting: who knocked, in order, up to a capacity. It only keeps the
 * list; the room decides who may admit, and what admitting means.
 */
export class Lobby<T> {
  private readonly entries = new Map<string, Knock<T>>();

  constructor(
    readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.capacity;
  }

  /** Adds a knock; null when the lobby is full. */
  add(name: string, ticket: T): Knock<T> | null {
    if (this.full) return null;
    const knock: Knock<T> = { entry: { id: newParticipantId(), name, since: this.now() }, ticket };
    this.entries.set(knock.entry.id, knock);
    return knock;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Removes one knock (it left, or was let in or turned away); undefined when it is not there. */
  remove(id: string): Knock<T> | undefined {
    const knock = this.entries.get(id);
    this.entries.delete(id);
    return knock;
  }

  /**
   * Takes the knocks named (or all of them) out of the lobby, oldest first. All or nothing: when any id
   * is not waiting, nothing is taken and the missing ids are returned instead.
   */
  take(ids: readonly string[] | 'all'): { taken: Knock<T>[] } | { missing: string[] } {
    if (ids === 'all') {
      const taken = [...this.entries.values()];
      this.entries.clear();
      return { taken };
    }
    const missing = ids.filter((id) => !this.entries.has(id));
    if (missing.length > 0) return { missing };
    const wanted = new Set(ids);
    const taken = [...this.entries.values()].filter((k) => wanted.has(k.entry.id));
    for (const k of taken) this.entries.delete(k.entry.id);
    return { taken };
  }

  /** The knocks themselves, oldest first (the lobby keeps them). */
  get knocks(): readonly Knock<T>[] {
    return [...this.entries.values()];
  }

  /** Everyone waiting now, oldest first, as moderators see them. */
  get waiting(): LobbyEntry[] {
    return [...this.entries.values()].map((k) => ({ ...k.entry }));
  }
}
