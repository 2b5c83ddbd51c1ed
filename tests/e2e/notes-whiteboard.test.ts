// Browser end-to-end for the shared notes and the whiteboard: Chromium and Firefox type into the notes at the
// same time on different lines and end up with the same text holding both; a third participant joining later
// gets the notes from those already there; the Markdown download holds the notes. A line drawn in Chromium
// shows on Firefox's whiteboard, Chromium undoes it with Ctrl+Z and redoes it, Firefox erases it and undoes
// that; the SVG and PNG downloads hold the board (PNG in both browsers). The meeting is end-to-end encrypted (both browsers can),
// so every edit travels sealed. Real server, real browsers, loopback only (run by scripts/run-e2e.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, RESULTS } from './harness.js';
import type { Participant } from './participant.js';
import { waitForText, waitUntilConnected } from './page-waits.js';
import { waitFor } from './wait.js';

const STEP_TIMEOUT = 60_000;

const e2e = e2eHarness();

type Dispatcher = { dispatchEvent(event: unknown): boolean };
interface NotesArea extends Dispatcher {
  value: string;
  selectionStart: number;
  focus(): void;
  setSelectionRange(start: number, end: number): void;
}
interface Board extends Dispatcher {
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
}
type PageDom = {
  document: {
    querySelector(selector: string): unknown;
    execCommand(command: string, ui: boolean, value: string): boolean;
    body: Dispatcher;
  };
};

/** Page function: the shared notes' textarea value, or null while the panel is not open. */
const notesValue = (): string | null => {
  const area = (globalThis as unknown as PageDom).document.querySelector('textarea[aria-label="Shared notes"]') as NotesArea | null;
  return area ? area.value : null;
};

/**
 * Page function: types `typed` one character at a time (the browser's own text insertion, which fires `input`
 * as a key press does), starting right after the first `after` in the notes (at the end when `after` is empty).
 */
