import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meetingFileName } from './download.js';

const DAY = Date.UTC(2026, 11, 1, 12);

test('the file name is the title’s letters and digits, what it is and the date', () => {
  assert.equal(meetingFileName('Weekly Sync: Q4!', 'notes', 'md', DAY), 'weekly-sync-q4-notes-2026-12-01.md');
  assert.equal(meetingFileName('Übergabe – Café', 'whiteboard', 'png', DAY), 'ubergabe-cafe-whiteboard-2026-12-01.png');
});

test('a title without letters or digits gives a name all the same', () => {
  assert.equal(meetingFileName('', 'notes', 'md', DAY), 'treff-notes-2026-12-01.md');
  assert.equal(meetingFileName('../../etc', 'whiteboard', 'svg', DAY), 'etc-whiteboard-2026-12-01.svg');
});
