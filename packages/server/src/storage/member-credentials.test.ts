import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openDatabase } from './database.js';
import { SqliteGroupStore as GroupStore } from './group-store.js';
import { loadSigningKey, MemberCredentials } from './member-credentials.js';

async function setup(options: { clock?: () => number; lifetimeSeconds?: number } = {}) {
  const db = openDatabase(null);
  const groups = new GroupStore(db);
  await groups.create({ id: 'g1', name: 'Choir', adminSecretHash: 'a', memberInviteHash: 'i', createdAt: 1 });
  await groups.create({ id: 'g2', name: 'Band', adminSecretHash: 'a', memberInviteHash: 'i', createdAt: 1 });
  const member = { id: 'm1', groupId: 'g1', name: 'Ada', role: 'member' as const, createdAt: 1, revokedAt: null };
  await groups.addMember(member);
  const credentials = new MemberCredentials(loadSigningKey(db, 1), groups, options);
  return { db, groups, member, credentials };
}

test('an issued credential verifies to its member, and stops working once the member is revoked', async () => {
  const { groups, member, credentials } = await setup();
  const token = await credentials.issue(member);
  assert.deepEqual(await credentials.verify(token), member);
  await groups.revokeMember('g1', 'm1', 5);
  assert.equal(await credentials.verify(token), null);
});

test('malformed, tampered, foreign-key and cross-group tokens are refused', async () => {
  const { groups, member, credentials } = await setup();
  const token = await credentials.issue(member);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const forged = (claims: object) => `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  const other = new MemberCredentials(randomBytes(32), groups);
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
  for (const bad of ['', 'x', 'a.b.c', `${header}.${payload}`, `${token}x`, unsigned, forged({ sub: 'm1', gid: 'g2' }), await other.issue(member), 'x'.repeat(5000)]) {
    assert.equal(await credentials.verify(bad), null, bad.slice(0, 40));
  }
  // A correctly signed token naming the member under another group (as if ids were swapped) must fail too.
  await groups.addMember({ ...member, id: 'm2', groupId: 'g2' });
  const m2 = await credentials.issue({ ...member, id: 'm2', groupId: 'g1' });
  assert.equal(await credentials.verify(m2), null);
  const unknown = await credentials.issue({ ...member, id: 'ghost' });
  assert.equal(await credentials.verify(unknown), null);
});

test('credentials expire after their lifetime', async () => {
  let now = 1_000_000_000_000;
  const { member, credentials } = await setup({ clock: () => now, lifetimeSeconds: 60 });
  const token = await credentials.issue(member);
  now += 59_000;
  assert.ok(await credentials.verify(token));
  now += 2_000;
  assert.equal(await credentials.verify(token), null);
});

test('the signing key is made once and kept', async () => {
  const db = openDatabase(null);
  const first = loadSigningKey(db, 1);
  assert.equal(first.length, 32);
  assert.deepEqual(loadSigningKey(db, 2), first);
});
