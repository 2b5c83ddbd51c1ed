import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messagePage, pageLanguage } from './pages.js';

test('the page language is the preferred of German and English, English otherwise', () => {
  assert.equal(pageLanguage(undefined), 'en');
  assert.equal(pageLanguage(''), 'en');
  assert.equal(pageLanguage('fr-FR,fr;q=0.9'), 'en');
  assert.equal(pageLanguage('de-DE,de;q=0.9,en;q=0.8'), 'de');
  assert.equal(pageLanguage('fr,en;q=0.9,de;q=0.8'), 'en');
  assert.equal(pageLanguage('fr,de;q=0.5,en;q=0.2'), 'de');
  assert.equal(pageLanguage('de;q=0,en'), 'en', 'q=0 means "not acceptable"');
  assert.equal(pageLanguage('DE-at'), 'de');
  assert.equal(pageLanguage('de;q=abc'), 'en', 'a malformed weight counts as no preference');
});

test('a page is in its language: the html lang, the title, the text and the link', () => {
  const en = messagePage('not-found', 'en');
  assert.match(en, /<html lang="en">/);
  assert.match(en, /Page not found · Treff/);
  const de = messagePage('not-found', 'de');
  assert.match(de, /<html lang="de">/);
  assert.match(de, /Seite nicht gefunden/);
  assert.doesNotMatch(de, /Page not found|Start a new meeting/);
});
