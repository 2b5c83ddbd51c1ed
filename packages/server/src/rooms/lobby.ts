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
  private readonly knocks = new Map<string, Knock<T>>();

  constructor(
    readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.knocks.size;
  }

  get full(): boolean {
    return this.knocks.size >= this.capacity;
  }

  /** Adds a knock; null when the lobby is full. */
  add(name: string, ticket: T): Knock<T> | null {
    if (this.full) return null;
    const knock: Knock<T> = { entry: { id: newParticipantId(), name, since: this.now() }, ticket };
    this.knocks.set(knock.entry.id, knock);
    return knock;
  }

  has(id: string): boolean {
    return this.knocks.has(id);
  }

  /** Removes one knock (it left, or was let in or turned away); undefined when it is not there. */
  remove(id: string): Knock<T> | undefined {
    const knock = this.knocks.get(id);
    this.knocks.delete(id);
    return knock;
  }

  /**
   * Takes the knocks named (or all of them) out of the lobby, oldest first. All or nothing: when any id
   * is not waiting, nothing is taken and the missing ids are returned instead.
   */
  take(ids: readonly string[] | 'all'): { taken: Knock<T>[] } | { missing: string[] } {
    if (ids === 'all') {
      const taken = [...this.knocks.values()];
      this.knocks.clear();
      return { taken };
    }
    const missing = ids.filter((id) => !this.knocks.has(id));
    if (missing.length > 0) return { missing };
    const wanted = new Set(ids);
    const taken = [...this.knocks.values()].filter((k) => wanted.has(k.entry.id));
    for (const k of taken) this.knocks.delete(k.entry.id);
    return { taken };
  }

  /** Everyone waiting now, oldest first, as moderators see them. */
  get waiting(): LobbyEntry[] {
    return [...this.knocks.values()].map((k) => ({ ...k.entry }));
  }
}
