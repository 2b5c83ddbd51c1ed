import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSecret } from '../ids.js';
import { admitFromLobby, HOST_API, muteParticipants, removeParticipant, reportRoom, requestUnmute, setRole, updateSettings } from './moderation.js';
import type { Identity } from './participant.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';
import { enter, Inbox, openRoomTestBed, plainIdentity, ticket } from './test-room.js';

const { openRoom, registry, storage } = await openRoomTestBed();

const identity = (device: string | null, more: Partial<Identity> = {}): Identity => plainIdentity({ deviceHash: device === null ? null : hashSecret(device), ...more });

const moderationTicket = (name: string, who: Identity, role: 'host' | 'guest' = 'guest', sink = new Inbox()) =>
  ticket(name, { role, media: { audio: true, video: true }, sink, identity: who });

const host = (room: Room) => enter(room, moderationTicket('Host', identity('host-device', { hostLink: true }), 'host'));
const names = (room: Room) => [...room.participants.values()].map((p) => p.name);
const errorCodes = (inbox: Inbox) => inbox.messages.flatMap((m) => (m.type === 'error' ? [m.code] : []));

test('a ban turns away the banned device waiting in the lobby at once', async () => {
  const room = await openRoom({ lobby: true });
  const h = host(room);
  const first = moderationTicket('Guest', identity('evil-device'));
  room.enter(first);
  await admitFromLobby(room, h, 'all');
  const again = moderationTicket('Guest again', identity('evil-device'));
  const other = moderationTicket('Other', identity('good-device'));
  room.enter(again);
  room.enter(other);
  await removeParticipant(room, h, [...room.participants.values()].find((p) => p.name === 'Guest')!.id, true);
  assert.deepEqual(room.lobby.waiting.map((w) => w.name), ['Other']);
  assert.ok(again.sink.messages.some((m) => m.type === 'ended' && m.reason === 'banned'));
  assert.equal(again.sink.disconnectedFor, 'banned');
  room.end('meeting-ended', 'done');
});

test('admit re-checks each knock: banned, revoked invite and revoked membership are refused', async () => {
  const invite = (room: Room) => storage.invites.create(room.record.key, 'x', hashSecret(`inv-${Math.random()}`), 0);
  const room = await openRoom({ lobby: true, joinMode: 'invite' });
  const h = host(room);
  const kept = await invite(room);
  const revoked = await invite(room);
  const banned = moderationTicket('Banned', identity('banned-device', { inviteId: kept.id }));
  const uninvited = moderationTicket('Revoked', identity('dev-2', { inviteId: revoked.id }));
  const welcome = moderationTicket('Welcome', identity('dev-3', { inviteId: kept.id }));
  for (const t of [banned, uninvited, welcome]) room.enter(t);
  // A ban stored by some other path than removing them here (e.g. from an earlier meeting of the room).
  await storage.bans.add({ roomKey: room.record.key, deviceHash: hashSecret('banned-device'), inviteId: null, memberId: null, createdAt: 0 });
  await storage.invites.revoke(room.record.key, revoked.id, 1);
  await admitFromLobby(room, h, 'all');
  assert.deepEqual(names(room), ['Host', 'Welcome']);
  assert.deepEqual(errorCodes(banned.sink), ['banned']);
  assert.deepEqual(errorCodes(uninvited.sink), ['not-invited']);
  assert.equal(banned.sink.disconnectedFor, 'banned');
  room.end('meeting-ended', 'done');
});

test('admit refuses a knock whose group membership was revoked while it waited', async () => {
  const groupId = `g${Math.random().toString(36).slice(2)}`;
  await storage.groups.create({ id: groupId, name: 'G', adminSecretHash: 'a', memberInviteHash: 'b', createdAt: 0 });
  const room = await openRoom({ lobby: true }, groupId);
  const h = host(room);
  await storage.groups.addMember({ id: `m-${groupId}`, groupId, name: 'M', role: 'member', createdAt: 0, revokedAt: null });
  const member = moderationTicket('Member', identity('dev-m', { memberId: `m-${groupId}` }));
  room.enter(member);
  await storage.groups.revokeMember(groupId, `m-${groupId}`, 1);
  await admitFromLobby(room, h, 'all');
  assert.deepEqual(names(room), ['Host']);
  assert.deepEqual(errorCodes(member.sink), ['members-only']);
  room.end('meeting-ended', 'done');
});

test('a ban of someone who sent no device id still removes them and locks the room, and says it did not bind', async () => {
  const room = await openRoom();
  const h = host(room);
  const anonymous = moderationTicket('Anonymous', identity(null));
  const guest = enter(room, anonymous);
  const removal = await removeParticipant(room, h, guest.id, true);
  assert.deepEqual(removal, { banned: false });
  assert.deepEqual(names(room), ['Host']);
  assert.equal(room.record.settings.locked, true);
  assert.ok(anonymous.sink.messages.some((m) => m.type === 'ended'));
  room.end('meeting-ended', 'done');
});

test('a ban of someone with a device id binds it', async () => {
  const room = await openRoom();
  const h = host(room);
  const guest = enter(room, moderationTicket('Guest', identity('some-device')));
  assert.deepEqual(await removeParticipant(room, h, guest.id, true), { banned: true });
  assert.equal(await storage.bans.isBanned(room.record.key, identity('some-device')), true);
  room.end('meeting-ended', 'done');
});

