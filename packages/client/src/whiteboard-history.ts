import type * as Y from 'yjs';
import { Emitter } from './events.js';
import { addStroke, editBoard, eraseStrokes, observeClears, readStrokes, toStroke, type Stroke } from './whiteboard.js';

/**
 * Undo and redo of this browser's own whiteboard steps: the strokes it added and the strokes it erased (whoever
 * drew them). What others do is never undone here.
 *
 * Not a `Y.UndoManager`: one keeps every item it could restore from Yjs' garbage collection for as long as the
 * document lives, so each stroke this browser ever erased would stay in its copy of the board, in every state
 * it sends a newcomer, and in the size that decides when the board is full. Strokes are whole, immutable
 * values with ids, so a step is kept here as the strokes themselves and undone by id: taking back a stroke
 * removes it wherever it is now (also a copy someone else's undo brought back), and bringing one back adds it
 * again only if it is not there.
 *
 * Clearing the board is final: on a clear, local or anyone else's, every step is dropped, so neither undo nor
 * redo can bring a stroke back onto the cleared board.
 */

type Step = { kind: 'add'; strokes: Stroke[] } | { kind: 'erase'; strokes: { stroke: Stroke; index: number }[] };

/** How many steps back one can go. */
export const HISTORY_DEPTH = 100;

export class WhiteboardHistory {
  /** `change` after every step taken, undone or redone (for the app's buttons). */
  readonly events = new Emitter<{ change: undefined }>();
  readonly #strokes: Y.Array<unknown>;
  readonly #undo: Step[] = [];
  readonly #redo: Step[] = [];

  constructor(strokes: Y.Array<unknown>) {
    this.#strokes = strokes;
    observeClears(strokes, () => {
      if (this.#undo.length === 0 && this.#redo.length === 0) return;
      this.#undo.length = 0;
      this.#redo.length = 0;
      this.events.emit('change', undefined);
    });
  }

  canUndo(): boolean {
    return this.#undo.length > 0;
  }

  canRedo(): boolean {
    return this.#redo.length > 0;
  }

  /** Adds a finished stroke as one step (`addStroke` refuses an invalid one). */
  add(stroke: Stroke): void {
    addStroke(this.#strokes, stroke);
    this.#record({ kind: 'add', strokes: [toStroke(stroke)!] });
  }

  /** Erases the strokes with these ids as one step; returns how many went. */
  erase(ids: Iterable<string>): number {
    const wanted = new Set(ids);
    const gone = this.#positions().filter(({ stroke }) => wanted.has(stroke.id));
    const erased = eraseStrokes(this.#strokes, wanted);
    if (gone.length > 0) this.#record({ kind: 'erase', strokes: gone });
    return erased;
  }

  /** Takes back the last own step that still changes the board; false when none does. */
  undo(): boolean {
    return this.#move(this.#undo, this.#redo, true);
  }

  /** Takes again the last step undone; false when none changes the board. */
  redo(): boolean {
    return this.#move(this.#redo, this.#undo, false);
  }

  #record(step: Step): void {
    this.#undo.push(step);
    if (this.#undo.length > HISTORY_DEPTH) this.#undo.shift();
    this.#redo.length = 0;
    this.events.emit('change', undefined);
  }

  /** Pops steps from `from` until one changes the board (others' edits may have done it already), onto `to`. */
  #move(from: Step[], to: Step[], undoing: boolean): boolean {
    let changed = false;
    while (!changed && from.length > 0) {
      const step = from.pop()!;
      const remove = (step.kind === 'add') === undoing;
      changed = remove ? this.#remove(step) : this.#restore(step);
      if (changed) to.push(step);
    }
    this.events.emit('change', undefined);
    return changed;
  }

  #remove(step: Step): boolean {
    const ids = step.kind === 'add' ? step.strokes.map((s) => s.id) : step.strokes.map((s) => s.stroke.id);
    return eraseStrokes(this.#strokes, ids) > 0;
  }

  /** Puts the step's strokes back, each near where it was, unless it is there already. */
  #restore(step: Step): boolean {
    const present = new Set(readStrokes(this.#strokes).map((s) => s.id));
    const missing = (step.kind === 'add' ? step.strokes.map((stroke) => ({ stroke, index: Number.POSITIVE_INFINITY })) : step.strokes).filter(({ stroke }) => !present.has(stroke.id));
    if (missing.length === 0) return false;
    editBoard(this.#strokes, () => {
      for (const { stroke, index } of [...missing].sort((a, b) => a.index - b.index)) this.#strokes.insert(Math.min(index, this.#strokes.length), [{ ...stroke, points: [...stroke.points] }]);
    });
    return true;
  }

  /** The valid strokes with their positions in the array. */
  #positions(): { stroke: Stroke; index: number }[] {
    const found: { stroke: Stroke; index: number }[] = [];
    this.#strokes.toArray().forEach((entry, index) => {
      const stroke = toStroke(entry);
      if (stroke) found.push({ stroke, index });
    });
    return found;
  }
}
