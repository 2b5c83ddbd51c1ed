import type * as Y from 'yjs';

/**
 * Binds a `<textarea>` to a shared `Y.Text`: what the person types becomes the smallest Yjs insert and delete,
 * and what others type appears in the textarea with the caret and selection kept on the same characters.
 * While an input method composes a word (IME, dead keys), the textarea is left alone: the word goes to the
 * document when the composition ends, and edits that arrived meanwhile are merged in then.
 */

/** One replacement: `remove` characters at `index` give way to `insert`. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

/** A Yjs text delta (the `delta` of a `Y.YTextEvent`), for plain text. */
export type TextDelta = ReadonlyArray<{ insert?: unknown; retain?: number; delete?: number }>;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * What turned `before` into `after`: the common prefix and suffix kept, the middle replaced. `caret` (where the
 * caret is after the edit) breaks ties in repeated text, so typing "a" inside "aa" inserts where it was typed.
 * Never splits a surrogate pair (an emoji is replaced whole).
 */
export function textChange(before: string, after: string, caret = after.length): TextChange | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  // The suffix cannot reach left of the caret: what is left of the caret is (or ends with) what was typed.
  const maxSuffix = Math.min(shorter, Math.max(0, after.length - caret));
  let suffix = 0;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  let prefix = 0;
  while (prefix < shorter - suffix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { index: prefix, remove: before.length - prefix - suffix, insert: after.slice(prefix, after.length - suffix) };
}

/**
 * Where a position in the text before `delta` is afterwards. Text inserted exactly at the position goes
 * before it when `after` is true (the position moves right), else after it.
 */
export function mapIndex(index: number, delta: TextDelta, after = false): number {
  let at = 0;
  let shift = 0;
  for (const op of delta) {
    if (at > index) break;
    if (op.retain !== undefined) at += op.retain;
    else if (op.delete !== undefined) {
      shift -= Math.max(0, Math.min(op.delete, index - at));
      at += op.delete;
    } else if (typeof op.insert === 'string' && (at < index || (at === index && after))) shift += op.insert.length;
  }
  return index + shift;
}

/** A selection after `delta`: a caret stays a caret; a range does not grow by text typed at its edges. */
export function mapSelection(start: number, end: number, delta: TextDelta): [number, number] {
  if (start === end) {
    const caret = mapIndex(start, delta);
    return [caret, caret];
  }
  const mappedStart = mapIndex(start, delta, true);
  return [mappedStart, Math.max(mappedStart, mapIndex(end, delta))];
}

/** The parts of a textarea the binding uses (an `HTMLTextAreaElement` has them all). */
export interface BindableTextarea {
  value: string;
  selectionStart: number;
  selectionEnd: number;
  selectionDirection: 'forward' | 'backward' | 'none' | null;
  scrollTop: number;
  setSelectionRange(start: number, end: number, direction?: 'forward' | 'backward' | 'none'): void;
  addEventListener(type: 'input' | 'compositionstart' | 'compositionend', listener: () => void): void;
  removeEventListener(type: 'input' | 'compositionstart' | 'compositionend', listener: () => void): void;
}

export interface NotesBindingOptions {
  /** Asked before a change that adds text goes to the document; false puts the textarea back as it was. */
  mayGrow?: (change: TextChange) => boolean;
}

/** Keeps `textarea` and `text` equal until the returned function is called. */
export function bindTextarea(textarea: BindableTextarea, text: Y.Text, options: NotesBindingOptions = {}): () => void {
  const doc = text.doc;
  if (!doc) throw new Error('the Y.Text must belong to a Y.Doc');
  const origin = Symbol('notes-binding');
  /** What the textarea showed when it last matched the document (a composition's provisional text aside). */
  let shown = text.toString();
  let composing = false;
  /** Others' edits that arrived while composing, in order: positions in `shown` map through them. */
  let missed: TextDelta[] = [];

  const through = (index: number, after: boolean) => missed.reduce((at, delta) => mapIndex(at, delta, after), index);

  const show = (start: number, end: number) => {
    const scroll = textarea.scrollTop;
    const direction = textarea.selectionDirection ?? 'none';
    shown = text.toString();
    textarea.value = shown;
    textarea.setSelectionRange(start, end, direction);
    textarea.scrollTop = scroll;
  };

  /** Sends what the person changed since `shown`, then shows the document if others' edits are still to show. */
  const takeInput = () => {
    if (composing) return;
    const change = textChange(shown, textarea.value, textarea.selectionEnd);
    if (!change) {
      if (missed.length > 0) {
        const [start, end] = missed.reduce(([s, e], delta) => mapSelection(s, e, delta), [textarea.selectionStart, textarea.selectionEnd]);
        missed = [];
        show(start, end);
      }
      return;
    }
    if (change.insert.length > change.remove && options.mayGrow && !options.mayGrow(change)) {
      // Refused: what was typed goes, the caret goes back to where it was typed.
      const caret = through(change.index, false);
      missed = [];
      show(caret, caret);
      return;
    }
    // Positions in `shown`, moved past others' edits that arrived while this one was being composed.
    const start = through(change.index, true);
    const end = Math.max(start, through(change.index + change.remove, false));
    const caught = missed.length > 0;
    missed = [];
    doc.transact(() => {
      if (end > start) text.delete(start, end - start);
      if (change.insert !== '') text.insert(start, change.insert);
    }, origin);
    if (caught) show(start + change.insert.length, start + change.insert.length);
    else shown = textarea.value;
  };

  const onTextChange = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return;
    missed.push(event.delta as TextDelta);
    // Setting the value mid-composition would break the input method: the edit waits for compositionend.
    if (!composing) takeInput();
  };
  const onCompositionStart = () => {
    composing = true;
  };
  const onCompositionEnd = () => {
    composing = false;
    takeInput();
  };

  textarea.value = shown;
  textarea.addEventListener('input', takeInput);
  textarea.addEventListener('compositionstart', onCompositionStart);
  textarea.addEventListener('compositionend', onCompositionEnd);
  text.observe(onTextChange);
  return () => {
    text.unobserve(onTextChange);
    textarea.removeEventListener('input', takeInput);
    textarea.removeEventListener('compositionstart', onCompositionStart);
    textarea.removeEventListener('compositionend', onCompositionEnd);
  };
}
