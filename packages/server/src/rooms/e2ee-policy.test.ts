import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { E2eeIdentity, ServerMessage } from '@treff/protocol';
import { Sfu, releaseNativeResources } from '@treff/sfu';
import { pino } from 'pino';
import type { StoredRoomSettings } from '../storage/records.js';
import { openStorage } from '../storage/storage.js';
import { insertRandomRoom } from '../storage/test-rooms.js';
import { participantsWithoutE2ee } from './e2ee-policy.js';
import { HOST_API, updateSettings } from './moderation.js';
import type { MessageSink, Participant } from './participant.js';
import type { JoinTicket, Room } from './room.js';
import { RoomError } from './room-error.js';
import { RoomRegistry } from './room-registry.js';
import { sendChat } from './together.js';

const sfu = await Sfu.create({ port: 0, bindAddress: '127.0.0.1' });
const storage = await openStorage(null);
const registry = new RoomRegistry(storage, sfu, 100, { audioTopN: 3, lastN: 5 }, pino({ level: 'silent' }));
after(() => {
  registry.close();
  sfu.close();
  storage.close();
  releaseNativeResources();
});

class Inbox implements MessageSink {
  readonly messages: ServerMessage[] = [];
  disconnectedFor: string | null = null;
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  disconnect(reason: string): void {
    this.disconnectedFor = reason;
  }
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
}

const identityKey = (n: number): E2eeIdentity => ({ publicKey: String(n).padStart(87, 'A'), keyTag: n });

function ticket(name: string, e2ee: E2eeIdentity | null, host = false): JoinTicket & { sink: Inbox } {
  return {
    name,
    role: host ? 'host' : 'guest',
    media: { audio: false, video: false },
    sink: new Inbox(),
    identity: { hostLink: host, groupAdmin: false, memberId: null, inviteId: null, deviceHash: null },
    origin: 'http://x',
    address: `addr-${name}`,
    e2ee,
    onAdmitted: () => {},
  };
}

const openRoom = (settings: Partial<StoredRoomSettings> = {}): Room => registry.open(insertRandomRoom(storage.rooms, settings));

function enter(room: Room, t: JoinTicket): Participant {
  const entered = room.enter(t);
  assert.ok('participant' in entered, `${t.name} went to the lobby`);
  return entered.participant;
}

const inbox = (p: Participant): Inbox => p.sink as Inbox;

test('participant info carries the announced identity, or null', () => {
  const room = openRoom();
  const alice = enter(room, ticket('alice', identityKey(1), true));
  const bob = enter(room, ticket('bob', null));
  assert.deepEqual(alice.info().e2ee, identityKey(1));
  assert.equal(bob.info().e2ee, null);
  const joined = inbox(bob).of('joined')[0]!;
  assert.deepEqual(joined.participants.map((p) => p.e2ee), [identityKey(1)]);
  assert.deepEqual(inbox(alice).of('participant-joined')[0]!.participant.e2ee, null);
  assert.equal(participantsWithoutE2ee(room), 1);
});

test('a room requiring e2ee refuses a join and a knock without it, and lets capable ones in', () => {
  const room = openRoom({ requireE2ee: true, lobby: true });
  const host = enter(room, ticket('host', identityKey(1), true));
  // Even a host's own link passes only the lock and the lobby, not this.
  assert.throws(() => room.enter(ticket('host-plain', null, true)), (err: RoomError) => err.code === 'e2ee-required' && /end-to-end/.test(err.message));
  assert.throws(() => room.enter(ticket('knocker-plain', null)), (err: RoomError) => err.code === 'e2ee-required');
  assert.equal(room.lobby.size, 0);
  assert.ok('knock' in room.enter(ticket('knocker', identityKey(2))));
  assert.equal(room.size, 1);
  assert.equal(host.role, 'host');
});

