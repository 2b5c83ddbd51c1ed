import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerMessage } from '@treff/protocol';
import { Sfu, releaseNativeResources } from '@treff/sfu';
import { pino } from 'pino';
import { hashSecret } from '../ids.js';
import type { StoredRoomSettings } from '../storage/records.js';
import { openStorage } from '../storage/storage.js';
import { insertRandomRoom } from '../storage/test-rooms.js';
import { admitFromLobby, HOST_API, muteParticipants, removeParticipant, reportRoom, requestUnmute, setRole, updateSettings } from './moderation.js';
import type { Identity, MessageSink, Participant } from './participant.js';
import type { JoinTicket, Room } from './room.js';
import { RoomError } from './room-error.js';
import { RoomRegistry } from './room-registry.js';

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
}

const identity = (device: string | null, more: Partial<Identity> = {}): Identity => ({
  hostLink: false,
  groupAdmin: false,
  memberId: null,
  inviteId: null,
  deviceHash: device === null ? null : hashSecret(device),
  ...more,
});

function ticket(name: string, who: Identity, role: 'host' | 'guest' = 'guest', sink = new Inbox()): JoinTicket & { sink: Inbox } {
  return { name, role, media: { audio: true, video: true }, sink, identity: who, origin: 'http://x', address: `addr-${name}`, e2ee: null, onAdmitted: () => {} };
}

function openRoom(settings: Partial<StoredRoomSettings> = {}, groupId: string | null = null): Room {
  return registry.open(insertRandomRoom(storage.rooms, settings, groupId));
}

function enterAsParticipant(room: Room, t: JoinTicket): Participant {
  const entered = room.enter(t);
  assert.ok('participant' in entered, `${t.name} went to the lobby`);
  return entered.participant;
}

const host = (room: Room) => enterAsParticipant(room, ticket('Host', identity('host-device', { hostLink: true }), 'host'));
const names = (room: Room) => [...room.participants.values()].map((p) => p.name);
const errorCodes = (inbox: Inbox) => inbox.messages.flatMap((m) => (m.type === 'error' ? [m.code] : []));

test('a ban turns away the banned device waiting in the lobby at once', () => {
  const room = openRoom({ lobby: true });
  const h = host(room);
  const first = ticket('Guest', identity('evil-device'));
  room.enter(first);
  admitFromLobby(room, h, 'all');
  const again = ticket('Guest again', identity('evil-device'));
  const other = ticket('Other', identity('good-device'));
  room.enter(again);
  room.enter(other);
  removeParticipant(room, h, [...room.participants.values()].find((p) => p.name === 'Guest')!.id, true);
  assert.deepEqual(room.lobby.waiting.map((w) => w.name), ['Other']);
  assert.ok(again.sink.messages.some((m) => m.type === 'ended' && m.reason === 'banned'));
  assert.equal(again.sink.disconnectedFor, 'banned');
  room.end('meeting-ended', 'done');
});

test('admit re-checks each knock: banned, revoked invite and revoked membership are refused', () => {
  const invite = (room: Room) => storage.invites.create(room.record.key, 'x', hashSecret(`inv-${Math.random()}`), 0);
  const room = openRoom({ lobby: true, joinMode: 'invite' });
  const h = host(room);
  const kept = invite(room);
  const revoked = invite(room);
  const banned = ticket('Banned', identity('banned-device', { inviteId: kept.id }));
  const uninvited = ticket('Revoked', identity('dev-2', { inviteId: revoked.id }));
  const welcome = ticket('Welcome', identity('dev-3', { inviteId: kept.id }));
  for (const t of [banned, uninvited, welcome]) room.enter(t);
  // A ban stored by some other path than removing them here (e.g. from an earlier meeting of the room).
  storage.bans.add({ roomKey: room.record.key, deviceHash: hashSecret('banned-device'), inviteId: null, memberId: null, createdAt: 0 });
  storage.invites.revoke(room.record.key, revoked.id, 1);
  admitFromLobby(room, h, 'all');
  assert.deepEqual(names(room), ['Host', 'Welcome']);
  assert.deepEqual(errorCodes(banned.sink), ['banned']);
  assert.deepEqual(errorCodes(uninvited.sink), ['not-invited']);
  assert.equal(banned.sink.disconnectedFor, 'banned');
  room.end('meeting-ended', 'done');
});

