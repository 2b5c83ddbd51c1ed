import type * as Y from 'yjs';

/**
 * The whiteboard's data model (docs/shared-docs.md): the shared `Y.Array` named `strokes` holds one plain
 * object per finished freehand line. Every participant can write anything into that array, so nothing read
 * from it is trusted: `readStrokes` keeps only entries that are strokes exactly as defined here.
 */

/** The board's fixed coordinate space; every browser scales it to fit, so strokes land in the same place. */
export const BOARD_WIDTH = 1600;
export const BOARD_HEIGHT = 900;
/** Most points (x, y pairs) in one stroke; a longer line is simplified before it is added. */
export const MAX_STROKE_POINTS = 1000;
/** Widest pen, in board units. */
export const MAX_STROKE_WIDTH = 48;
const MAX_ID_LENGTH = 64;

/**
 * The pen colours: a stroke's colour is one of these, never a free CSS string from another participant.
 * Each reads on the board's light background.
 */
export const STROKE_COLORS = ['#1f2328', '#e5484d', '#f76b15', '#2f9e5b', '#0b72e7', '#8e4ec6'] as const;
export type StrokeColor = (typeof STROKE_COLORS)[number];

/** The pen widths the app offers (any integer from 1 to `MAX_STROKE_WIDTH` is a valid stroke). */
export const STROKE_WIDTHS = [3, 8, 20] as const;

export interface Stroke {
  /** Unique per stroke (random), so erasing names it. */
  id: string;
  /** The participant id of who drew it, as they claim (anyone can write the array). */
  by: string;
  color: StrokeColor;
  width: number;
  /** Flat integer board coordinates `x0, y0, x1, y1, …`, 1 to `MAX_STROKE_POINTS` points. */
  points: readonly number[];
}

/** The transaction origin of this browser's whiteboard edits (the SDK sends every edit that is not its own). */
export const WHITEBOARD_ORIGIN: unique symbol = Symbol('treff-whiteboard');

const COLORS: ReadonlySet<string> = new Set(STROKE_COLORS);

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

function isPoints(value: unknown): value is readonly number[] {
  if (!Array.isArray(value) || value.length < 2 || value.length > MAX_STROKE_POINTS * 2 || value.length % 2 !== 0) return false;
  for (let i = 0; i < value.length; i += 2) {
    const x: unknown = value[i];
    const y: unknown = value[i + 1];
    if (!Number.isInteger(x) || !Number.isInteger(y)) return false;
    if ((x as number) < 0 || (x as number) > BOARD_WIDTH || (y as number) < 0 || (y as number) > BOARD_HEIGHT) return false;
  }
  return true;
}

/** The entry as a stroke, or null when it is anything else (wrong shape, colour, width or points). */
export function toStroke(entry: unknown): Stroke | null {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return null;
  const { id, by, color, width, points } = entry as Record<string, unknown>;
  if (!isId(id) || !isId(by) || typeof color !== 'string' || !COLORS.has(color)) return null;
  if (!Number.isInteger(width) || (width as number) < 1 || (width as number) > MAX_STROKE_WIDTH || !isPoints(points)) return null;
  // A copy of exactly the stroke's fields: nothing else an entry carries reaches the app.
  return { id, by, color: color as StrokeColor, width: width as number, points: [...points] };
}

/** The valid strokes in drawing order; invalid entries and repeated ids (after the first) are skipped. */
export function readStrokes(strokes: Y.Array<unknown>): Stroke[] {
  const seen = new Set<string>();
  const valid: Stroke[] = [];
  for (const entry of strokes.toArray()) {
    const stroke = toStroke(entry);
    if (!stroke || seen.has(stroke.id)) continue;
    seen.add(stroke.id);
    valid.push(stroke);
  }
  return valid;
}

/** A fresh random stroke id. */
export function newStrokeId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Runs one edit of the board as a single transaction with `WHITEBOARD_ORIGIN` (directly when the array is in no document). */
export function editBoard(strokes: Y.Array<unknown>, edit: () => void): void {
  if (strokes.doc) strokes.doc.transact(edit, WHITEBOARD_ORIGIN);
  else edit();
}

/** Adds a finished stroke in one transaction; refuses one this model would not read back. */
export function addStroke(strokes: Y.Array<unknown>, stroke: Stroke): void {
  const valid = toStroke(stroke);
  if (!valid) throw new RangeError('not a valid stroke (colour, width 1–48, 1–1000 integer points on the 1600×900 board)');
  editBoard(strokes, () => strokes.push([valid]));
}

/** Removes every entry with one of these ids, in one transaction; returns how many went. */
export function eraseStrokes(strokes: Y.Array<unknown>, ids: Iterable<string>): number {
  const wanted = new Set(ids);
  if (wanted.size === 0) return 0;
  let erased = 0;
  editBoard(strokes, () => {
    const entries = strokes.toArray();
    // From the end, so the indices still to delete do not move.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
      if (typeof id === 'string' && wanted.has(id)) {
        strokes.delete(i, 1);
        erased++;
      }
    }
  });
  return erased;
}

/**
 * Where clears are recorded, beside the strokes: a receiver cannot tell a clear from erasing everything left,
 * and every `WhiteboardHistory` must (a clear is final). Null for an array in no document.
 */
function clearMarks(strokes: Y.Array<unknown>): Y.Map<unknown> | null {
  return strokes.doc ? strokes.doc.getMap<unknown>('board') : null;
}

/**
 * Removes everything on the board (what a host's "Clear board" does), in one transaction, and records the clear
 * so that nobody's undo or redo brings a stroke back onto the cleared board: not undoable.
 */
export function clearBoard(strokes: Y.Array<unknown>): void {
  editBoard(strokes, () => {
    if (strokes.length > 0) strokes.delete(0, strokes.length);
    clearMarks(strokes)?.set('cleared', newStrokeId());
  });
}

/** Calls `listener` after each clear of this board, local or anyone else's. */
export function observeClears(strokes: Y.Array<unknown>, listener: () => void): void {
  clearMarks(strokes)?.observe((event) => {
    if (event.keysChanged.has('cleared')) listener();
  });
}
