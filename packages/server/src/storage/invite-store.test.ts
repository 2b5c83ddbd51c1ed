import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.js';
import { SqliteInviteStore as InviteStore } from './invite-store.js';
import { insertTestRoom } from './test-rooms.js';

test('invites are found by token hash until revoked, and only in their room', async () => {
  const db = openDatabase(null);
  const room = await insertTestRoom(db, 'r1');
  const other = await insertTestRoom(db, 'r2');
  const invites = new InviteStore(db);
  const ada = await invites.create(room, 'Ada', 'hashA', 10);
  const bob = await invites.create(room, '', 'hashB', 11);
  assert.deepEqual(ada, { id: ada.id, roomKey: room, label: 'Ada', tokenHash: 'hashA', createdAt: 10, revokedAt: null });
  assert.notEqual(ada.id, bob.id);
  assert.equal((await invites.findActive(room, 'hashA'))?.id, ada.id);
  assert.equal(await invites.findActive(other, 'hashA'), null);
  assert.equal(await invites.findActive(room, 'nope'), null);

  assert.equal(await invites.revoke(other, ada.id, 20), false, 'not this room’s invite');
  assert.equal(await invites.revoke(room, ada.id, 20), true);
  assert.equal(await invites.revoke(room, ada.id, 30), false, 'already revoked');
  assert.equal(await invites.findActive(room, 'hashA'), null);
  assert.equal((await invites.findActive(room, 'hashB'))?.id, bob.id);
  assert.deepEqual((await invites.list(room)).map((i) => [i.label, i.revokedAt]), [['Ada', 20], ['', null]]);
  assert.deepEqual(await invites.list(other), []);
});