test('turning requireE2ee on is refused while someone present cannot encrypt, saying how many; knocks without it are then turned away', async () => {
  const room = openRoom({ lobby: true });
  const host = enter(room, ticket('host', identityKey(1), true));
  const plain1 = enter(room, ticket('p1', null, true));
  enter(room, ticket('p2', null, true));
  await assert.rejects(updateSettings(storage, room.record, () => room, host, { requireE2ee: true }, 100), (err: RoomError) => err.code === 'bad-request' && /^2 participants/.test(err.message));
  room.leave(plain1, 'left');
  await assert.rejects(updateSettings(storage, room.record, () => room, HOST_API, { requireE2ee: true }, 100), (err: RoomError) => /^1 participant in/.test(err.message));
  assert.equal(storage.rooms.getByKey(room.record.key)?.settings.requireE2ee, false, 'nothing was stored');

  const other = openRoom({ lobby: true });
  const h = enter(other, ticket('host', identityKey(1), true));
  const waitingPlain = ticket('waiting-plain', null);
  const waitingCapable = ticket('waiting-capable', identityKey(2));
  other.enter(waitingPlain);
  other.enter(waitingCapable);
  const settings = await updateSettings(storage, other.record, () => other, h, { requireE2ee: true }, 100);
  assert.equal(settings.requireE2ee, true);
  assert.equal(waitingPlain.sink.of('error')[0]?.code, 'e2ee-required');
  assert.equal(waitingPlain.sink.disconnectedFor, 'e2ee-required');
  assert.deepEqual(other.lobby.waiting.map((w) => w.name), ['waiting-capable']);
});

test('a join, a knock or an admitted knock announcing a keyTag or public key already present is refused', () => {
  const room = openRoom({ lobby: true });
  const host = enter(room, ticket('host', identityKey(1), true));
  const sameTag = { publicKey: identityKey(2).publicKey, keyTag: 1 };
  const sameKey = { publicKey: identityKey(1).publicKey, keyTag: 2 };
  const inUse = (err: RoomError) => err.code === 'bad-request' && err.message === 'this key is already in use in this meeting; reload the page';
  assert.throws(() => room.enter(ticket('copy-tag', sameTag, true)), inUse);
  assert.throws(() => room.enter(ticket('copy-key', sameKey, true)), inUse);
  assert.throws(() => room.enter(ticket('knock-copy', sameTag)), inUse);
  assert.equal(room.lobby.size, 0);

  // Someone with the knocker's key came in while it waited.
  const knocker = ticket('knocker', identityKey(3));
  const knock = room.enter(knocker);
  assert.ok('knock' in knock);
  enter(room, ticket('host2', identityKey(3), true));
  room.admit([knock.knock]);
  assert.equal(knocker.sink.of('error')[0]?.code, 'bad-request');
  assert.equal(knocker.sink.disconnectedFor, 'bad-request');
  assert.equal(room.size, 2);

  // Clients without e2ee share nothing, and a key frees up when its owner leaves.
  enter(room, ticket('plain1', null, true));
  enter(room, ticket('plain2', null, true));
  room.leave(host, 'left');
  assert.equal(enter(room, ticket('reloaded', identityKey(1), true)).e2ee?.keyTag, 1);
});

test('a room requiring e2ee refuses plain chat and relays sealed chat', () => {
  const room = openRoom({ requireE2ee: true });
  const a = enter(room, ticket('a', identityKey(1), true));
  const b = enter(room, ticket('b', identityKey(2)));
  const plainChat = (err: RoomError) => err.code === 'bad-request' && err.message === 'this meeting requires end-to-end encrypted chat';
  assert.throws(() => sendChat(room, a, { text: 'hello' }, undefined), plainChat);
  assert.throws(() => sendChat(room, a, { text: 'hello' }, b.id), plainChat);
  sendChat(room, a, { sealed: 'AAAA' }, undefined);
  assert.deepEqual(inbox(b).of('chat-message').map((m) => [m.sealed, m.text]), [['AAAA', undefined]]);
  assert.equal(room.chat.visibleTo(b.id).length, 1, 'the refused messages were not kept');

  const open = openRoom();
  const c = enter(open, ticket('c', identityKey(1), true));
  sendChat(open, c, { text: 'plain is fine here' }, undefined);
  assert.equal(open.chat.visibleTo(c.id).length, 1);
});
