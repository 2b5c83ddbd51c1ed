import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.js';
import { ReportStore } from './report-store.js';
import { insertTestRoom } from './test-rooms.js';

test('reports keep their metadata, list open or all, and close once', () => {
  const db = openDatabase(null);
  const room = insertTestRoom(db, 'r1');
  const reports = new ReportStore(db);
  const first = { id: 'p1', roomKey: room, roomId: 'r1', createdAt: 10, reason: 'spam' as const, text: 'ads', participantCount: 2, displayNames: ['Ada', 'Bob "the" Builder'], closedAt: null };
  reports.add(first);
  reports.add({ ...first, id: 'p2', createdAt: 11, reason: 'abuse', text: '', displayNames: [] });
  assert.deepEqual(reports.list('open'), [first, { ...first, id: 'p2', createdAt: 11, reason: 'abuse', text: '', displayNames: [] }]);
  assert.equal(reports.close('p1', 20), true);
  assert.equal(reports.close('p1', 30), false);
  assert.equal(reports.close('nope', 30), false);
  assert.deepEqual(reports.list('open').map((r) => r.id), ['p2']);
  assert.deepEqual(reports.list('all').map((r) => [r.id, r.closedAt]), [['p1', 20], ['p2', null]]);
  assert.throws(() => reports.add({ ...first, id: 'p3', roomKey: 999 }), /FOREIGN KEY/);
});
