import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { RoomRegistry } from '../rooms/room-registry.js';
import { enter, Inbox, openRoomTestBed, ticket } from '../rooms/test-room.js';
import { connectRedis } from '../storage/redis/redis-storage.js';
import { startTestRedis, type TestRedis } from '../storage/redis/test-redis.js';
import { insertRandomRoom } from '../storage/test-rooms.js';
import { NodeLink } from './node-link.js';

const log = pino({ level: 'silent' });
const bed = await openRoomTestBed();
let redis: TestRedis;
const links: NodeLink[] = [];
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  for (const link of links) await link.close();
  await redis.stop();
});

/** A node: its own registry of meetings (on the test bed's SFU and storage) linked through the test Redis. */
async function node(url: string, prefix: string): Promise<{ link: NodeLink; registry: RoomRegistry }> {
  const registry = new RoomRegistry(bed.storage, bed.sfu, 100, { audioTopN: 3, lastN: 5 }, log);
  const link = new NodeLink(await connectRedis(redis.url), await connectRedis(redis.url), registry, bed.storage.rooms, prefix, log);
  links.push(link);
  await link.connect();
  await link.start(url);
  return { link, registry };
}

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; !(await check()); await new Promise((r) => setTimeout(r, 50))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

test('one node at a time holds a meeting; the others route to it; a clean stop gives it back at once', async () => {
  const a = await node('http://a.test', 'one:');
  const b = await node('http://b.test', 'one:');
  const record = await insertRandomRoom(bed.storage.rooms);
  assert.equal(a.link.secret, b.link.secret, 'both nodes carry the one cluster secret');
  assert.equal(a.link.trusts(b.link.secret), true);
  assert.equal(a.link.trusts('guessed'), false);
  assert.equal(a.link.inTouch(), true, 'its first report reached Redis');

  assert.ok(await a.registry.mayOpen(record), 'node A claims the meeting');
  assert.equal(await b.registry.mayOpen(record), null, 'node B may not start it too');
  a.registry.open(record);
  assert.equal(await b.link.route(record.id), 'http://a.test', 'B sends its requests to A, by the lease before any report');
  assert.equal(await a.link.route(record.id), null, 'A serves them itself');
  b.link.changed();
  await eventually(() => b.registry.liveSize(record.key) === 0 && b.link.sizeElsewhere(record.key) === 0, 'B to read A\'s report');

  a.registry.getByKey(record.key)!.close();
  await a.link.close();
  assert.ok(await b.registry.mayOpen(record), 'a stopped node\'s meeting can start elsewhere at once');
});

test('a node taken for gone loses its meeting to the node that took it over, and its participants reconnect there', async () => {
  const a = await node('http://a.test', 'two:');
  const b = await node('http://b.test', 'two:');
  const record = await insertRandomRoom(bed.storage.rooms);
  assert.ok(await a.registry.mayOpen(record));
  const room = a.registry.open(record);
  const inbox = new Inbox();
  enter(room, ticket('Ada', { sink: inbox }));
  // As if node A's reports had stopped reaching Redis for longer than a node is kept.
  const admin = await connectRedis(redis.url);
  await admin.del(`two:node:${a.link.id}`);
  assert.ok(await b.registry.mayOpen(record), 'node B takes the meeting over');
  a.link.changed();
  await eventually(() => room.isClosed, 'node A to end its copy of the meeting');
  assert.equal(inbox.disconnectedFor, 'the meeting moved to another server');
  assert.equal(await a.link.route(record.id), 'http://b.test', 'A now sends the room\'s requests to B');
  admin.disconnect();
});

test('a Redis that lost its data gets the cluster secret back from the nodes still running', async () => {
  const a = await node('http://a.test', 'three:');
  const admin = await connectRedis(redis.url);
  const secret = a.link.secret;
  await admin.del('three:cluster-secret');
  a.link.changed();
  await eventually(async () => (await admin.get('three:cluster-secret')) === secret, 'node A to put its secret back');
  const b = await node('http://b.test', 'three:');
  assert.equal(b.link.secret, secret, 'a node started after the loss trusts the running ones');
  admin.disconnect();
});

test('a node starts no meeting before the others can see it', async () => {
  const registry = new RoomRegistry(bed.storage, bed.sfu, 100, { audioTopN: 3, lastN: 5 }, log);
  const early = new NodeLink(await connectRedis(redis.url), await connectRedis(redis.url), registry, bed.storage.rooms, 'four:', log);
  links.push(early);
  await early.connect();
  const record = await insertRandomRoom(bed.storage.rooms);
  assert.equal(await registry.mayOpen(record), null, 'connected, but no report yet: its lease would look like a dead node\'s');
  await early.start('http://early.test');
  assert.ok(await registry.mayOpen(record));
});
