import { test } from 'node:test';
import assert from 'node:assert/strict';
import { de } from './de.js';
import { en } from './en.js';

/** German values that may equal the English ones: the brand, loanwords German uses as they are, and the switch's bilingual name. */
const SAME_IN_GERMAN = new Set(['appName', 'meeting', 'chat', 'passwordBadge', 'adminBadge', 'reportDetails', 'languageSwitch']);

test('German has exactly the keys English has', () => {
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
});

test('no German text is left in English, apart from the allow-list', () => {
  const untranslated = Object.entries(en).flatMap(([key, value]) => (typeof value === 'string' && !SAME_IN_GERMAN.has(key) && de[key as keyof typeof de] === value ? [key] : []));
  assert.deepEqual(untranslated, []);
  for (const key of SAME_IN_GERMAN) assert.equal(typeof en[key as keyof typeof en], 'string', `${key} is a plain string`);
});

test('German functions answer in German for the same arguments', () => {
  assert.equal(de.peopleHere(0), 'Noch niemand sonst ist da.');
  assert.equal(de.peopleHere(1), '1 Person ist in diesem Meeting.');
  assert.equal(de.peopleHere(3), '3 Personen sind in diesem Meeting.');
  assert.equal(de.pollVotes(1, 50), '1 Stimme, 50 %');
  assert.equal(de.pollVotes(2, 100), '2 Stimmen, 100 %');
  assert.equal(de.forceMuted('Ada', ['audio']), 'Ada hat dein Mikrofon ausgeschaltet');
  assert.equal(de.forceMuted('Ada', ['video']), 'Ada hat deine Kamera ausgeschaltet');
  assert.equal(de.forceMuted(null, ['audio', 'video']), 'Ein Host hat dein Mikrofon und deine Kamera ausgeschaltet');
  assert.equal(de.listOf(['Ada', 'Bob', 'Cem']), 'Ada, Bob und Cem');
  assert.equal(de.lobbyWaitingCount(1), '1 wartet');
  assert.equal(de.lobbyWaitingCount(4), '4 warten');
  assert.equal(de.chatExportTitle('Wochenrunde'), 'Chat des Meetings „Wochenrunde“');
  assert.equal(de.roomReadyNamed('Wochenrunde'), '„Wochenrunde“ ist bereit');
  assert.equal(de.connectionLabels.connected, 'Verbunden');
  for (const code of ['password-required', 'room-locked', 'banned', 'e2ee-required', 'unknown-code']) {
    assert.notEqual(de.joinProblem(code).message, en.joinProblem(code).message, code);
    assert.equal(de.joinProblem(code).askPassword, en.joinProblem(code).askPassword, code);
  }
  for (const reason of ['removed', 'banned', 'meeting-ended', 'denied', 'room-closed'] as const) assert.notEqual(de.endedScreen(reason).title, en.endedScreen(reason).title);
  for (const problem of ['question-missing', 'question-too-long', 'too-few-options', 'too-many-options', 'option-too-long'] as const) assert.notEqual(de.pollProblem(problem), en.pollProblem(problem));
});

test('German uses its own typography: „quotes“, – dashes and … ellipses, never the English ones', () => {
  const all = Object.values(de)
    .filter((v): v is string => typeof v === 'string')
    .concat([de.roomReadyNamed('x'), de.groupNotice('x'), de.waitingHint('x'), de.joinGroupHeading('x'), de.chatPrivatePlaceholder('x')]);
  for (const value of all) {
    assert.doesNotMatch(value, /["”—]|\.\.\./, value);
    assert.equal(value.split('„').length, value.split('“').length, `quotes open with „ and close with “: ${value}`);
  }
  assert.match(de.gettingReady, /…$/);
});

test('server refusals read in German by their code, with who is sharing a screen when that is why', () => {
  assert.equal(de.refusal('forbidden', 'your role (guest) may not mute'), 'Nicht erledigt: Deine Rolle erlaubt das nicht.');
  for (const code of ['not-found', 'wrong-state', 'bad-request'] as const) assert.doesNotMatch(de.refusal(code, 'english words'), /english/);
  assert.equal(en.refusal('forbidden', 'your role (guest) may not mute'), 'Not done: your role (guest) may not mute');
  assert.match(de.screenShareProblem('refused', 'Sam is sharing their screen; …', 'Sam'), /^Bildschirm teilen: Sam teilt gerade den Bildschirm/);
  assert.doesNotMatch(de.screenShareProblem('refused', 'the server words', null), /server words/);
  assert.equal(de.requireE2eeRefused('Olga cannot encrypt end to end; …', ['Olga']), 'Nicht eingeschaltet: Olga kann nicht Ende-zu-Ende verschlüsseln. Es lässt sich einschalten, sobald alle Anwesenden es können.');
  assert.match(de.requireE2eeRefused('x', ['Olga', 'Bob']), /Olga und Bob können nicht/);
  assert.equal(de.apiProblem('room-not-found', 'this meeting does not exist'), 'Dieses Meeting gibt es nicht.');
  assert.equal(de.apiProblem('some-new-code', 'the server’s own words'), 'the server’s own words', 'unknown codes keep the server’s words');
});

test('TypeScript rejects a translation missing a key, with an extra one, or with a wrong signature', async () => {
  const ts = (await import('typescript')).default;
  const dir = new URL('.', import.meta.url).pathname;
  const check = (body: string): string[] => {
    const file = `${dir}__shape_check__.ts`;
    const source = `import type { Strings } from './en.js';\nimport { de } from './de.js';\n${body}\n`;
    const options = { strict: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [], lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, version) => (name === file ? ts.createSourceFile(name, source, version) : getSourceFile.call(host, name, version));
    host.fileExists = (name) => name === file || fileExists.call(host, name);
    host.readFile = (name) => (name === file ? source : readFile.call(host, name));
    const program = ts.createProgram([file], options, host);
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  };
  assert.deepEqual(check('export const ok: Strings = { ...de, join: "Beitreten" };'), []);
  assert.match(check('const { join: _join, ...rest } = de;\nexport const missing: Strings = rest;').join('\n'), /join/);
  assert.match(check('export const extra: Strings = { ...de, notAKey: "x" };').join('\n'), /notAKey/);
  assert.match(check('export const wrong: Strings = { ...de, peopleHere: (count: string) => count };').join('\n'), /peopleHere|not assignable/);
});
