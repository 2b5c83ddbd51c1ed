import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activeLanguage, activeStrings, chooseLanguage, onLanguageChange, setLanguage } from './language.js';
import { text } from '../strings.js';

test('a stored choice wins; else the first preferred language Treff has; else English', () => {
  assert.equal(chooseLanguage('de', ['en-US']), 'de');
  assert.equal(chooseLanguage('en', ['de-DE']), 'en');
  assert.equal(chooseLanguage(null, ['de-AT', 'en']), 'de');
  assert.equal(chooseLanguage(null, ['fr-FR', 'DE-ch', 'en']), 'de', 'skips languages Treff lacks, any case');
  assert.equal(chooseLanguage(null, ['fr-FR', 'en-GB', 'de']), 'en');
  assert.equal(chooseLanguage(null, ['fr', 'it']), 'en');
  assert.equal(chooseLanguage(null, []), 'en');
  assert.equal(chooseLanguage('klingon', ['de']), 'de', 'a stored value Treff does not know is ignored');
});

test('of two quick switches the later wins, though the earlier one (German, not fetched yet) finishes last', async () => {
  await setLanguage('en');
  const toGerman = setLanguage('de');
  const toEnglish = setLanguage('en');
  await Promise.all([toGerman, toEnglish]);
  assert.equal(activeLanguage(), 'en');
  assert.equal(text.join, 'Join');
});

test('switching changes what `text` reads and tells the listeners, once per change', async () => {
  const heard: string[] = [];
  const off = onLanguageChange((language) => heard.push(language));
  await setLanguage('en');
  assert.equal(text.join, 'Join');
  await setLanguage('de');
  assert.equal(activeLanguage(), 'de');
  assert.equal(text.join, 'Beitreten');
  assert.equal(text.peopleHere(2), '2 Personen sind in diesem Meeting.');
  assert.equal(activeStrings().leave, 'Verlassen');
  await setLanguage('de');
  await setLanguage('en');
  assert.equal(text.join, 'Join');
  off();
  await setLanguage('de');
  await setLanguage('en');
  assert.deepEqual(heard, ['de', 'en']);
});

test('a switch is remembered in this browser unless asked not to (as when German could not be fetched)', async () => {
  const stored: string[] = [];
  const storage = { setItem: (_key: string, value: string) => void stored.push(value), getItem: () => null };
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true });
  try {
    await setLanguage('de', { remember: false });
    assert.equal(activeLanguage(), 'de');
    assert.deepEqual(stored, []);
    await setLanguage('en');
    assert.deepEqual(stored, ['en']);
  } finally {
    Reflect.deleteProperty(globalThis, 'localStorage');
  }
});
