import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { bindTextarea, mapIndex, mapSelection, textChange, type BindableTextarea } from './notes-binding.js';

/**
 * A textarea as the binding sees it: value, selection and the events a browser fires. Typing replaces the
 * selection and puts the caret after what was typed, as a browser does, then fires `input`.
 */
class Textarea extends EventTarget implements BindableTextarea {
  value = '';
  selectionStart = 0;
  selectionEnd = 0;
  selectionDirection: 'forward' | 'backward' | 'none' | null = 'none';
  scrollTop = 0;
  setSelectionRange(start: number, end: number, direction: 'forward' | 'backward' | 'none' = 'none') {
    this.selectionStart = Math.min(start, this.value.length);
    this.selectionEnd = Math.min(Math.max(start, end), this.value.length);
    this.selectionDirection = direction;
  }
  select(start: number, end = start) {
    this.setSelectionRange(start, end);
  }
  /** Replaces the selection with `typed` without firing `input` (what an input method does mid-composition). */
  replaceSelection(typed: string) {
    this.value = this.value.slice(0, this.selectionStart) + typed + this.value.slice(this.selectionEnd);
    this.select(this.selectionStart + typed.length);
  }
  type(typed: string) {
    this.replaceSelection(typed);
    this.dispatchEvent(new Event('input'));
  }
  backspace() {
    if (this.selectionStart === this.selectionEnd) this.select(Math.max(0, this.selectionStart - 1), this.selectionEnd);
    this.type('');
  }
  override addEventListener(type: string, listener: () => void) {
    super.addEventListener(type, listener);
  }
  override removeEventListener(type: string, listener: () => void) {
    super.removeEventListener(type, listener);
  }
}

const REMOTE = 'remote';

/** Two participants' notes, each in its own Y.Doc, each update delivered to the other at once or when flushed. */
function pair(options: { manual?: boolean } = {}) {
  const docA = new Y.Doc();
  const docB = new Y.Doc();
  const queued: [Y.Doc, Uint8Array][] = [];
  const deliver = (to: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (origin === REMOTE) return;
    if (options.manual) queued.push([to, update]);
    else Y.applyUpdate(to, update, REMOTE);
  };
  docA.on('update', deliver(docB));
  docB.on('update', deliver(docA));
  const a = new Textarea();
  const b = new Textarea();
  const unbind = [bindTextarea(a, docA.getText('notes')), bindTextarea(b, docB.getText('notes'))];
  const flush = () => {
    for (const [to, update] of queued.splice(0)) Y.applyUpdate(to, update, REMOTE);
  };
  return { a, b, textA: docA.getText('notes'), textB: docB.getText('notes'), flush, unbind: () => unbind.forEach((off) => off()) };
}

test('textChange finds the replaced middle, at the caret in repeated text', () => {
  assert.equal(textChange('same', 'same'), null);
  assert.deepEqual(textChange('', 'hello'), { index: 0, remove: 0, insert: 'hello' });
  assert.deepEqual(textChange('hello world', 'hello brave world', 12), { index: 6, remove: 0, insert: 'brave ' });
  assert.deepEqual(textChange('hello world', 'hello', 5), { index: 5, remove: 6, insert: '' });
  assert.deepEqual(textChange('cat', 'cut', 2), { index: 1, remove: 1, insert: 'u' });
  // "a|a" + "a" → "aa|a": the new "a" is the second character, not the last.
  assert.deepEqual(textChange('aa', 'aaa', 2), { index: 1, remove: 0, insert: 'a' });
  assert.deepEqual(textChange('aa', 'aaa', 3), { index: 2, remove: 0, insert: 'a' });
  // Backspace in "aa|a" and Delete at "a|aa" both remove the second character.
  assert.deepEqual(textChange('aaa', 'aa', 1), { index: 1, remove: 1, insert: '' });
});

test('textChange never splits a surrogate pair', () => {
  // 😀 and 😃 share their high surrogate.
  assert.deepEqual(textChange('a😀b', 'a😃b', 3), { index: 1, remove: 2, insert: '😃' });
  // 😀 (U+1F600) and 🙀 (U+1F640) share their low surrogate: the suffix must not start inside the pair.
  assert.deepEqual(textChange('😀', '🙀', 2), { index: 0, remove: 2, insert: '🙀' });
});

test('mapIndex moves a position past inserts before it and back over deletes before it', () => {
  assert.equal(mapIndex(5, [{ insert: 'abc' }]), 8);
  assert.equal(mapIndex(5, [{ retain: 5 }, { insert: 'abc' }]), 5, 'insert at the position goes after it');
  assert.equal(mapIndex(5, [{ retain: 5 }, { insert: 'abc' }], true), 8);
  assert.equal(mapIndex(5, [{ retain: 6 }, { insert: 'abc' }]), 5);
  assert.equal(mapIndex(5, [{ retain: 1 }, { delete: 2 }]), 3);
  assert.equal(mapIndex(5, [{ retain: 3 }, { delete: 10 }]), 3, 'a deleted position goes to where the deletion was');
  assert.equal(mapIndex(5, [{ delete: 1 }, { retain: 2 }, { insert: 'xy' }]), 6);
});

