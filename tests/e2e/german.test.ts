// Browser end-to-end for the languages: two Chromium participants whose browsers prefer German see the home
// page, pre-join and the meeting (participant list, chat, polls, notes, whiteboard, breakout rooms, settings, security dialog, reactions) in
// German, with no English UI string anywhere in the visible text or the accessible names; the language switch
// turns the meeting English and back without a reload. Real server, real browser, loopback only (run by
// scripts/run-e2e.mjs inside a private network namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, RESULTS } from './harness.js';
import type { Participant } from './participant.js';
import { waitFor } from './wait.js';

// Generous: a 2-core machine runs the server and two browsers at once.
const NAV_TIMEOUT = 60_000;
const STEP_TIMEOUT = 60_000;

const e2e = e2eHarness();
const { chromiumParticipant, dismiss, withDiagnostics } = e2e;

/** The literal texts of a translation: its strings, and the fixed parts of what its functions return. */
function literals(strings: object): string[] {
  const found: string[] = [];
  for (const value of Object.values(strings)) {
    if (typeof value === 'string') found.push(value);
    else if (typeof value === 'function') found.push(...fragmentsOf(String(value)));
    else if (value && typeof value === 'object') found.push(...literals(value));
  }
  return found.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The string and template literals in a function's source, templates cut at their `${…}` holes. */
function fragmentsOf(source: string): string[] {
  const unescape = (s: string) => s.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, '$1');
  const pieces: string[] = [];
  for (const m of source.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    const body = m[1] ?? m[2] ?? m[3] ?? '';
    pieces.push(...(m[3] !== undefined ? body.split(/\$\{[^}]*\}/) : [body]).map(unescape));
  }
  return pieces;
}

/**
 * English UI texts that must never show in the German UI: longer than a few characters, with letters, and
 * not also part of a German text (brand names, "Host", the bilingual switch, codes inside functions).
 */
// Loaded at run time: the translations are typed against the browser SDK and the DOM, which the Node-side
// type-check of the tests must not pull in.
const translations = (file: string): Promise<{ de: object; en: object }> => import(new URL(`../../apps/web/src/i18n/${file}`, import.meta.url).href);
const { de } = await translations('de.ts');
const { en } = await translations('en.ts');
const germanTexts = literals(de);
const ENGLISH_ONLY = [...new Set(literals(en))].filter((s) => s.length >= 5 && /[A-Za-z]{3}/.test(s) && !germanTexts.some((g) => g.includes(s)));

/** Page function: the visible text, the document title and every accessible name given by an attribute. */
const shownTexts = (): string[] => {
  type El = { getAttribute(name: string): string | null };
  const doc = (globalThis as unknown as { document: { body: { innerText: string } | null; title: string; querySelectorAll(s: string): ArrayLike<El> } }).document;
  const out = [doc.body?.innerText ?? '', doc.title];
  for (const el of Array.from(doc.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))) {
    for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(attribute);
      if (value) out.push(value);
    }
  }
  return out;
};

const pageLanguage = (): string => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang;

/** Page function: picks a language in the (first) language switch, as a person would; false when there is none. */
const pickLanguage = (language: string): boolean => {
  type Select = { value: string; dispatchEvent(event: unknown): boolean };
  const g = globalThis as unknown as { document: { querySelector(s: string): Select | null }; Event: new (type: string, init: object) => unknown };
  const select = g.document.querySelector('select[aria-label="Language / Sprache"]');
  if (!select) return false;
  select.value = language;
  select.dispatchEvent(new g.Event('change', { bubbles: true }));
  return true;
};

async function waitForText(p: Participant, what: string, pattern: RegExp): Promise<void> {
  await waitFor(`${p.name} to show ${what}`, STEP_TIMEOUT, async (note) => {
    const seen = (await p.page.evaluate(shownTexts, undefined))[0] ?? '';
    note(JSON.stringify(seen.replace(/\s+/g, ' ').slice(0, 400)));
    return pattern.test(seen) ? true : undefined;
  }, 250);
}

async function waitForButton(p: Participant, name: string): Promise<void> {
  await waitFor(`${p.name} to show the button "${name}"`, STEP_TIMEOUT, async () => ((await p.page.findByRole('button', name)).length > 0 ? true : undefined), 250);
}

/** Fails with every English UI string found in what `p` shows now, and where. */
async function assertAllGerman(p: Participant, where: string): Promise<void> {
  const shown = await p.page.evaluate(shownTexts, undefined);
  const english = ENGLISH_ONLY.filter((s) => shown.some((t) => t.includes(s)));
  assert.deepEqual(english, [], `${where}: English UI strings in the German UI`);
  assert.equal(await p.page.evaluate(pageLanguage, undefined), 'de', `${where}: <html lang>`);
}

