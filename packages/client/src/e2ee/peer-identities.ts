// Who is in the meeting as far as end-to-end encryption goes: each participant's identity, pinned for
// the Room's life, and the key tag whose keys and messages are taken as theirs. The server hands out
// participant lists, so none of this is taken on its word twice: a known id keeps its first identity
// (a swapped one is only flagged), and a key tag belongs to its first holder.

import type { E2eeIdentity, ParticipantInfo } from '@treff/protocol';

/** Departed participants whose identity and key tag we keep (their chat stays readable). */
export const DEPARTED_KEPT = 200;

export class PeerIdentities {
  readonly #ownTag: () => number | null;
  /** Present participants and their pinned identity (null: they joined without one). */
  readonly #present = new Map<string, E2eeIdentity | null>();
  /** The identity (or none) each id first had; kept after they leave, up to DEPARTED_KEPT departed. */
  readonly #pins = new Map<string, E2eeIdentity | null>();
  /** The key tag taken as this participant's: unique among those present (first holder wins). */
  readonly #tags = new Map<string, number>();
  readonly #changed = new Set<string>();
  /** Departed ids, oldest first, for pruning. */
  readonly #departed: string[] = [];

  /** `ownTag`: our key tag (null while we have none); nobody else may use it. */
  constructor(ownTag: () => number | null) {
    this.#ownTag = ownTag;
  }

  /**
   * Someone is present with `info.e2ee`. A known id keeps the identity it first had: another one (or
   * none) is flagged in `changed`, never used.
   */
  set(info: ParticipantInfo): void {
    const announced = info.e2ee ?? null;
    let identity = announced;
    if (this.#pins.has(info.id)) {
      const pinned = this.#pins.get(info.id) ?? null;
      if (!sameIdentity(pinned, announced)) this.#changed.add(info.id);
      identity = pinned;
    } else {
      this.#pins.set(info.id, announced);
    }
    const gone = this.#departed.indexOf(info.id);
    if (gone >= 0) this.#departed.splice(gone, 1);
    this.#present.set(info.id, identity);
    if (identity && !this.#tags.has(info.id) && !this.#tagInUse(identity.keyTag)) this.#tags.set(info.id, identity.keyTag);
  }

  /**
   * `id` left. Returns their key tag (if it was theirs) and the key tags of long departed participants
   * now forgotten for good, that nobody kept holds.
   */
  drop(id: string): { tag: number | undefined; forgotten: number[] } {
    const tag = this.#tags.get(id);
    this.#present.delete(id);
    this.#departed.push(id);
    const forgotten: number[] = [];
    while (this.#departed.length > DEPARTED_KEPT) {
      const old = this.#departed.shift() as string;
      const oldTag = this.#tags.get(old);
      this.#pins.delete(old);
      this.#tags.delete(old);
      this.#changed.delete(old);
      if (oldTag !== undefined && ![...this.#tags.values()].includes(oldTag)) forgotten.push(oldTag);
    }
    return { tag, forgotten };
  }

  isPresent(id: string): boolean {
    return this.#present.has(id);
  }

  /** The pinned identity of someone present; null without one, undefined when not present. */
  identity(id: string): E2eeIdentity | null | undefined {
    return this.#present.get(id);
  }

  /** The pinned identity of someone present or (recently) departed. */
  pinned(id: string): E2eeIdentity | null | undefined {
    return this.#pins.get(id);
  }

  /** The key tag taken as `id`'s, present or (recently) departed; undefined when they have none of their own. */
  tagOf(id: string): number | undefined {
    return this.#tags.get(id);
  }

  /** The present participant whose key tag `tag` is. */
  ownerOf(tag: number): string | undefined {
    for (const [id, owned] of this.#tags) if (owned === tag && this.#present.has(id)) return id;
    return undefined;
  }

  ids(): string[] {
    return [...this.#present.keys()];
  }

  /** Present participants with an identity. */
  encrypting(): string[] {
    return [...this.#present].filter(([, identity]) => identity !== null).map(([id]) => id);
  }

  /** Present participants without one: they keep the meeting in clear. */
  withoutIdentity(): string[] {
    return [...this.#present].filter(([, identity]) => identity === null).map(([id]) => id);
  }

  /** Present participants for whom another identity was announced than the one they first had. */
  changed(): string[] {
    return [...this.#changed].filter((id) => this.#present.has(id));
  }

  /** The key tags of those present (each only for its holder). */
  presentTags(): number[] {
    return [...this.#tags].filter(([id]) => this.#present.has(id)).map(([, tag]) => tag);
  }

  #tagInUse(tag: number): boolean {
    return tag === this.#ownTag() || this.ownerOf(tag) !== undefined;
  }
}

function sameIdentity(a: E2eeIdentity | null, b: E2eeIdentity | null): boolean {
  return a === b || (a !== null && b !== null && a.publicKey === b.publicKey && a.keyTag === b.keyTag);
}
