import { test } from 'node:test';
import assert from 'node:assert/strict';
import { participantsWithoutE2ee } from './e2ee-policy.js';
import { HOST_API, updateSettings } from './moderation.js';
import type { Participant } from './participant.js';
import { RoomError } from './room-error.js';
import { sendChat } from './together.js';
import { e2eeTicket, enter, identityKey, Inbox, openRoomTestBed } from './test-room.js';

const { openRoom, storage } = await openRoomTestBed();

const inbox = (p: Participant): Inbox => p.sink as Inbox;

test('participant info carries the announced identity, or null', async () => {
  const room = await openRoom();
  const alice = enter(room, e2eeTicket('alice', identityKey(1), true));
  const bob = enter(room, e2eeTicket('bob', null));
  assert.deepEqual(alice.info().e2ee, identityKey(1));
  assert.equal(bob.info().e2ee, null);
  const joined = inbox(bob).of('joined')[0]!;
  assert.deepEqual(joined.participants.map((p) => p.e2ee), [identityKey(1)]);
  assert.deepEqual(inbox(alice).of('participant-joined')[0]!.participant.e2ee, null);
  assert.equal(participantsWithoutE2ee(room), 1);
});

test('a room requiring e2ee refuses a join and a knock without it, and lets capable ones in', async () => {
  const room = await openRoom({ requireE2ee: true, lobby: true });
  const host = enter(room, e2eeTicket('host', identityKey(1), true));
  // Even a host's own link passes only the lock and the lobby, not this.
  assert.throws(() => room.enter(e2eeTicket('host-plain', null, true)), (err: RoomError) => err.code === 'e2ee-required' && /end-to-end/.test(err.message));
  assert.throws(() => room.enter(e2eeTicket('knocker-plain', null)), (err: RoomError) => err.code === 'e2ee-required');
  assert.equal(room.lobby.size, 0);
  assert.ok('knock' in room.enter(e2eeTicket('knocker', identityKey(2))));
  assert.equal(room.size, 1);
  assert.equal(host.role, 'host');
});

test('turning requireE2ee on is refused while someone present cannot encrypt, saying how many; knocks without it are then turned away', async () => {
  const room = await openRoom({ lobby: true });
  const host = enter(room, e2eeTicket('host', identityKey(1), true));
  const plain1 = enter(room, e2eeTicket('p1', null, true));
  enter(room, e2eeTicket('p2', null, true));
  await assert.rejects(updateSettings(storage, room.record, () => room, host, { requireE2ee: true }, 100), (err: RoomError) => err.code === 'bad-request' && /^2 participants/.test(err.message));
  room.leave(plain1, 'left');
  await assert.rejects(updateSettings(storage, room.record, () => room, HOST_API, { requireE2ee: true }, 100), (err: RoomError) => /^1 participant in/.test(err.message));
  assert.equal((await storage.rooms.getByKey(room.record.key))?.settings.requireE2ee, false, 'nothing was stored');

  const other = await openRoom({ lobby: true });
  const h = enter(other, e2eeTicket('host', identityKey(1), true));
  const waitingPlain = e2eeTicket('waiting-plain', null);
  const waitingCapable = e2eeTicket('waiting-capable', identityKey(2));
  other.enter(waitingPlain);
  other.enter(waitingCapable);
  const settings = await updateSettings(storage, other.record, () => other, h, { requireE2ee: true }, 100);
  assert.equal(settings.requireE2ee, true);
  assert.equal(waitingPlain.sink.of('error')[0]?.code, 'e2ee-required');
  assert.equal(waitingPlain.sink.disconnectedFor, 'e2ee-required');
  assert.deepEqual(other.lobby.waiting.map((w) => w.name), ['waiting-capable']);
});

test('a join, a knock or an admitted knock announcing a keyTag or public key already present is refused', async () => {
  const room = await openRoom({ lobby: true });
  const host = enter(room, e2eeTicket('host', identityKey(1), true));
  const sameTag = { publicKey: identityKey(2).publicKey, keyTag: 1 };
  const sameKey = { publicKey: identityKey(1).publicKey, keyTag: 2 };
  const inUse = (err: RoomError) => err.code === 'bad-request' && err.message === 'this key is already in use in this meeting; reload the page';
  assert.throws(() => room.enter(e2eeTicket('copy-tag', sameTag, true)), inUse);
  assert.throws(() => room.enter(e2eeTicket('copy-key', sameKey, true)), inUse);
  assert.throws(() => room.enter(e2eeTicket('knock-copy', sameTag)), inUse);
  assert.equal(room.lobby.size, 0);

  // Someone with the knocker's key came in while it waited.
  const knocker = e2eeTicket('knocker', identityKey(3));
  const knock = room.enter(knocker);
  assert.ok('knock' in knock);
  enter(room, e2eeTicket('host2', identityKey(3), true));
  await room.admit([knock.knock]);
  assert.equal(knocker.sink.of('error')[0]?.code, 'bad-request');
  assert.equal(knocker.sink.disconnectedFor, 'bad-request');
  assert.equal(room.size, 2);

  // Clients without e2ee share nothing, and a key frees up when its owner leaves.
  enter(room, e2eeTicket('plain1', null, true));
  enter(room, e2eeTicket('plain2', null, true));
  room.leave(host, 'left');
  assert.equal(enter(room, e2eeTicket('reloaded', identityKey(1), true)).e2ee?.keyTag, 1);
});

test('a room requiring e2ee refuses plain chat and relays sealed chat', async () => {
  const room = await openRoom({ requireE2ee: true });
  const a = enter(room, e2eeTicket('a', identityKey(1), true));
  const b = enter(room, e2eeTicket('b', identityKey(2)));
  const plainChat = (err: RoomError) => err.code === 'bad-request' && err.message === 'this meeting requires end-to-end encrypted chat';
  assert.throws(() => sendChat(room, a, { text: 'hello' }, undefined), plainChat);
  assert.throws(() => sendChat(room, a, { text: 'hello' }, b.id), plainChat);
  sendChat(room, a, { sealed: 'AAAA' }, undefined);
  assert.deepEqual(inbox(b).of('chat-message').map((m) => [m.sealed, m.text]), [['AAAA', undefined]]);
  assert.equal(room.chat.visibleTo(b.id).length, 1, 'the refused messages were not kept');

  const open = await openRoom();
  const c = enter(open, e2eeTicket('c', identityKey(1), true));
  sendChat(open, c, { text: 'plain is fine here' }, undefined);
  assert.equal(open.chat.visibleTo(c.id).length, 1);
});
