/** A speaker not yet heard replaces one who is only if this much louder (as the dominant-speaker takeover). */
const REPLACE_MARGIN = 1.25;

/**
 * Audio top-N with hysteresis: which speakers everyone hears. The selection keeps its order and its
 * members while they speak; free places go to the loudest others, and a full selection changes only
 * for a clearly louder newcomer, who takes the weakest member's place. Re-sorting by loudness on every
 * tick instead makes near-equal speakers swap places many times a second, which sounds choppy.
 * It selects n + 1 speakers so that each of them still hears n others.
 */
export class AudioSelector {
  private selection: string[] = [];

  constructor(private readonly n: number) {}

  /** `energy`: recent speech energy of every candidate (0: silent). Returns the selection, in stable order. */
  update(energy: ReadonlyMap<string, number>): readonly string[] {
    const size = this.n + 1;
    const selected = this.selection.filter((id) => (energy.get(id) ?? 0) > 0);
    const others = [...energy].filter(([id, e]) => e > 0 && !selected.includes(id)).sort((a, b) => b[1] - a[1]);
    for (const [id, e] of others) {
      if (selected.length < size) {
        selected.push(id);
        continue;
      }
      let weakest = 0;
      for (let i = 1; i < selected.length; i++) if (energy.get(selected[i]!)! < energy.get(selected[weakest]!)!) weakest = i;
      if (e <= energy.get(selected[weakest]!)! * REPLACE_MARGIN) break; // the others are quieter still
      selected[weakest] = id;
    }
    this.selection = selected;
    return selected;
  }

  /** What `listener` hears: the selection without themselves, at most n. */
  for(listener: string): string[] {
    return this.selection.filter((id) => id !== listener).slice(0, this.n);
  }
}
