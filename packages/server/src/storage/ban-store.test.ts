import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SqliteBanStore as BanStore } from './ban-store.js';
import { openDatabase } from './database.js';
import { insertTestRoom } from './test-rooms.js';

const nobody = { deviceHash: null, inviteId: null, memberId: null };

test('a ban matches whatever identified the banned participant, in its room only', async () => {
  const db = openDatabase(null);
  const room = await insertTestRoom(db, 'r1');
  const other = await insertTestRoom(db, 'r2');
  const bans = new BanStore(db);
  await bans.add({ roomKey: room, deviceHash: 'dev1', inviteId: 'inv1', memberId: null, createdAt: 1 });
  await bans.add({ roomKey: room, deviceHash: null, inviteId: null, memberId: 'mem1', createdAt: 2 });
  assert.equal(await bans.isBanned(room, { ...nobody, deviceHash: 'dev1' }), true, 'same device');
  assert.equal(await bans.isBanned(room, { ...nobody, inviteId: 'inv1' }), true, 'same invite from another device');
  assert.equal(await bans.isBanned(room, { ...nobody, memberId: 'mem1', deviceHash: 'dev9' }), true, 'same member on a new device');
  assert.equal(await bans.isBanned(room, { deviceHash: 'dev2', inviteId: 'inv2', memberId: 'mem2' }), false);
  assert.equal(await bans.isBanned(room, nobody), false, 'a participant without ids is not caught by a ban lacking one');
  assert.equal(await bans.isBanned(other, { ...nobody, deviceHash: 'dev1' }), false, 'bans are per room');
});

test('clearing lifts the room’s bans and says how many; a ban binding nothing is refused', async () => {
  const db = openDatabase(null);
  const room = await insertTestRoom(db, 'r1');
  const other = await insertTestRoom(db, 'r2');
  const bans = new BanStore(db);
  await bans.add({ roomKey: room, deviceHash: 'd1', inviteId: null, memberId: null, createdAt: 1 });
  await bans.add({ roomKey: room, deviceHash: 'd2', inviteId: null, memberId: null, createdAt: 1 });
  await bans.add({ roomKey: other, deviceHash: 'd1', inviteId: null, memberId: null, createdAt: 1 });
  assert.equal(await bans.clear(room), 2);
  assert.equal(await bans.isBanned(room, { ...nobody, deviceHash: 'd1' }), false);
  assert.equal(await bans.isBanned(other, { ...nobody, deviceHash: 'd1' }), true);
  assert.equal(await bans.clear(room), 0);
  assert.equal(await bans.add({ roomKey: room, ...nobody, createdAt: 1 }), false, 'a ban binding nobody is not stored');
  await assert.rejects(async () => await bans.add({ roomKey: 999, deviceHash: 'd', inviteId: null, memberId: null, createdAt: 1 }), /FOREIGN KEY/);
});