test('a join refused by an empty locked room leaves no live meeting behind', async () => {
  const room = await openRoom({ locked: true });
  assert.throws(() => room.enter(moderationTicket('Guest', identity('dev-locked'))), (err: RoomError) => err.code === 'room-locked');
  assert.equal(registry.getByKey(room.record.key), undefined);
  assert.equal(room.isClosed, true);
});

test('a refused join into a room with people in it leaves the meeting going', async () => {
  const room = await openRoom({ locked: true });
  host(room);
  assert.throws(() => room.enter(moderationTicket('Guest', identity('dev-locked-2'))), (err: RoomError) => err.code === 'room-locked');
  assert.equal(registry.getByKey(room.record.key), room);
  room.end('meeting-ended', 'done');
});

test('a settings change with a password reaches a meeting that started while the password was hashed', async () => {
  const record = (await openRoom()).record;
  registry.getByKey(record.key)!.close();
  const pending = updateSettings(storage, record, () => registry.getByKey(record.key), HOST_API, { password: 'secret', lobby: true, locked: true }, 100);
  // A join arrives meanwhile and starts the meeting with the settings stored before the change.
  const room = registry.open((await storage.rooms.getByKey(record.key))!);
  host(room);
  await pending;
  assert.deepEqual([room.record.settings.locked, room.record.settings.lobby, room.record.settings.passwordHash !== null], [true, true, true]);
  assert.throws(() => room.enter(moderationTicket('Late', identity('dev-late'))), (err: RoomError) => err.code === 'room-locked');
  room.end('meeting-ended', 'done');
});

test('settings changes apply in the order they were asked for: a slow password change does not undo a later one', async () => {
  const room = await openRoom();
  const h = host(room);
  const key = room.record.key;
  const live = () => registry.getByKey(key);
  const slow = updateSettings(storage, room.record, live, h, { password: 'secret', lobby: true, locked: true }, 100);
  const fast = updateSettings(storage, room.record, live, h, { lobby: false, locked: false }, 100);
  const [, last] = await Promise.all([slow, fast]);
  assert.deepEqual([last.lobby, last.locked, last.passwordRequired], [false, false, true]);
  const stored = (await storage.rooms.getByKey(key))!.settings;
  assert.deepEqual([stored.lobby, stored.locked], [false, false]);
  assert.deepEqual([room.record.settings.lobby, room.record.settings.locked], [false, false]);
  room.end('meeting-ended', 'done');
});

test('a participant away during a link rotation and a mute resumes with the old id, and learns both', async () => {
  const room = await openRoom();
  host(room);
  const guest = enter(room, moderationTicket('Guest', identity('dev-away')));
  const oldId = room.id;
  room.detach(guest, 60_000);
  room.adopt(await storage.rooms.rotateId(room.record.key, `rotated${Math.random().toString(36).slice(2)}`));
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

test('nobody, the HTTP API included, demotes the last host; with another host present it works', async () => {
  const room = await openRoom();
  const h = host(room);
  const guest = enter(room, moderationTicket('Guest', identity('dev-role')));
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

test('a co-host may not ask a host to unmute; a host may ask anyone', async () => {
  const room = await openRoom();
  const h = host(room);
  const cohostTicket = moderationTicket('Cohost', identity('dev-cohost'));
  const cohost = enter(room, cohostTicket);
  setRole(room, h, cohost.id, 'cohost', false);
  assert.throws(() => requestUnmute(room, cohost, h.id, 'audio'), (err: RoomError) => err.code === 'forbidden');
  requestUnmute(room, h, cohost.id, 'audio');
  assert.ok(cohostTicket.sink.messages.some((m) => m.type === 'unmute-requested' && m.by === h.id));
  room.end('meeting-ended', 'done');
});

test('a report over signaling keeps its text trimmed, as over HTTP', async () => {
  const room = await openRoom();
  const reporter = host(room);
  await reportRoom(room, reporter, 'spam', '  ads everywhere \n');
  const stored = (await storage.reports.list('all')).find((r) => r.roomKey === room.record.key);
  assert.equal(stored?.text, 'ads everywhere');
  room.end('meeting-ended', 'done');
});

test('a removal locks at once, and a settings change stored before its lock does not open the room again', async () => {
  const room = await openRoom();
  const h = host(room);
  const watcherBox = new Inbox();
  enter(room, moderationTicket('Watcher', identity('watch-device'), 'guest', watcherBox));
  const guest = enter(room, moderationTicket('Guest', identity('guest-device')));
  // A host's change is on its way to the storage when the removal comes.
  const change = updateSettings(storage, room.record, () => room, HOST_API, { lobby: true }, 100);
  const removal = removeParticipant(room, h, guest.id, false);
  assert.equal(room.record.settings.locked, true, 'locked before anything is stored');
  await Promise.all([change, removal]);
  const locks = watcherBox.messages.flatMap((m) => (m.type === 'room-updated' ? [m.room.settings.locked] : []));
  assert.deepEqual(locks, [true, true], 'never unlocked in between');
  assert.equal((await storage.rooms.getByKey(room.record.key))?.settings.locked, true);
  room.end('meeting-ended', 'done');
});