test('admit refuses a knock whose group membership was revoked while it waited', () => {
  const groupId = `g${Math.random().toString(36).slice(2)}`;
  storage.groups.create({ id: groupId, name: 'G', adminSecretHash: 'a', memberInviteHash: 'b', createdAt: 0 });
  const room = openRoom({ lobby: true }, groupId);
  const h = host(room);
  storage.groups.addMember({ id: `m-${groupId}`, groupId, name: 'M', role: 'member', createdAt: 0, revokedAt: null });
  const member = ticket('Member', identity('dev-m', { memberId: `m-${groupId}` }));
  room.enter(member);
  storage.groups.revokeMember(groupId, `m-${groupId}`, 1);
  admitFromLobby(room, h, 'all');
  assert.deepEqual(names(room), ['Host']);
  assert.deepEqual(errorCodes(member.sink), ['members-only']);
  room.end('meeting-ended', 'done');
});

test('a ban of someone who sent no device id still removes them and locks the room, and says it did not bind', () => {
  const room = openRoom();
  const h = host(room);
  const anonymous = ticket('Anonymous', identity(null));
  const guest = enterAsParticipant(room, anonymous);
  const removal = removeParticipant(room, h, guest.id, true);
  assert.deepEqual(removal, { banned: false });
  assert.deepEqual(names(room), ['Host']);
  assert.equal(room.record.settings.locked, true);
  assert.ok(anonymous.sink.messages.some((m) => m.type === 'ended'));
  room.end('meeting-ended', 'done');
});

test('a ban of someone with a device id binds it', () => {
  const room = openRoom();
  const h = host(room);
  const guest = enterAsParticipant(room, ticket('Guest', identity('some-device')));
  assert.deepEqual(removeParticipant(room, h, guest.id, true), { banned: true });
  assert.equal(storage.bans.isBanned(room.record.key, identity('some-device')), true);
  room.end('meeting-ended', 'done');
});

test('a join refused by an empty locked room leaves no live meeting behind', () => {
  const room = openRoom({ locked: true });
  assert.throws(() => room.enter(ticket('Guest', identity('dev-locked'))), (err: RoomError) => err.code === 'room-locked');
  assert.equal(registry.getByKey(room.record.key), undefined);
  assert.equal(room.isClosed, true);
});

test('a refused join into a room with people in it leaves the meeting going', () => {
  const room = openRoom({ locked: true });
  host(room);
  assert.throws(() => room.enter(ticket('Guest', identity('dev-locked-2'))), (err: RoomError) => err.code === 'room-locked');
  assert.equal(registry.getByKey(room.record.key), room);
  room.end('meeting-ended', 'done');
});

test('a settings change with a password reaches a meeting that started while the password was hashed', async () => {
  const record = openRoom().record;
  registry.getByKey(record.key)!.close();
  const pending = updateSettings(storage, record, () => registry.getByKey(record.key), HOST_API, { password: 'secret', lobby: true, locked: true }, 100);
  // A join arrives meanwhile and starts the meeting with the settings stored before the change.
  const room = registry.open(storage.rooms.getByKey(record.key)!);
  host(room);
  await pending;
  assert.deepEqual([room.record.settings.locked, room.record.settings.lobby, room.record.settings.passwordHash !== null], [true, true, true]);
  assert.throws(() => room.enter(ticket('Late', identity('dev-late'))), (err: RoomError) => err.code === 'room-locked');
  room.end('meeting-ended', 'done');
});

