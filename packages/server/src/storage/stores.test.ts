import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { initialRoomSettings } from './room-settings.js';
import { openRedisStorage } from './redis/redis-storage.js';
import { freePort, startTestRedis, type TestRedis } from './redis/test-redis.js';
import { openStorage } from './storage.js';
import { storeContract } from './store-contract.js';

let server: TestRedis | undefined;
let prefixes = 0;
/** Every test keeps its keys apart, so all share one redis-server. */
const freshPrefix = (): string => `test-${++prefixes}:`;
const redisUrl = (): string => {
  if (server === undefined) throw new Error('redis-server is not running');
  return server.url;
};

before(async () => {
  server = await startTestRedis();
});
after(async () => {
  await server?.stop();
});

storeContract('SQLite', () => openStorage(null));
storeContract('Redis', () => openRedisStorage(redisUrl(), {}, { keyPrefix: freshPrefix() }));

const room = (id: string) => ({ id, title: id, hostSecretHash: 'h', createdAt: 1, groupId: null, settings: initialRoomSettings(100, null) });
const member = { id: 'm1', groupId: 'g', name: 'Ada', role: 'member' as const, createdAt: 2, revokedAt: null };
const group = { id: 'g', name: 'G', adminSecretHash: 'a', memberInviteHash: 'i', createdAt: 1 };

describe('Redis storage shared by several servers', () => {
  test('servers on one prefix see the same rooms, accept each other’s credentials and never both win an id', async () => {
    const prefix = freshPrefix();
    const [a, b] = await Promise.all([openRedisStorage(redisUrl(), {}, { keyPrefix: prefix }), openRedisStorage(redisUrl(), {}, { keyPrefix: prefix })]);
    try {
      const inserted = await a.rooms.insert(room('r1'));
      assert.deepEqual(await b.rooms.get('r1'), inserted);
      await a.groups.create(group);
      await b.groups.addMember(member);
      assert.deepEqual(await b.credentials.verify(await a.credentials.issue(member)), member, 'both started with one signing key');
      const results = await Promise.allSettled([a.rooms.insert(room('r2')), b.rooms.insert(room('r2'))]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('the signing key outlives the servers', async () => {
    const prefix = freshPrefix();
    const first = await openRedisStorage(redisUrl(), {}, { keyPrefix: prefix });
    await first.groups.create(group);
    await first.groups.addMember(member);
    const token = await first.credentials.issue(member);
    await first.close();
    const again = await openRedisStorage(redisUrl(), {}, { keyPrefix: prefix });
    try {
      assert.deepEqual(await again.credentials.verify(token), member);
    } finally {
      await again.close();
    }
  });

  test('key prefixes keep clusters apart, signing keys included, and nothing is written outside the prefix', async () => {
    const [p1, p2] = [freshPrefix(), freshPrefix()];
    const a = await openRedisStorage(redisUrl(), {}, { keyPrefix: p1 });
    const b = await openRedisStorage(redisUrl(), {}, { keyPrefix: p2 });
    const raw = new Redis(redisUrl());
    try {
      const { key } = await a.rooms.insert(room('r1'));
      assert.equal(await b.rooms.get('r1'), null);
      for (const storage of [a, b]) {
        await storage.groups.create(group);
        await storage.groups.addMember(member);
      }
      assert.equal(await b.credentials.verify(await a.credentials.issue(member)), null);
      await a.invites.create(key, 'x', 't', 1);
      await a.bans.add({ roomKey: key, deviceHash: 'd', inviteId: null, memberId: null, createdAt: 1 });
      await a.reports.add({ id: 'p', roomKey: key, roomId: 'r1', createdAt: 1, reason: 'other', text: '', participantCount: 1, displayNames: [], closedAt: null });
      const keys = await raw.keys(`${p1}*`);
      assert.ok(keys.length > 0);
      assert.deepEqual((await raw.keys('*')).filter((k) => !k.startsWith('test-')), []);
    } finally {
      raw.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });

  test('calls about records that do not exist write nothing', async () => {
    const prefix = freshPrefix();
    const storage = await openRedisStorage(redisUrl(), {}, { keyPrefix: prefix });
    const raw = new Redis(redisUrl());
    try {
      const before = (await raw.keys(`${prefix}*`)).sort();
      await storage.rooms.touch(7, 1);
      await storage.rooms.block(7, 1);
      await assert.rejects(storage.rooms.updateSettings(7, { lobby: true }));
      await assert.rejects(storage.rooms.rotateId(7, 'x'));
      await storage.groups.rotateMemberInvite('nope', 'x');
      await storage.groups.revokeMember('nope', 'nope', 1);
      await storage.invites.revoke(7, 'nope', 1);
      await storage.reports.close('nope', 1);
      await storage.bans.clear(7);
      assert.deepEqual((await raw.keys(`${prefix}*`)).sort(), before);
    } finally {
      raw.disconnect();
      await storage.close();
    }
  });

  test('opening fails fast, with the address but not the password, when Redis cannot be reached', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(openRedisStorage(`redis://:s3cret@127.0.0.1:${port}`), (err: Error) => {
      assert.match(err.message, new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
      assert.doesNotMatch(err.message, /s3cret/);
      return true;
    });
    assert.ok(Date.now() - started < 5000);
  });
});
