import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.js';
import { SqliteGroupStore as GroupStore } from './group-store.js';

const group = { id: 'g1', name: 'Choir', adminSecretHash: 'admin', memberInviteHash: 'invite1', createdAt: 1 };
const member = (id: string, role: 'admin' | 'member' = 'member') => ({ id, groupId: 'g1', name: `Name ${id}`, role, createdAt: 2, revokedAt: null });

test('groups keep their hashes; rotating the member invite replaces its hash', async () => {
  const groups = new GroupStore(openDatabase(null));
  await groups.create(group);
  assert.deepEqual(await groups.get('g1'), group);
  assert.equal(await groups.get('nope'), null);
  await groups.rotateMemberInvite('g1', 'invite2');
  assert.equal((await groups.get('g1'))?.memberInviteHash, 'invite2');
  await assert.rejects(async () => await groups.create(group), /UNIQUE/);
});

test('members are listed until revoked; revoked members are still found by id, marked', async () => {
  const groups = new GroupStore(openDatabase(null));
  await groups.create(group);
  await groups.create({ ...group, id: 'g2' });
  await groups.addMember(member('m1', 'admin'));
  await groups.addMember(member('m2'));
  await assert.rejects(async () => await groups.addMember({ ...member('m3'), groupId: 'nope' }), /FOREIGN KEY/);
  assert.deepEqual((await groups.listMembers('g1')).map((m) => [m.id, m.role]), [['m1', 'admin'], ['m2', 'member']]);
  assert.equal(await groups.revokeMember('g2', 'm2', 5), false, 'not a member of that group');
  assert.equal(await groups.revokeMember('g1', 'm2', 5), true);
  assert.equal(await groups.revokeMember('g1', 'm2', 6), false);
  assert.deepEqual((await groups.listMembers('g1')).map((m) => m.id), ['m1']);
  assert.equal((await groups.getMember('m2'))?.revokedAt, 5);
  assert.equal(await groups.getMember('nope'), null);
});