test('a browser preferring German gets the whole UI in German, and the switch turns it English and back', { timeout: 300_000 }, async () => {
  assert.ok(ENGLISH_ONLY.length > 300, `the check knows the English UI strings (${ENGLISH_ONLY.length})`);
  assert.ok(ENGLISH_ONLY.includes('Meeting controls') && ENGLISH_ONLY.includes('Share screen'), 'it checks the toolbar’s English names');
  const room = await e2e.createRoom({ title: 'Wochenrunde' });
  const hana = await chromiumParticipant('Hana', 'de-DE');
  const gil = await chromiumParticipant('Gil', 'de-DE');
  await withDiagnostics('german', async () => {
    assert.equal(await hana.page.goto(e2e.server.url, NAV_TIMEOUT), 200);
    await waitForText(hana, 'the German home page', /Videomeetings, die dir gehören/);
    await assertAllGerman(hana, 'home page');
    await hana.page.screenshot(`${RESULTS}/german-home.png`);

    assert.equal(await hana.page.goto(room.hostUrl, NAV_TIMEOUT), 200);
    await waitForText(hana, 'the German pre-join', /Du trittst als Host bei/);
    await waitForText(hana, 'the camera preview or its absence', /^(?![\s\S]*Kamera startet)/);
    await assertAllGerman(hana, 'pre-join');
    await hana.page.screenshot(`${RESULTS}/german-prejoin.png`);
    await hana.page.fill('Dein Name', 'Hana', STEP_TIMEOUT);
    await hana.page.clickButton('Beitreten', STEP_TIMEOUT);
    assert.equal(await gil.join(room.roomUrl, NAV_TIMEOUT), 200);

    await waitForText(hana, 'the connected meeting', /Verbunden/);
    await waitFor('Hana to see Gil', STEP_TIMEOUT, async () => ((await hana.tiles('Gil')).length > 0 ? true : undefined), 250);
    // A wide window opens the meeting with the participant list showing.
    if (!(await hana.listsParticipant('Hana (du)'))) await hana.page.clickButton('Teilnehmende', STEP_TIMEOUT);
    await waitFor('Hana to list herself and Gil', STEP_TIMEOUT, async () =>
      (await hana.listsParticipant('Hana (du)')) && (await hana.listsParticipant('Gil')) ? true : undefined, 250);
    await assertAllGerman(hana, 'meeting with the participant list');

    await hana.page.clickButton('Chat', STEP_TIMEOUT);
    await gil.page.clickButton('Chat', STEP_TIMEOUT);
    await gil.page.fill('Nachricht', 'Hallo zusammen', STEP_TIMEOUT);
    await gil.page.clickButton('Senden', STEP_TIMEOUT);
    await waitForText(hana, 'Gil’s message in the chat', /Hallo zusammen/);
    await assertAllGerman(hana, 'chat panel');

    await hana.page.clickButton('Umfragen', STEP_TIMEOUT);
    await hana.page.clickButton('Neue Umfrage', STEP_TIMEOUT);
    await waitForText(hana, 'the new-poll form', /Umfrage starten/);
    await assertAllGerman(hana, 'polls panel with the new-poll form');

    await hana.page.clickButton('Notizen', STEP_TIMEOUT);
    await waitForText(hana, 'the notes panel', /Bei allen gespeichert/);
    await hana.page.clickButton('Tafel', STEP_TIMEOUT);
    await waitForText(hana, 'the whiteboard', /Alle hier können zeichnen/);
    await assertAllGerman(hana, 'notes panel and whiteboard');
    await hana.page.clickButton('Tafel', STEP_TIMEOUT);

    // Breakout rooms: the form, then the open rooms with their people, the header badge, and closing them.
    await hana.page.clickButton('Breakout-Räume', STEP_TIMEOUT);
    await waitForText(hana, 'the breakout form', /Wer wohin kommt/);
    await assertAllGerman(hana, 'breakout panel with its form');
    await hana.page.clickButton('Breakout-Räume öffnen', STEP_TIMEOUT);
    await waitForButton(hana, 'Dein Raum: Hauptraum');
    await waitForText(hana, 'the open breakout rooms', /Alle Räume schließen/);
    await assertAllGerman(hana, 'breakout panel with open rooms');
    await hana.page.clickButton('Alle Räume schließen', STEP_TIMEOUT);
    await hana.page.clickButton('Ja, alle Räume schließen', STEP_TIMEOUT);
    await waitForText(hana, 'the breakout form again', /Wer wohin kommt/);

    await hana.page.clickButton('Einstellungen des Meetings', STEP_TIMEOUT);
    await waitForText(hana, 'the settings panel', /Wer beitreten darf/);
    await assertAllGerman(hana, 'settings panel');

    await hana.page.clickButton('Reaktionen', STEP_TIMEOUT);
    await waitFor('the reaction picker', STEP_TIMEOUT, async () => ((await hana.page.findByRole('button', 'Mit 👍 reagieren')).length > 0 ? true : undefined), 250);
    await assertAllGerman(hana, 'reaction picker');
    await hana.page.clickButton('Reaktionen', STEP_TIMEOUT);

    await waitForButton(hana, 'Ende-zu-Ende-verschlüsselt');
    await hana.page.clickButton('Ende-zu-Ende-verschlüsselt', STEP_TIMEOUT);
    await waitForText(hana, 'the security dialog', /Sicherheitscodes/);
    await assertAllGerman(hana, 'security dialog');
    await hana.page.screenshot(`${RESULTS}/german-meeting-security.png`);
    await hana.page.clickButton('Schließen', STEP_TIMEOUT);

    await hana.page.clickButton('Teilnehmende', STEP_TIMEOUT);
    await waitForText(hana, 'the participant list again', /In diesem Meeting \(2\)/);
    await assertAllGerman(gil, 'Gil’s meeting with the chat');
    await hana.page.screenshot(`${RESULTS}/german-meeting.png`);

    // The switch: English without a reload (still connected, the panel still open), then German again.
    assert.ok(await hana.page.evaluate(pickLanguage, 'en'), 'the participant list has a language switch');
    await waitForButton(hana, 'Participants');
    await waitForText(hana, 'the English participant list', /In this meeting \(2\)/);
    assert.equal(await hana.page.evaluate(pageLanguage, undefined), 'en');
    assert.ok(await hana.listsParticipant('Hana (you)'));
    assert.equal((await hana.page.findByRole('button', 'Teilnehmende')).length, 0, 'no German name is left');
    assert.ok(await hana.page.evaluate(pickLanguage, 'de'));
    await waitForButton(hana, 'Teilnehmende');
    await assertAllGerman(hana, 'after switching back');
  });
  await dismiss(hana, gil);
});
