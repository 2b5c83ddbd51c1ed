import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DepartureNotes } from './departure-notes.js';

test('someone we removed reads as removed, and the lock that follows is not toasted twice', () => {
  const notes = new DepartureNotes(false);
  notes.removing('ben');
  assert.equal(notes.left('ben', 'Ben'), 'Ben was removed; the meeting is now locked');
  assert.equal(notes.settingsChanged(true), null);
  // A later lock (after an unlock) is news again.
  assert.equal(notes.settingsChanged(false), null);
  assert.equal(notes.settingsChanged(true), 'The meeting is now locked');
});

test('a lock that arrives before the departure is toasted, and the removal still reads as removed', () => {
  const notes = new DepartureNotes(false);
  notes.removing('ben');
  assert.equal(notes.settingsChanged(true), 'The meeting is now locked');
  assert.equal(notes.left('ben', 'Ben'), 'Ben was removed; the meeting is now locked');
  assert.equal(notes.settingsChanged(false), null);
  assert.equal(notes.settingsChanged(true), 'The meeting is now locked');
});

test('someone leaving on their own just left', () => {
  const notes = new DepartureNotes(false);
  notes.removing('ben');
  assert.equal(notes.left('cara', 'Cara'), 'Cara left');
  assert.equal(notes.settingsChanged(false), null);
});