test('mapSelection keeps a caret a caret and a range from growing at its edges', () => {
  assert.deepEqual(mapSelection(2, 2, [{ retain: 2 }, { insert: 'xx' }]), [2, 2]);
  assert.deepEqual(mapSelection(2, 4, [{ retain: 2 }, { insert: 'xx' }, { retain: 2 }, { insert: 'yy' }]), [4, 6]);
  assert.deepEqual(mapSelection(2, 4, [{ retain: 1 }, { delete: 4 }]), [1, 1]);
});

test('typing in one textarea shows the same text in the other', () => {
  const { a, b, textA } = pair();
  a.type('Agenda');
  a.type('\n- budget');
  a.select(0);
  a.type('# ');
  assert.equal(textA.toString(), '# Agenda\n- budget');
  assert.equal(b.value, '# Agenda\n- budget');
  b.select(b.value.length);
  b.backspace();
  b.backspace();
  assert.equal(a.value, '# Agenda\n- budg');
});

test('a local edit becomes one minimal insert or delete in the document', () => {
  const { a, b, textA } = pair();
  a.type('hello world');
  const deltas: unknown[] = [];
  textA.observe((event) => deltas.push(event.delta));
  b.select(6);
  b.type('brave ');
  b.select(0, 5);
  b.type('');
  assert.deepEqual(deltas, [[{ retain: 6 }, { insert: 'brave ' }], [{ delete: 5 }]]);
});

test('others’ edits keep the caret and selection on the same characters', () => {
  const { a, b } = pair();
  a.type('one two three');
  b.select(4, 7); // "two"
  a.select(0);
  a.type('zero ');
  assert.equal(b.value, 'zero one two three');
  assert.equal(b.value.slice(b.selectionStart, b.selectionEnd), 'two');
  a.select(a.value.length);
  a.type('!');
  assert.equal(b.value.slice(b.selectionStart, b.selectionEnd), 'two');
  // Text typed exactly at b's caret goes after the caret, so b keeps typing where it was.
  b.select(5);
  a.select(5);
  a.type('and ');
  assert.equal(b.selectionStart, 5);
  b.type('X');
  assert.equal(a.value, 'zero Xand one two three!');
});

test('both typing at once on different lines ends with the same text holding both', () => {
  const { a, b, flush } = pair({ manual: true });
  a.type('first line\nsecond line');
  flush();
  a.select(10);
  b.select(b.value.length);
  for (const [ca, cb] of [['A', 'b'], ['l', 'o'], ['i', 'b']]) {
    a.type(ca as string);
    b.type(cb as string);
  }
  flush();
  assert.equal(a.value, b.value);
  assert.equal(a.value, 'first lineAli\nsecond linebob');
  // a's caret is still after what a typed.
  assert.equal(a.selectionStart, 13);
});

test('an input method’s composition is left alone until it ends, then merged with edits made meanwhile', () => {
  const { a, b, textA, textB } = pair();
  a.type('Hello world');
  b.select(b.value.length);
  b.dispatchEvent(new Event('compositionstart'));
  b.replaceSelection('に');
  b.dispatchEvent(new Event('input'));
  b.select(b.value.length - 1, b.value.length);
  b.replaceSelection('にほ');
  b.dispatchEvent(new Event('input'));
  assert.equal(textA.toString(), 'Hello world', 'nothing provisional is sent');
  a.select(0);
  a.type('>> ');
  assert.equal(b.value, 'Hello worldにほ', 'the composing textarea is not touched');
  b.select(b.value.length - 2, b.value.length);
  b.replaceSelection('日本');
  b.dispatchEvent(new Event('compositionend'));
  assert.equal(textB.toString(), '>> Hello world日本');
  assert.equal(b.value, '>> Hello world日本');
  assert.equal(a.value, '>> Hello world日本');
  assert.equal(b.selectionStart, b.value.length);
  // The input event some browsers fire after compositionend changes nothing more.
  b.dispatchEvent(new Event('input'));
  assert.equal(a.value, '>> Hello world日本');
});

test('a composition cancelled while others typed shows their text with the caret kept', () => {
  const { a, b } = pair();
  a.type('abc');
  b.select(1);
  b.dispatchEvent(new Event('compositionstart'));
  a.select(0);
  a.type('xy');
  b.dispatchEvent(new Event('compositionend'));
  assert.equal(b.value, 'xyabc');
  assert.equal(b.selectionStart, 3);
});

test('mayGrow refuses added text and keeps deletions', () => {
  const doc = new Y.Doc();
  const notes = doc.getText('notes');
  notes.insert(0, 'full');
  const area = new Textarea();
  const unbind = bindTextarea(area, notes, { mayGrow: () => false });
  assert.equal(area.value, 'full');
  area.select(4);
  area.type(' more');
  assert.equal(area.value, 'full');
  assert.equal(area.selectionStart, 4);
  assert.equal(notes.toString(), 'full');
  area.backspace();
  assert.equal(notes.toString(), 'ful');
  unbind();
});

test('after unbinding, neither side follows the other', () => {
  const { a, b, textA, unbind } = pair();
  a.type('kept');
  unbind();
  a.type(' local');
  textA.insert(0, '!');
  assert.equal(b.value, 'kept');
  assert.equal(a.value, 'kept local');
});
