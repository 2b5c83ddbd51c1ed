import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.js';
import { SqliteReportStore as ReportStore } from './report-store.js';
import { insertTestRoom } from './test-rooms.js';

test('reports keep their metadata, list open or all, and close once', async () => {
  const db = openDatabase(null);
  const room = await insertTestRoom(db, 'r1');
  const reports = new ReportStore(db);
  const first = { id: 'p1', roomKey: room, roomId: 'r1', createdAt: 10, reason: 'spam' as const, text: 'ads', participantCount: 2, displayNames: ['Ada', 'Bob "the" Builder'], closedAt: null };
  await reports.add(first);
  await reports.add({ ...first, id: 'p2', createdAt: 11, reason: 'abuse', text: '', displayNames: [] });
  assert.deepEqual(await reports.list('open'), [
    { ...first, currentRoomId: 'r1' },
    { ...first, id: 'p2', createdAt: 11, reason: 'abuse', text: '', displayNames: [], currentRoomId: 'r1' },
  ]);
  assert.equal(await reports.close('p1', 20), true);
  assert.equal(await reports.close('p1', 30), false);
  assert.equal(await reports.close('nope', 30), false);
  assert.deepEqual((await reports.list('open')).map((r) => r.id), ['p2']);
  assert.deepEqual((await reports.list('all')).map((r) => [r.id, r.closedAt]), [['p1', 20], ['p2', null]]);
  await assert.rejects(async () => await reports.add({ ...first, id: 'p3', roomKey: 999 }), /FOREIGN KEY/);
});

test('a listed report carries the room’s id now; the id it was reported under still finds the room after a rotation', async () => {
  const db = openDatabase(null);
  const key = await insertTestRoom(db, 'old-id');
  const reports = new ReportStore(db);
  await reports.add({ id: 'p1', roomKey: key, roomId: 'old-id', createdAt: 1, reason: 'spam', text: '', participantCount: 0, displayNames: [], closedAt: null });
  db.prepare('UPDATE rooms SET id = ? WHERE key = ?').run('new-id', key);
  assert.deepEqual((await reports.list('all')).map((r) => [r.roomId, r.currentRoomId]), [['old-id', 'new-id']]);
  assert.equal(await reports.roomKeyReportedAs('old-id'), key);
  assert.equal(await reports.roomKeyReportedAs('never-reported'), null);
});