const typeInNotes = async ({ after, typed }: { after: string; typed: string }): Promise<void> => {
  const dom = (globalThis as unknown as PageDom).document;
  const area = dom.querySelector('textarea[aria-label="Shared notes"]') as NotesArea;
  area.focus();
  const at = after === '' ? area.value.length : area.value.indexOf(after) + after.length;
  area.setSelectionRange(at, at);
  for (const character of typed) {
    dom.execCommand('insertText', false, character);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Page function: the whiteboard's strokes as drawn (ids in order), or null while it is not open. */
const boardStrokes = (): string[] | null => {
  const board = (globalThis as unknown as PageDom).document.querySelector('svg.whiteboard-board') as Board | null;
  if (!board) return null;
  return Array.from(board.querySelectorAll('path[data-stroke-id]')).map((p) => p.getAttribute('data-stroke-id') ?? '');
};

/**
 * Page function: drags a mouse over the whiteboard through `points` (fractions of its width and height), as
 * pointer events: down at the first, moves, up at the last.
 */
const drag = (points: [number, number][]): boolean => {
  const g = globalThis as unknown as PageDom & { PointerEvent: new (type: string, init: object) => unknown };
  const board = g.document.querySelector('svg.whiteboard-board') as Board | null;
  if (!board) return false;
  const rect = board.getBoundingClientRect();
  const at = (p: [number, number], type: string, buttons: number) =>
    board.dispatchEvent(new g.PointerEvent(type, { bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, button: 0, buttons, clientX: rect.left + p[0] * rect.width, clientY: rect.top + p[1] * rect.height }));
  points.forEach((p, i) => at(p, i === 0 ? 'pointerdown' : 'pointermove', 1));
  at(points[points.length - 1] ?? [0, 0], 'pointerup', 0);
  return true;
};

/** Page function: presses Ctrl+Z (with Shift: Ctrl+Shift+Z) on the page outside any text field. */
const pressUndo = (shift: boolean): void => {
  const g = globalThis as unknown as PageDom & { KeyboardEvent: new (type: string, init: object) => unknown };
  g.document.body.dispatchEvent(new g.KeyboardEvent('keydown', { key: shift ? 'Z' : 'z', ctrlKey: true, shiftKey: shift, bubbles: true, cancelable: true }));
};

/** Page function: from now on, keeps what the page hands to the browser to download (blob and file name). */
const captureDownloads = (): void => {
  type Link = { download: string };
  const g = globalThis as unknown as {
    URL: { createObjectURL(blob: unknown): string };
    HTMLAnchorElement: { prototype: { click(this: Link): void } };
    treffDownloads?: { blobs: unknown[]; names: string[] };
  };
  if (g.treffDownloads) return;
  const seen = { blobs: [] as unknown[], names: [] as string[] };
  g.treffDownloads = seen;
  const create = g.URL.createObjectURL.bind(g.URL);
  g.URL.createObjectURL = (blob) => {
    seen.blobs.push(blob);
    return create(blob);
  };
  const click = g.HTMLAnchorElement.prototype.click;
  g.HTMLAnchorElement.prototype.click = function (this: Link) {
    seen.names.push(this.download);
    return click.call(this);
  };
};

/** Page function: the last download's file name, type, size and (for text) contents, or null before any. */
const lastDownload = async (): Promise<{ name: string; type: string; size: number; text: string } | null> => {
  type PageBlob = { type: string; size: number; text(): Promise<string> };
  const seen = (globalThis as unknown as { treffDownloads?: { blobs: PageBlob[]; names: string[] } }).treffDownloads;
  const blob = seen?.blobs.at(-1);
  const name = seen?.names.at(-1);
  if (!blob || name === undefined) return null;
  return { name, type: blob.type, size: blob.size, text: blob.type.startsWith('image/png') ? '' : await blob.text() };
};

async function waitForNotes(p: Participant, what: string, ok: (value: string) => boolean): Promise<string> {
  return waitFor(`${p.name} (${p.engine}) to show ${what}`, STEP_TIMEOUT, async (note) => {
    const value = await p.page.evaluate(notesValue, undefined);
    note(JSON.stringify(value));
    return value !== null && ok(value) ? value : undefined;
  }, 200);
}

async function waitForStrokes(p: Participant, what: string, ok: (ids: string[]) => boolean): Promise<string[]> {
  return waitFor(`${p.name} (${p.engine}) to show ${what}`, STEP_TIMEOUT, async (note) => {
    const ids = await p.page.evaluate(boardStrokes, undefined);
    note(JSON.stringify(ids));
    return ids !== null && ok(ids) ? ids : undefined;
  }, 200);
}

async function waitForDownload(p: Participant, what: string, name: RegExp) {
  return waitFor(`${p.name} (${p.engine}) to download ${what}`, STEP_TIMEOUT, async (note) => {
    const file = await p.page.evaluate(lastDownload, undefined);
    note(JSON.stringify(file && { ...file, text: file.text.slice(0, 200) }));
    return file && name.test(file.name) ? file : undefined;
  }, 200);
}

const HANA_LINE = 'Hana: the budget is approved';
const GUS_LINE = 'Gus: we ship on Friday';

test('notes typed at once in Chromium and Firefox merge, reach a latecomer and download; whiteboard strokes, erase and undo reach the other side', { timeout: 400_000 }, async () => {
  const room = await e2e.createRoom({ title: 'Design review' });
  const hana = await e2e.chromiumParticipant('Hana');
  const gus = await e2e.firefoxParticipant('Gus');
  let lea: Participant | undefined;
  try {
    await e2e.withDiagnostics('notes-whiteboard', async () => {
      assert.equal(await hana.join(room.hostUrl, STEP_TIMEOUT), 200);
      assert.equal(await gus.join(room.roomUrl, STEP_TIMEOUT), 200);
      await waitUntilConnected(hana);
      await waitUntilConnected(gus);
      await waitForText(hana, 'the encrypted meeting', /End-to-end encrypted/);

      // --- notes: a heading from Hana, then both type at once, each on their own line ---
      await hana.page.clickButton('Notes', STEP_TIMEOUT);
      await gus.page.clickButton('Notes', STEP_TIMEOUT);
      await waitForText(hana, 'the notes saved to everyone', /Saved to everyone/);
      await waitForText(gus, 'the notes saved to everyone and the encryption hint', /Saved to everyone[\s\S]*Notes are end-to-end encrypted/);
      await hana.page.evaluate(typeInNotes, { after: '', typed: 'Decisions\n\nNext steps\n' });
      await waitForNotes(gus, 'Hana’s headings', (v) => v === 'Decisions\n\nNext steps\n');
      await Promise.all([
        hana.page.evaluate(typeInNotes, { after: 'Decisions\n', typed: HANA_LINE }),
        gus.page.evaluate(typeInNotes, { after: '', typed: GUS_LINE }),
      ]);
      const expected = `Decisions\n${HANA_LINE}\nNext steps\n${GUS_LINE}`;
      await waitForNotes(hana, 'both lines, each where it was typed', (v) => v === expected);
      await waitForNotes(gus, 'both lines, each where it was typed', (v) => v === expected);

      lea = await e2e.chromiumParticipant('Lea');
      assert.equal(await lea.join(room.roomUrl, STEP_TIMEOUT), 200);
      await waitUntilConnected(lea);
      // The notes came from the others while her panel was closed: the button says so until she opens it.
      await lea.page.clickButton('Notes (changed by others)', STEP_TIMEOUT);
      await waitForNotes(lea, 'the notes written before she came', (v) => v === expected);
      assert.equal((await lea.page.findByRole('button', 'Notes')).length, 1, 'opening the notes clears the mark');
      await e2e.dismiss(lea);
      lea = undefined;

      await hana.page.evaluate(captureDownloads, undefined);
      await hana.page.clickButton('Download as Markdown', STEP_TIMEOUT);
      const markdown = await waitForDownload(hana, 'the notes', /^design-review-notes-\d{4}-\d{2}-\d{2}\.md$/);
      assert.equal(markdown.text, `${expected}\n`);
      assert.match(markdown.type, /^text\/markdown/);

      // --- whiteboard: Hana draws, undoes and redoes her line; Gus erases it and undoes that ---
      await hana.page.clickButton('Whiteboard', STEP_TIMEOUT);
      await gus.page.clickButton('Whiteboard', STEP_TIMEOUT);
      await waitForStrokes(hana, 'an empty whiteboard', (ids) => ids.length === 0);
      await waitForStrokes(gus, 'an empty whiteboard', (ids) => ids.length === 0);
      assert.ok(await hana.page.evaluate(drag, [[0.2, 0.5], [0.3, 0.45], [0.4, 0.5], [0.5, 0.55], [0.6, 0.5]]));
      const [drawn] = await waitForStrokes(hana, 'her line', (ids) => ids.length === 1);
      await waitForStrokes(gus, 'Hana’s line', (ids) => ids.length === 1 && ids[0] === drawn);
      await gus.screenshot(`${RESULTS}/whiteboard-${gus.engine}.png`);

      await hana.page.evaluate(pressUndo, false);
      await waitForStrokes(gus, 'the line gone after Hana’s Ctrl+Z', (ids) => ids.length === 0);
      await hana.page.evaluate(pressUndo, true);
      const [redone] = await waitForStrokes(gus, 'the line back after Hana’s Ctrl+Shift+Z', (ids) => ids.length === 1);

      await gus.page.clickButton('Eraser', STEP_TIMEOUT);
      assert.ok(await gus.page.evaluate(drag, [[0.4, 0.3], [0.4, 0.7]]));
      await waitForStrokes(hana, 'the line erased by Gus', (ids) => ids.length === 0);
      await gus.page.clickButton('Undo', STEP_TIMEOUT);
      await waitForStrokes(hana, 'the line back after Gus’s undo', (ids) => ids.length === 1 && ids[0] === redone);

      await hana.page.clickButton('Download as SVG', STEP_TIMEOUT);
      const svg = await waitForDownload(hana, 'the whiteboard as SVG', /^design-review-whiteboard-\d{4}-\d{2}-\d{2}\.svg$/);
      assert.equal(svg.text.match(/<path fill="#1f2328" d="M[^"]+"\/>/g)?.length, 1, svg.text.slice(0, 300));
      await hana.page.clickButton('Download as PNG', STEP_TIMEOUT);
      const png = await waitForDownload(hana, 'the whiteboard as PNG', /\.png$/);
      assert.equal(png.type, 'image/png');
      assert.ok(png.size > 1000, `${png.size} bytes`);
      await gus.page.evaluate(captureDownloads, undefined);
      await gus.page.clickButton('Download as PNG', STEP_TIMEOUT);
      const firefoxPng = await waitForDownload(gus, 'the whiteboard as PNG', /\.png$/);
      assert.equal(firefoxPng.type, 'image/png');
      await hana.screenshot(`${RESULTS}/whiteboard-${hana.engine}.png`);

      // On a phone-sized screen the board still fills the width, the cameras below it.
      await hana.page.clickButton('Close panel', STEP_TIMEOUT);
      await hana.page.setViewport(390, 760);
      const [narrow] = await waitFor('the board to fit a narrow screen', STEP_TIMEOUT, async (note) => {
        const found = await hana.page.findByRole('img', 'Whiteboard, 1 stroke');
        note(JSON.stringify(found.map((f) => [f.width, f.height])));
        return found.length === 1 && (found[0]?.width ?? 0) > 300 ? found : undefined;
      }, 250);
      assert.ok((narrow?.height ?? 0) >= ((narrow?.width ?? 0) * 9) / 16 - 1, `board ${narrow?.width}×${narrow?.height}`);
      await hana.screenshot(`${RESULTS}/whiteboard-${hana.engine}-narrow.png`);
    });
  } finally {
    await e2e.dismiss(hana, gus, lea);
  }
});
