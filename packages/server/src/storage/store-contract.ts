import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupRecord, MemberRecord, ReportRecord, StoredRoomSettings } from './records.js';
import { initialRoomSettings } from './room-settings.js';
import type { Storage } from './storage.js';

// What every storage must do, as the SQLite one does it (the reference): run against each implementation
// by stores.test.ts. Each test opens storage of its own, so none depends on another's data.

const UNKNOWN_KEY = 999_999;
const nobody = { deviceHash: null, inviteId: null, memberId: null };

const room = (id: string, extra: { groupId?: string | null; createdAt?: number; settings?: Partial<StoredRoomSettings>; title?: string } = {}) => ({
  id,
  title: extra.title ?? `Room ${id}`,
  hostSecretHash: `hash-${id}`,
  createdAt: extra.createdAt ?? 5,
  groupId: extra.groupId ?? null,
  settings: { ...initialRoomSettings(100, extra.groupId ?? null), ...extra.settings },
});

const group = (id: string): GroupRecord => ({ id, name: `Group ${id}`, adminSecretHash: `admin-${id}`, memberInviteHash: `invite-${id}`, createdAt: 1 });

const member = (id: string, groupId: string, extra: Partial<MemberRecord> = {}): MemberRecord => ({
  id,
  groupId,
  name: `Member ${id}`,
  role: 'member',
  createdAt: 2,
  revokedAt: null,
  ...extra,
});

const report = (id: string, roomKey: number, roomId: string, extra: Partial<ReportRecord> = {}): ReportRecord => ({
  id,
  roomKey,
  roomId,
  createdAt: 5,
  reason: 'abuse',
  text: `report ${id}`,
  participantCount: 3,
  displayNames: ['Ada', 'Bo'],
  closedAt: null,
  ...extra,
});

/** Of concurrent calls, how many succeeded. */
const fulfilled = async (calls: Promise<unknown>[]): Promise<number> => (await Promise.allSettled(calls)).filter((r) => r.status === 'fulfilled').length;