test('settings changes apply in the order they were asked for: a slow password change does not undo a later one', async () => {
  const room = openRoom();
  const h = host(room);
  const key = room.record.key;
  const live = () => registry.getByKey(key);
  const slow = updateSettings(storage, room.record, live, h, { password: 'secret', lobby: true, locked: true }, 100);
  const fast = updateSettings(storage, room.record, live, h, { lobby: false, locked: false }, 100);
  const [, last] = await Promise.all([slow, fast]);
  assert.deepEqual([last.lobby, last.locked, last.passwordRequired], [false, false, true]);
  const stored = storage.rooms.getByKey(key)!.settings;
  assert.deepEqual([stored.lobby, stored.locked], [false, false]);
  assert.deepEqual([room.record.settings.lobby, room.record.settings.locked], [false, false]);
  room.end('meeting-ended', 'done');
});

test('a participant away during a link rotation and a mute resumes with the old id, and learns both', () => {
  const room = openRoom();
  host(room);
  const guest = enterAsParticipant(room, ticket('Guest', identity('dev-away')));
  const oldId = room.id;
  room.detach(guest, 60_000);
  room.adopt(storage.rooms.rotateId(room.record.key, `rotated${Math.random().toString(36).slice(2)}`));
  muteParticipants(room, HOST_API, guest.id, ['audio']);
  assert.equal(registry.resumable(oldId, guest.id), room, 'the old id still finds the meeting for its participants');
  assert.equal(registry.resumable(oldId, 'someone-else'), undefined);
  assert.equal(registry.resumable('never-its-id', guest.id), undefined);
  const back = new Inbox();
  room.resume(guest, back, 'http://x');
  const types = back.messages.map((m) => m.type);
  assert.ok(types.includes('room-updated'));
  const updated = back.messages.find((m) => m.type === 'room-updated');
  assert.equal(updated?.type === 'room-updated' ? updated.room.id : null, room.id);
  const mute = back.messages.find((m) => m.type === 'force-mute');
  assert.deepEqual(mute, { type: 'force-mute', kinds: ['audio'], by: null });
  // Said once: a later resume does not repeat an old mute.
  room.detach(guest, 60_000);
  const again = new Inbox();
  room.resume(guest, again, 'http://x');
  assert.equal(again.messages.some((m) => m.type === 'force-mute'), false);
  room.end('meeting-ended', 'done');
});

test('nobody, the HTTP API included, demotes the last host; with another host present it works', () => {
  const room = openRoom();
  const h = host(room);
  const guest = enterAsParticipant(room, ticket('Guest', identity('dev-role')));
  for (const role of ['cohost', 'guest'] as const) {
    assert.throws(() => setRole(room, HOST_API, h.id, role, false), (err: RoomError) => err.code === 'bad-request');
    assert.throws(() => setRole(room, h, h.id, role, false), (err: RoomError) => err.code === 'bad-request');
  }
  assert.equal(h.role, 'host');
  setRole(room, HOST_API, guest.id, 'host', false);
  setRole(room, HOST_API, h.id, 'guest', false);
  assert.deepEqual([h.role, guest.role], ['guest', 'host']);
  room.end('meeting-ended', 'done');
});

test('a co-host may not ask a host to unmute; a host may ask anyone', () => {
  const room = openRoom();
  const h = host(room);
  const cohostTicket = ticket('Cohost', identity('dev-cohost'));
  const cohost = enterAsParticipant(room, cohostTicket);
  setRole(room, h, cohost.id, 'cohost', false);
  assert.throws(() => requestUnmute(room, cohost, h.id, 'audio'), (err: RoomError) => err.code === 'forbidden');
  requestUnmute(room, h, cohost.id, 'audio');
  assert.ok(cohostTicket.sink.messages.some((m) => m.type === 'unmute-requested' && m.by === h.id));
  room.end('meeting-ended', 'done');
});

test('a report over signaling keeps its text trimmed, as over HTTP', () => {
  const room = openRoom();
  const reporter = host(room);
  reportRoom(room, reporter, 'spam', '  ads everywhere \n');
  const stored = storage.reports.list('all').find((r) => r.roomKey === room.record.key);
  assert.equal(stored?.text, 'ads everywhere');
  room.end('meeting-ended', 'done');
});
