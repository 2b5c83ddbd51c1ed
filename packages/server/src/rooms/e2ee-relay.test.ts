import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chargeKeyMessage, relayKeyRequest, relayKeys } from './e2ee-relay.js';
import { KEY_ASK_INTERVAL_MS } from './key-exchange-budget.js';
import type { Participant } from './participant.js';
import { RoomError } from './room-error.js';
import { sendChat } from './together.js';
import { e2eeTicket, enter, identityKey, Inbox, openRoomTestBed } from './test-room.js';

const { openRoom } = await openRoomTestBed();

const inbox = (p: Participant): Inbox => p.sink as Inbox;

test('keys reach only their recipients, from the sender as the server knows it; absent, self and incapable recipients are skipped', async () => {
  const room = await openRoom();
  const [a, b, c] = ['a', 'b', 'c'].map((n, i) => enter(room, e2eeTicket(n, identityKey(i + 1), i === 0))) as [Participant, Participant, Participant];
  const plain = enter(room, e2eeTicket('plain', null));
  relayKeys(room, a, [
    { to: b.id, sealed: 'forB' },
    { to: 'gone-participant', sealed: 'x' },
    { to: a.id, sealed: 'self' },
    { to: plain.id, sealed: 'plain' },
  ]);
  assert.deepEqual(inbox(b).of('e2ee-key'), [{ type: 'e2ee-key', from: a.id, sealed: 'forB' }]);
  assert.deepEqual([inbox(a).of('e2ee-key'), inbox(c).of('e2ee-key'), inbox(plain).of('e2ee-key')], [[], [], []]);
});

test('key requests go once to each named present participant with e2ee', async () => {
  const room = await openRoom();
  const a = enter(room, e2eeTicket('a', identityKey(1), true));
  const b = enter(room, e2eeTicket('b', identityKey(2)));
  const plain = enter(room, e2eeTicket('plain', null));
  relayKeyRequest(room, a, [b.id, b.id, a.id, plain.id, 'nobody']);
  assert.deepEqual(inbox(b).of('e2ee-key-request'), [{ type: 'e2ee-key-request', from: a.id }]);
  assert.deepEqual([inbox(a).of('e2ee-key-request'), inbox(plain).of('e2ee-key-request')], [[], []]);
});

test('a sender without e2ee, or no longer in the room, is refused', async () => {
  const room = await openRoom();
  const a = enter(room, e2eeTicket('a', identityKey(1), true));
  const plain = enter(room, e2eeTicket('plain', null));
  const b = enter(room, e2eeTicket('b', identityKey(2)));
  assert.throws(() => relayKeys(room, plain, [{ to: a.id, sealed: 'x' }]), (err: RoomError) => err.code === 'bad-request');
  assert.throws(() => relayKeyRequest(room, plain, [a.id]), (err: RoomError) => err.code === 'bad-request');
  room.leave(b, 'left');
  assert.throws(() => relayKeys(room, b, [{ to: a.id, sealed: 'x' }]), (err: RoomError) => err.code === 'wrong-state');
  assert.equal(inbox(a).of('e2ee-key').length, 0);
});

test('sealed chat is relayed and kept as it came, never as text', async () => {
  const room = await openRoom();
  const a = enter(room, e2eeTicket('a', identityKey(1), true));
  const b = enter(room, e2eeTicket('b', identityKey(2)));
  const c = enter(room, e2eeTicket('c', identityKey(3)));
  sendChat(room, a, { sealed: 'AAAAsealed' }, undefined);
  sendChat(room, a, { sealed: 'BBBBprivate' }, b.id);
  const seen = inbox(c).of('chat-message');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.sealed, 'AAAAsealed');
  assert.equal('text' in seen[0]!, false);
  assert.deepEqual(inbox(b).of('chat-message').map((m) => m.sealed), ['AAAAsealed', 'BBBBprivate']);
  assert.deepEqual(room.chat.visibleTo(c.id).map((m) => m.sealed), ['AAAAsealed']);
});

test('a requester asks each participant at most once per interval; the rest are dropped silently', async () => {
  const room = await openRoom();
  const a = enter(room, e2eeTicket('a', identityKey(1), true));
  const b = enter(room, e2eeTicket('b', identityKey(2)));
  const c = enter(room, e2eeTicket('c', identityKey(3)));
  for (let i = 0; i < 100; i++) relayKeyRequest(room, a, [b.id]);
  relayKeyRequest(room, c, [b.id]);
  assert.deepEqual(inbox(b).of('e2ee-key-request').map((m) => m.from), [a.id, c.id]);
  assert.equal(inbox(a).of('error').length, 0);
  assert.ok(KEY_ASK_INTERVAL_MS <= 10_000, 'a resumed client gets its keys again within seconds');
});

test('key messages are charged by keys, with a budget that grows with the room', async () => {
  const small = await openRoom({ maxParticipants: 10 });
  const a = enter(small, e2eeTicket('a', identityKey(1), true));
  const b = enter(small, e2eeTicket('b', identityKey(2)));
  const keys = (to: string[]) => ({ type: 'e2ee-keys', keys: to.map((id) => ({ to: id, sealed: 'AAAA' })) }) as const;
  let sent = 0;
  while (chargeKeyMessage(small, a, keys([b.id, 'x1', 'x2', 'x3', 'x4']))) sent++;
  assert.ok(sent >= 50 && sent <= 52, `${sent} messages of 5 keys: a burst of 250 keys (and a moment's refill) in a room of 10`);

  const big = await openRoom({ maxParticipants: 100 });
  const people = Array.from({ length: 100 }, (_, i) => enter(big, e2eeTicket(`p${i}`, identityKey(i + 1), i === 0)));
  const [stayer, ...leaving] = people as [Participant, ...Participant[]];
  // Everyone else leaves at once and the stayer rotates once per departure, for everyone still here.
  for (const gone of leaving) {
    big.leave(gone, 'left');
    const remaining = leaving.filter((p) => big.participants.has(p.id)).map((p) => p.id);
    if (remaining.length > 0) assert.equal(chargeKeyMessage(big, stayer, keys(remaining)), true, `${remaining.length} remaining`);
  }
});

test('answers to relayed key requests are free, so being asked cannot exhaust an honest budget', async () => {
  const room = await openRoom({ maxParticipants: 10 });
  const asker = enter(room, e2eeTicket('asker', identityKey(1), true));
  const honest = enter(room, e2eeTicket('honest', identityKey(2)));
  const other = enter(room, e2eeTicket('other', identityKey(3)));
  const keys = (to: string[]) => ({ type: 'e2ee-keys', keys: to.map((id) => ({ to: id, sealed: 'AAAA' })) }) as const;
  while (chargeKeyMessage(room, honest, keys([other.id]))) {
    // spends the whole burst on rotations
  }
  relayKeyRequest(room, asker, [honest.id]);
  assert.equal(inbox(honest).of('e2ee-key-request').length, 1);
  assert.equal(chargeKeyMessage(room, honest, keys([asker.id])), true, 'the answer');
  assert.equal(chargeKeyMessage(room, honest, keys([asker.id])), false, 'only one answer per ask is free');
});