export function storeContract(name: string, open: () => Promise<Storage>): void {
  const it = (title: string, body: (storage: Storage) => Promise<void>): void => {
    test(title, async () => {
      const storage = await open();
      try {
        await body(storage);
      } finally {
        await storage.close();
      }
    });
  };

  describe(`${name} storage`, () => {
    describe('rooms', () => {
      it('insert gives each room a new key; get and getByKey return the whole record', async ({ rooms }) => {
        const settings = { lobby: true, passwordHash: 'scrypt$x', maxParticipants: 12, requireE2ee: true };
        const first = await rooms.insert(room('r1', { createdAt: 7, settings, title: '' }));
        assert.deepEqual(first, {
          key: first.key,
          id: 'r1',
          title: '',
          hostSecretHash: 'hash-r1',
          createdAt: 7,
          groupId: null,
          settings: { ...initialRoomSettings(100, null), ...settings },
          blockedAt: null,
        });
        const second = await rooms.insert(room('r2'));
        assert.ok(second.key > first.key);
        assert.deepEqual(await rooms.get('r1'), first);
        assert.deepEqual(await rooms.getByKey(first.key), first);
        assert.deepEqual(await rooms.get('r2'), second);
        assert.equal(await rooms.get('nope'), null);
        assert.equal(await rooms.getByKey(UNKNOWN_KEY), null);
      });

      it('insert rejects a duplicate id and a room of an unknown group, storing nothing', async ({ rooms, groups }) => {
        const first = await rooms.insert(room('r1'));
        await assert.rejects(rooms.insert(room('r1', { title: 'Other' })));
        assert.deepEqual(await rooms.get('r1'), first);
        await assert.rejects(rooms.insert(room('r2', { groupId: 'no-such-group' })));
        assert.equal(await rooms.get('r2'), null);
        assert.deepEqual(await rooms.listByGroup('no-such-group'), []);
        await groups.create(group('g'));
        const grouped = await rooms.insert(room('r2', { groupId: 'g' }));
        assert.equal(grouped.groupId, 'g');
        assert.equal(grouped.settings.joinMode, 'group');
        assert.ok(grouped.key > first.key);
      });

      it('of concurrent inserts with one id, exactly one succeeds', async ({ rooms }) => {
        assert.equal(await fulfilled([rooms.insert(room('r1', { title: 'A' })), rooms.insert(room('r1', { title: 'B' })), rooms.insert(room('r1'))]), 1);
        assert.ok((await rooms.get('r1')) !== null);
      });

      it('updateSettings changes only the given settings; false and null are values, undefined is not', async ({ rooms }) => {
        const { key } = await rooms.insert(room('r1', { settings: { discoverable: true } }));
        const changed = await rooms.updateSettings(key, { lobby: true, passwordHash: 'h', maxParticipants: 9, joinMode: 'invite' });
        assert.deepEqual(changed.settings, { ...initialRoomSettings(100, null), discoverable: true, lobby: true, passwordHash: 'h', maxParticipants: 9, joinMode: 'invite' });
        const after = await rooms.updateSettings(key, { lobby: false, linkSharing: undefined, passwordHash: null, discoverable: false });
        assert.equal(after.settings.lobby, false);
        assert.equal(after.settings.linkSharing, true);
        assert.equal(after.settings.passwordHash, null);
        assert.equal(after.settings.discoverable, false);
        assert.deepEqual({ ...after, settings: null }, { ...changed, settings: null }, 'only settings change');
        assert.deepEqual(await rooms.updateSettings(key, {}), after);
        assert.deepEqual(await rooms.getByKey(key), after);
      });

      it('updateSettings rejects an unknown key and creates nothing', async ({ rooms }) => {
        await assert.rejects(rooms.updateSettings(UNKNOWN_KEY, { discoverable: true }));
        await assert.rejects(rooms.updateSettings(UNKNOWN_KEY, {}));
        assert.equal(await rooms.getByKey(UNKNOWN_KEY), null);
        assert.deepEqual(await rooms.listDiscoverable(10), []);
      });

      it('rotateId keeps the key: the old id stops resolving and is free again, the new one finds the room', async ({ rooms, groups }) => {
        await groups.create(group('g'));
        const original = await rooms.insert(room('old', { groupId: 'g', settings: { discoverable: true } }));
        const rotated = await rooms.rotateId(original.key, 'new');
        assert.deepEqual(rotated, { ...original, id: 'new' });
        assert.equal(await rooms.get('old'), null);
        assert.deepEqual(await rooms.get('new'), rotated);
        assert.deepEqual(await rooms.getByKey(original.key), rotated);
        assert.deepEqual((await rooms.listDiscoverable(10)).map((r) => r.id), ['new']);
        assert.deepEqual((await rooms.listByGroup('g')).map((r) => r.id), ['new']);
        const reuse = await rooms.insert(room('old'));
        assert.notEqual(reuse.key, original.key);
        assert.deepEqual(await rooms.rotateId(original.key, 'new'), rotated, 'rotating to its own id changes nothing');
      });

      it('rotateId rejects an id in use and an unknown key, changing nothing', async ({ rooms }) => {
        const a = await rooms.insert(room('a'));
        const b = await rooms.insert(room('b'));
        await assert.rejects(rooms.rotateId(a.key, 'b'));
        assert.deepEqual(await rooms.get('a'), a);
        assert.deepEqual(await rooms.get('b'), b);
        await assert.rejects(rooms.rotateId(UNKNOWN_KEY, 'x'));
        assert.equal(await rooms.get('x'), null);
        assert.equal(await fulfilled([rooms.rotateId(a.key, 'c'), rooms.rotateId(b.key, 'c')]), 1, 'of two rooms rotating to one id, one gets it');
        const c = await rooms.get('c');
        assert.ok(c !== null);
        assert.equal(await rooms.get(c.key === a.key ? 'a' : 'b'), null);
      });

      it('block keeps the first time; blocked rooms still resolve; an unknown key is ignored', async ({ rooms }) => {
        const { key } = await rooms.insert(room('r1'));
        await rooms.block(key, 10);
        await rooms.block(key, 20);
        assert.equal((await rooms.get('r1'))?.blockedAt, 10);
        assert.equal((await rooms.getByKey(key))?.blockedAt, 10);
        await rooms.block(UNKNOWN_KEY, 5);
        assert.equal(await rooms.getByKey(UNKNOWN_KEY), null);
      });

      it('listDiscoverable: listed rooms that are not blocked, most recently used first, ties newest room first, at most limit', async ({ rooms }) => {
        const listed = { settings: { discoverable: true } };
        const a = await rooms.insert(room('a', { createdAt: 1, ...listed }));
        const b = await rooms.insert(room('b', { createdAt: 2, ...listed }));
        const c = await rooms.insert(room('c', { createdAt: 3 }));
        const a2 = await rooms.insert(room('a2', { createdAt: 2, ...listed }));
        const ids = async (limit = 10): Promise<string[]> => (await rooms.listDiscoverable(limit)).map((r) => r.id);
        assert.deepEqual(await ids(), ['a2', 'b', 'a']);
        assert.deepEqual(await rooms.listDiscoverable(1), [a2]);
        assert.deepEqual(await ids(2), ['a2', 'b']);
        assert.deepEqual(await ids(0), []);
        await rooms.touch(a.key, 10);
        assert.deepEqual(await ids(), ['a', 'a2', 'b']);
        await rooms.touch(c.key, 20);
        assert.deepEqual(await ids(), ['a', 'a2', 'b'], 'an unlisted room stays unlisted when used');
        await rooms.updateSettings(c.key, { discoverable: true });
        assert.deepEqual(await ids(), ['c', 'a', 'a2', 'b'], 'a room listed later is ordered by its last use');
        await rooms.updateSettings(a.key, { discoverable: false });
        assert.deepEqual(await ids(), ['c', 'a2', 'b']);
        await rooms.block(a2.key, 30);
        assert.deepEqual(await ids(), ['c', 'b']);
        await rooms.updateSettings(a2.key, { discoverable: true });
        await rooms.touch(a2.key, 99);
        assert.deepEqual(await ids(), ['c', 'b'], 'a blocked room is never listed');
        await rooms.touch(UNKNOWN_KEY, 50);
        assert.equal(await rooms.getByKey(UNKNOWN_KEY), null, 'touching an unknown key creates nothing');
        assert.deepEqual(await ids(), ['c', 'b']);
        assert.deepEqual((await rooms.listDiscoverable(10))[1], b);
      });

      it("listByGroup: a group's rooms that are not blocked, oldest first, ties by key", async ({ rooms, groups }) => {
        await groups.create(group('g'));
        await groups.create(group('h'));
        const g1 = await rooms.insert(room('g1', { groupId: 'g', createdAt: 5 }));
        await rooms.insert(room('g2', { groupId: 'g', createdAt: 3 }));
        const g0 = await rooms.insert(room('g0', { groupId: 'g', createdAt: 5 }));
        await rooms.insert(room('h1', { groupId: 'h', createdAt: 1 }));
        await rooms.insert(room('free', { createdAt: 1 }));
        const ids = async (groupId: string): Promise<string[]> => (await rooms.listByGroup(groupId)).map((r) => r.id);
        assert.deepEqual(await ids('g'), ['g2', 'g1', 'g0']);
        assert.deepEqual(await ids('h'), ['h1']);
        assert.deepEqual(await ids('nope'), []);
        await rooms.touch(g1.key, 100);
        assert.deepEqual(await ids('g'), ['g2', 'g1', 'g0'], 'use does not reorder a group');
        await rooms.block(g1.key, 9);
        assert.deepEqual(await ids('g'), ['g2', 'g0']);
        assert.deepEqual((await rooms.listByGroup('g'))[1], g0);
      });
    });

    describe('bans', () => {
      it('a ban that identifies nobody is not stored', async ({ rooms, bans }) => {
        const { key } = await rooms.insert(room('r1'));
        assert.equal(await bans.add({ roomKey: key, ...nobody, createdAt: 1 }), false);
        assert.equal(await bans.add({ roomKey: UNKNOWN_KEY, ...nobody, createdAt: 1 }), false, 'whatever the room');
        assert.equal(await bans.isBanned(key, nobody), false);
        assert.equal(await bans.clear(key), 0);
      });

      it('bans match by device, invite or member, in their room only', async ({ rooms, bans }) => {
        const { key } = await rooms.insert(room('r1'));
        const other = await rooms.insert(room('r2'));
        assert.equal(await bans.add({ roomKey: key, deviceHash: 'd1', inviteId: null, memberId: null, createdAt: 1 }), true);
        assert.equal(await bans.add({ roomKey: key, deviceHash: null, inviteId: 'i1', memberId: null, createdAt: 1 }), true);
        assert.equal(await bans.add({ roomKey: key, deviceHash: null, inviteId: null, memberId: 'm1', createdAt: 1 }), true);
        assert.equal(await bans.isBanned(key, { ...nobody, deviceHash: 'd1' }), true);
        assert.equal(await bans.isBanned(key, { ...nobody, inviteId: 'i1' }), true);
        assert.equal(await bans.isBanned(key, { ...nobody, memberId: 'm1' }), true);
        assert.equal(await bans.isBanned(key, { deviceHash: 'd2', inviteId: 'i2', memberId: 'm1' }), true, 'any one match bans');
        assert.equal(await bans.isBanned(key, { deviceHash: 'd2', inviteId: 'i2', memberId: 'm2' }), false);
        assert.equal(await bans.isBanned(key, { deviceHash: 'i1', inviteId: 'm1', memberId: 'd1' }), false, 'each kind matches its own kind');
        assert.equal(await bans.isBanned(other.key, { deviceHash: 'd1', inviteId: 'i1', memberId: 'm1' }), false);
      });

      it('a null never matches: not another null, not anything else', async ({ rooms, bans }) => {
        const { key } = await rooms.insert(room('r1'));
        await bans.add({ roomKey: key, deviceHash: null, inviteId: 'i1', memberId: null, createdAt: 1 });
        await bans.add({ roomKey: key, deviceHash: 'd1', inviteId: null, memberId: null, createdAt: 1 });
        assert.equal(await bans.isBanned(key, nobody), false);
        assert.equal(await bans.isBanned(key, { ...nobody, inviteId: 'i2' }), false);
        assert.equal(await bans.isBanned(key, { ...nobody, memberId: 'm1' }), false);
      });

      it('clear lifts every ban of the room and counts them, duplicates included', async ({ rooms, bans }) => {
        const { key } = await rooms.insert(room('r1'));
        const other = await rooms.insert(room('r2'));
        const ban = { roomKey: key, deviceHash: 'd1', inviteId: 'i1', memberId: null, createdAt: 1 };
        await bans.add(ban);
        await bans.add(ban);
        await bans.add({ ...ban, deviceHash: 'd2', inviteId: null });
        await bans.add({ ...ban, roomKey: other.key });
        assert.equal(await bans.clear(key), 3);
        assert.equal(await bans.isBanned(key, { ...nobody, deviceHash: 'd1' }), false);
        assert.equal(await bans.isBanned(key, { ...nobody, deviceHash: 'd2' }), false);
        assert.equal(await bans.clear(key), 0);
        assert.equal(await bans.isBanned(other.key, { ...nobody, deviceHash: 'd1' }), true);
        await bans.add({ ...ban, inviteId: null });
        assert.equal(await bans.isBanned(key, { ...nobody, deviceHash: 'd1' }), true, 'a room can ban again after clearing');
        assert.equal(await bans.isBanned(key, { ...nobody, inviteId: 'i1' }), false);
      });

      it('add rejects a ban in an unknown room', async ({ bans }) => {
        await assert.rejects(bans.add({ roomKey: UNKNOWN_KEY, deviceHash: 'd1', inviteId: null, memberId: null, createdAt: 1 }));
        assert.equal(await bans.isBanned(UNKNOWN_KEY, { ...nobody, deviceHash: 'd1' }), false);
      });
    });

    describe('invites', () => {
      it('list: every invite of the room, oldest first, ties in creation order', async ({ rooms, invites }) => {
        const { key } = await rooms.insert(room('r1'));
        const other = await rooms.insert(room('r2'));
        const b = await invites.create(key, 'B', 'tb', 5);
        assert.deepEqual(b, { id: b.id, roomKey: key, label: 'B', tokenHash: 'tb', createdAt: 5, revokedAt: null });
        const a = await invites.create(key, 'A', 'ta', 3);
        const c = await invites.create(key, 'C', 'tc', 5);
        await invites.create(other.key, 'D', 'td', 1);
        assert.equal(new Set([a.id, b.id, c.id]).size, 3);
        assert.deepEqual(await invites.list(key), [a, b, c]);
        assert.deepEqual(await invites.list(UNKNOWN_KEY), []);
      });

      it("findActive finds the room's invite by token hash while it is not revoked", async ({ rooms, invites }) => {
        const { key } = await rooms.insert(room('r1'));
        const other = await rooms.insert(room('r2'));
        const invite = await invites.create(key, 'A', 'ta', 3);
        assert.deepEqual(await invites.findActive(key, 'ta'), invite);
        assert.equal(await invites.findActive(other.key, 'ta'), null);
        assert.equal(await invites.findActive(key, 'tb'), null);
        await invites.revoke(key, invite.id, 4);
        assert.equal(await invites.findActive(key, 'ta'), null);
        const again = await invites.create(key, 'A again', 'ta', 5);
        const third = await invites.create(key, 'A thrice', 'ta', 6);
        assert.deepEqual(await invites.findActive(key, 'ta'), again, 'of invites sharing a token, the first active one');
        await invites.revoke(key, again.id, 7);
        assert.deepEqual(await invites.findActive(key, 'ta'), third);
      });

      it('revoke: true once, then false; false for another room or an unknown id', async ({ rooms, invites }) => {
        const { key } = await rooms.insert(room('r1'));
        const other = await rooms.insert(room('r2'));
        const a = await invites.create(key, 'A', 'ta', 3);
        const b = await invites.create(key, 'B', 'tb', 4);
        assert.equal(await invites.revoke(other.key, a.id, 9), false);
        assert.equal(await invites.revoke(key, 'nope', 9), false);
        assert.equal(await invites.revoke(key, a.id, 9), true);
        assert.equal(await invites.revoke(key, a.id, 10), false);
        assert.deepEqual(await invites.list(key), [{ ...a, revokedAt: 9 }, b]);
        const results = await Promise.all([invites.revoke(key, b.id, 11), invites.revoke(key, b.id, 12)]);
        assert.deepEqual(results.filter(Boolean), [true], 'of concurrent revokes, one revokes');
      });

      it('create rejects an unknown room', async ({ invites }) => {
        await assert.rejects(invites.create(UNKNOWN_KEY, 'A', 'ta', 3));
        assert.deepEqual(await invites.list(UNKNOWN_KEY), []);
        assert.equal(await invites.findActive(UNKNOWN_KEY, 'ta'), null);
      });
    });

    describe('groups', () => {
      it('create and get; a duplicate id rejects', async ({ groups }) => {
        await groups.create(group('g'));
        assert.deepEqual(await groups.get('g'), group('g'));
        await assert.rejects(groups.create({ ...group('g'), name: 'Other' }));
        assert.deepEqual(await groups.get('g'), group('g'));
        assert.equal(await groups.get('nope'), null);
      });

      it('rotateMemberInvite replaces the invite hash only; an unknown group stays unknown', async ({ groups }) => {
        await groups.create(group('g'));
        await groups.rotateMemberInvite('g', 'fresh');
        assert.deepEqual(await groups.get('g'), { ...group('g'), memberInviteHash: 'fresh' });
        await groups.rotateMemberInvite('nope', 'fresh');
        assert.equal(await groups.get('nope'), null);
      });

      it('addMember rejects an unknown group and a duplicate id; getMember returns the member', async ({ groups }) => {
        await groups.create(group('g'));
        await groups.create(group('h'));
        await assert.rejects(groups.addMember(member('m1', 'nope')));
        assert.equal(await groups.getMember('m1'), null);
        assert.deepEqual(await groups.listMembers('nope'), []);
        const admin = member('m1', 'g', { role: 'admin', createdAt: 4 });
        await groups.addMember(admin);
        assert.deepEqual(await groups.getMember('m1'), admin);
        await assert.rejects(groups.addMember(member('m1', 'g')));
        await assert.rejects(groups.addMember(member('m1', 'h')), 'member ids are unique across groups');
        assert.deepEqual(await groups.getMember('m1'), admin);
        assert.deepEqual(await groups.listMembers('h'), []);
        assert.equal(await groups.getMember('nope'), null);
        assert.equal(await fulfilled([groups.addMember(member('m2', 'g')), groups.addMember(member('m2', 'h'))]), 1, 'of concurrent adds with one id, one succeeds');
        assert.equal((await groups.listMembers('g')).length + (await groups.listMembers('h')).length, 2);
      });

      it('listMembers: members not revoked, in joining order, ties in insertion order', async ({ groups }) => {
        await groups.create(group('g'));
        await groups.create(group('h'));
        await groups.addMember(member('m-c', 'g', { createdAt: 5 }));
        await groups.addMember(member('m-a', 'g', { createdAt: 3 }));
        await groups.addMember(member('m-b', 'g', { createdAt: 5 }));
        await groups.addMember(member('m-x', 'g', { createdAt: 1, revokedAt: 4 }));
        await groups.addMember(member('m-h', 'h', { createdAt: 1 }));
        assert.deepEqual((await groups.listMembers('g')).map((m) => m.id), ['m-a', 'm-c', 'm-b']);
        assert.deepEqual(await groups.listMembers('h'), [member('m-h', 'h', { createdAt: 1 })]);
        assert.deepEqual(await groups.getMember('m-x'), member('m-x', 'g', { createdAt: 1, revokedAt: 4 }), 'a member stored revoked is kept');
      });

      it('revokeMember: true once, then false; false in another group or for an unknown id; revoked members are still found', async ({ groups }) => {
        await groups.create(group('g'));
        await groups.create(group('h'));
        await groups.addMember(member('m1', 'g'));
        await groups.addMember(member('m2', 'g', { createdAt: 3 }));
        assert.equal(await groups.revokeMember('h', 'm1', 7), false);
        assert.equal(await groups.revokeMember('g', 'nope', 7), false);
        assert.equal(await groups.revokeMember('g', 'm1', 7), true);
        assert.equal(await groups.revokeMember('g', 'm1', 8), false);
        assert.deepEqual(await groups.getMember('m1'), member('m1', 'g', { revokedAt: 7 }));
        assert.deepEqual((await groups.listMembers('g')).map((m) => m.id), ['m2']);
        const results = await Promise.all([groups.revokeMember('g', 'm2', 9), groups.revokeMember('g', 'm2', 10)]);
        assert.deepEqual(results.filter(Boolean), [true], 'of concurrent revokes, one revokes');
        assert.deepEqual(await groups.listMembers('g'), []);
      });
    });

    describe('reports', () => {
      it("add starts every report open; list is oldest first, ties in insertion order, with the room's id", async ({ rooms, reports }) => {
        const { key } = await rooms.insert(room('r1'));
        await reports.add(report('p3', key, 'r1', { createdAt: 5 }));
        await reports.add(report('p1', key, 'r1', { createdAt: 3, displayNames: [], text: 'Ärger 🙈' }));
        await reports.add(report('p2', key, 'r1', { createdAt: 5, closedAt: 99, reason: 'spam' }));
        const open = await reports.list('open');
        assert.deepEqual(open.map((r) => r.id), ['p1', 'p3', 'p2']);
        assert.deepEqual(open[0], { ...report('p1', key, 'r1', { createdAt: 3, displayNames: [], text: 'Ärger 🙈' }), currentRoomId: 'r1' });
        assert.deepEqual(open[2], { ...report('p2', key, 'r1', { createdAt: 5, reason: 'spam' }), currentRoomId: 'r1' }, 'closedAt is ignored');
        assert.deepEqual(await reports.list('all'), open);
      });

      it("close: true once, then false; closed reports leave 'open' and stay in 'all'", async ({ rooms, reports }) => {
        const { key } = await rooms.insert(room('r1'));
        await reports.add(report('p1', key, 'r1', { createdAt: 3 }));
        await reports.add(report('p2', key, 'r1', { createdAt: 4 }));
        await reports.add(report('p3', key, 'r1', { createdAt: 5 }));
        assert.equal(await reports.close('p2', 8), true);
        assert.equal(await reports.close('p2', 9), false);
        assert.equal(await reports.close('nope', 9), false);
        assert.deepEqual((await reports.list('open')).map((r) => r.id), ['p1', 'p3']);
        assert.deepEqual((await reports.list('all')).map((r) => [r.id, r.closedAt]), [['p1', null], ['p2', 8], ['p3', null]]);
        const results = await Promise.all([reports.close('p3', 10), reports.close('p3', 11)]);
        assert.deepEqual(results.filter(Boolean), [true], 'of concurrent closes, one closes');
        assert.deepEqual((await reports.list('open')).map((r) => r.id), ['p1']);
      });

      it('after a rotation, reports list the current id and still resolve the id they were made under', async ({ rooms, reports }) => {
        const { key } = await rooms.insert(room('r-old'));
        const other = await rooms.insert(room('r-other'));
        await reports.add(report('p1', key, 'r-old'));
        await reports.add(report('p2', other.key, 'r-other'));
        await rooms.rotateId(key, 'r-new');
        const listed = await reports.list('all');
        assert.deepEqual(listed.map((r) => [r.roomId, r.currentRoomId]), [['r-old', 'r-new'], ['r-other', 'r-other']]);
        assert.equal(await reports.roomKeyReportedAs('r-old'), key);
        assert.equal(await reports.roomKeyReportedAs('r-new'), null, 'only ids that appear in reports resolve');
        assert.equal(await reports.roomKeyReportedAs('r-other'), other.key);
        assert.equal(await reports.roomKeyReportedAs('nope'), null);
        await reports.add(report('p3', key, 'r-new'));
        await rooms.rotateId(key, 'r-newest');
        assert.equal(await reports.roomKeyReportedAs('r-new'), key);
        assert.deepEqual((await reports.list('open')).map((r) => r.currentRoomId), ['r-newest', 'r-other', 'r-newest']);
      });

      it('add rejects an unknown room and a duplicate id', async ({ rooms, reports }) => {
        const { key } = await rooms.insert(room('r1'));
        await assert.rejects(reports.add(report('p1', UNKNOWN_KEY, 'ghost')));
        assert.equal(await reports.roomKeyReportedAs('ghost'), null);
        await reports.add(report('p1', key, 'r1'));
        await assert.rejects(reports.add(report('p1', key, 'r1', { text: 'again' })));
        assert.deepEqual((await reports.list('all')).map((r) => r.text), ['report p1']);
      });
    });

    describe('member credentials', () => {
      it('a credential verifies as its member until the member is revoked; forged or unknown ones never', async ({ groups, credentials }) => {
        await groups.create(group('g'));
        const ada = member('m1', 'g');
        await groups.addMember(ada);
        const token = await credentials.issue(ada);
        assert.deepEqual(await credentials.verify(token), ada);
        assert.equal(await credentials.verify(await credentials.issue(member('ghost', 'g'))), null, 'a member never added');
        assert.equal(await credentials.verify(await credentials.issue({ ...ada, groupId: 'h' })), null, 'a member of another group');
        assert.equal(await credentials.verify('not-a-token'), null);
        const at = token.length - 5;
        assert.equal(await credentials.verify(`${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`), null, 'a bad signature');
        await groups.revokeMember('g', 'm1', 5);
        assert.equal(await credentials.verify(token), null);
      });
    });

    test('close can be called twice', async () => {
      const storage = await open();
      await storage.close();
      await storage.close();
    });
  });
}
