// Removing people and what follows: the room locks (the removed participant cannot come back with the
// same link until a host unlocks it), a ban keeps them out after the unlock, invites can be revoked
// (and a ban revokes the one used), a rotated link leaves the old one dead while the meeting carries on
// under the new id, and when the last host leaves the longest-present participant becomes host.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { BotJoinError, createRoom, sleep, waitUntil, type Bot } from '@treff/load';
import type { CreateInviteResponse, CreateRoomResponse, InvitesResponse, RoomSettings } from '@treff/protocol';
import { closeWhenDone, joinBot, startTestServer } from './helpers.js';
import { AUDIO_ONLY, deviceId, http } from './host-helpers.js';

const GRACE_MS = 1500;
let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

async function join(roomId: string, name: string, extra: Parameters<typeof joinBot>[3] = {}): Promise<Bot> {
  const bot = await joinBot(server!, roomId, name, { publish: AUDIO_ONLY, deviceId: deviceId(name), ...extra });
  bots.push(bot);
  return bot;
}

async function refused(joining: Promise<Bot>, code: string): Promise<void> {
  await assert.rejects(joining, (err: unknown) => err instanceof BotJoinError && err.code === code && err.message.length > 0, `expected ${code}`);
}

test('host controls over people', async (t) => {
  server = await startTestServer({ reconnectGraceMs: GRACE_MS });

  await t.test('remove: out at once, the room locks for everyone new until unlocked; then the removed may return', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'remove');
    const host = await join(roomId, 'host', { hostSecret });
    const other = await join(roomId, 'other');
    const removed = await join(roomId, 'removed');
    await other.waitForPackets(removed.participantId, 'audio', 25, 30_000);
    host.send({ type: 'remove', participantId: removed.participantId });
    await waitUntil(() => !removed.signalingConnected, { timeoutMs: 10_000, what: 'the removed socket to close' });
    assert.equal(removed.ended?.reason, 'removed');
    assert.ok(removed.ended.message.length > 0);
    await waitUntil(() => other.room?.settings.locked === true && !other.participants.has(removed.participantId), {
      timeoutMs: 10_000,
      what: 'the others to see the removal and the lock',
    });
    // The transport closed with the removal: nothing of theirs reaches anyone any more.
    await sleep(300);
    const heard = other.packetsFrom(removed.participantId, 'audio');
    await sleep(700);
    assert.equal(other.packetsFrom(removed.participantId, 'audio'), heard, 'the removed participant’s audio still flows');

    const settings = await http<RoomSettings>(server!, 'GET', `/api/rooms/${roomId}/settings`, { secret: hostSecret });
    assert.equal(settings.body.locked, true, 'the lock is stored');
    await refused(join(roomId, 'removed'), 'room-locked');
    await refused(join(roomId, 'newcomer'), 'room-locked');
    const holder = await join(roomId, 'second host', { hostSecret });
    assert.equal(holder.joined?.self.role, 'host', 'the host link passes the lock');

    const unlocked = await http<RoomSettings>(server!, 'POST', `/api/rooms/${roomId}/unlock`, { secret: hostSecret });
    assert.equal(unlocked.status, 200);
    assert.equal(unlocked.body.locked, false);
    await waitUntil(() => other.room?.settings.locked === false, { timeoutMs: 10_000, what: 'room-updated with the unlock' });
    const back = await join(roomId, 'removed');
    assert.equal(back.joined?.self.role, 'guest');
    for (const b of [host, other, back, holder]) b.leave();
  });

  await t.test('ban: stays out after the unlock, until the host clears the bans', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'ban');
    const host = await join(roomId, 'host', { hostSecret });
    const banned = await join(roomId, 'banned');
    const res = await http(server!, 'POST', `/api/rooms/${roomId}/participants/${banned.participantId}/remove`, { secret: hostSecret, body: { ban: true } });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    await waitUntil(() => !banned.signalingConnected, { timeoutMs: 10_000, what: 'the banned socket to close' });
    assert.equal(banned.ended?.reason, 'banned');
    await waitUntil(() => host.room?.settings.locked === true, { timeoutMs: 10_000, what: 'the lock' });
    await http(server!, 'POST', `/api/rooms/${roomId}/unlock`, { secret: hostSecret });
    await refused(join(roomId, 'banned'), 'banned');
    const cleared = await http<{ cleared: number }>(server!, 'DELETE', `/api/rooms/${roomId}/bans`, { secret: hostSecret });
    assert.equal(cleared.body.cleared, 1);
    const back = await join(roomId, 'banned');
    assert.equal(back.joined?.self.name, 'banned');
    host.leave();
    back.leave();
  });

  await t.test('invite-only rooms: a valid invite gets in, a revoked one does not; banning revokes the invite used', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'invites');
    const host = await join(roomId, 'host', { hostSecret });
    host.send({ type: 'update-settings', settings: { joinMode: 'invite' } });
    await waitUntil(() => host.room?.settings.joinMode === 'invite', { timeoutMs: 10_000, what: 'invite-only mode' });
    const invite = async (label: string) => {
      const res = await http<CreateInviteResponse>(server!, 'POST', `/api/rooms/${roomId}/invites`, { secret: hostSecret, body: { label } });
      assert.equal(res.status, 201);
      const token = new URLSearchParams(new URL(res.body.inviteUrl).hash.slice(1)).get('invite');
      assert.ok(token);
      assert.ok(res.body.inviteUrl.includes(`/r/${roomId}#invite=`));
      return { id: res.body.invite.id, token };
    };
    const ann = await invite('Ann');
    const bo = await invite('Bo');
    await refused(join(roomId, 'uninvited'), 'not-invited');
    await refused(join(roomId, 'forger', { inviteToken: 'x'.repeat(43) }), 'not-invited');
    const annBot = await join(roomId, 'ann', { inviteToken: ann.token });
    const revoked = await http(server!, 'DELETE', `/api/rooms/${roomId}/invites/${bo.id}`, { secret: hostSecret });
    assert.equal(revoked.status, 204);
    assert.equal((await http(server!, 'DELETE', `/api/rooms/${roomId}/invites/${bo.id}x`, { secret: hostSecret })).status, 404);
    await refused(join(roomId, 'bo', { inviteToken: bo.token }), 'not-invited');

    host.send({ type: 'remove', participantId: annBot.participantId, ban: true });
    await waitUntil(() => !annBot.signalingConnected, { timeoutMs: 10_000, what: 'ann to be banned' });
    await http(server!, 'POST', `/api/rooms/${roomId}/unlock`, { secret: hostSecret });
    // On another device the ban on the device does not match; the invite is revoked all the same.
    await refused(join(roomId, 'ann elsewhere', { inviteToken: ann.token }), 'not-invited');
    const list = await http<InvitesResponse>(server!, 'GET', `/api/rooms/${roomId}/invites`, { secret: hostSecret });
    assert.deepEqual(list.body.invites.map((i) => [i.label, i.revoked]).sort(), [['Ann', true], ['Bo', true]]);
    const carl = await invite('Carl');
    const carlBot = await join(roomId, 'carl', { inviteToken: carl.token });
    assert.equal(carlBot.joined?.room.settings.joinMode, 'invite');
    host.leave();
    carlBot.leave();
  });

  await t.test('link rotation: the meeting carries on under the new id (resume included); the old link is dead', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'rotate');
    const host = await join(roomId, 'host', { hostSecret });
    const guest = await join(roomId, 'guest');
    assert.equal(guest.room?.link?.endsWith(`/r/${roomId}`), true, 'guests see the link while link sharing is on');
    const res = await http<CreateRoomResponse>(server!, 'POST', `/api/rooms/${roomId}/rotate-link`, { secret: hostSecret });
    assert.equal(res.status, 200);
    const newId = res.body.roomId;
    assert.notEqual(newId, roomId);
    assert.equal(res.body.roomUrl.endsWith(`/r/${newId}`), true);
    assert.equal(res.body.hostUrl, `${res.body.roomUrl}#host=${hostSecret}`);
    await waitUntil(() => host.room?.id === newId && guest.room?.id === newId, { timeoutMs: 10_000, what: 'room-updated with the new id' });
    assert.equal(guest.room?.link?.endsWith(`/r/${newId}`), true);

    await refused(join(roomId, 'old link'), 'room-not-found');
    assert.equal((await http(server!, 'GET', `/api/rooms/${roomId}`)).status, 404);
    assert.equal((await http(server!, 'GET', `/api/rooms/${newId}/settings`, { secret: hostSecret })).status, 200);
    const newcomer = await join(newId, 'newcomer');
    assert.deepEqual(newcomer.joined?.participants.map((p) => p.name).sort(), ['guest', 'host']);

    guest.dropSignaling();
    await waitUntil(() => !guest.signalingConnected, { timeoutMs: 5000, what: 'the socket to drop' });
    const resumed = await guest.resume();
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.room.id, newId);
    for (const b of [host, guest, newcomer]) b.leave();
  });

  await t.test('when the last host leaves, the longest-present participant becomes host', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'promote');
    const host = await join(roomId, 'host', { hostSecret });
    const first = await join(roomId, 'first');
    const second = await join(roomId, 'second');
    host.leave();
    await waitUntil(() => second.participants.get(first.participantId)?.role === 'host', { timeoutMs: 10_000, what: 'the longest present to be promoted' });
    assert.equal(first.participants.get(second.participantId)?.role, 'guest');
    await waitUntil(() => first.joined?.self.role === 'host', { timeoutMs: 10_000, what: 'the promoted one to be told' });
    await waitUntil(() => first.lobby !== null && first.room?.link !== null, { timeoutMs: 10_000, what: 'the new host to learn the lobby' });
    // The new host can act as one.
    first.send({ type: 'update-settings', settings: { linkSharing: false } });
    await waitUntil(() => second.room?.settings.linkSharing === false && second.room.link === null, { timeoutMs: 10_000, what: 'link sharing off' });
    assert.notEqual(first.room?.link, null, 'hosts always see the link');

    // A host who hands over becomes a guest.
    first.send({ type: 'set-role', participantId: second.participantId, role: 'host', handOver: true });
    await waitUntil(() => second.participants.get(first.participantId)?.role === 'guest' && first.participants.get(second.participantId)?.role === 'host', {
      timeoutMs: 10_000,
      what: 'the hand-over',
    });
    // A host whose socket drops and does not come back is gone after the grace period: promotion again.
    second.dropSignaling();
    await waitUntil(() => first.participants.size === 0, { timeoutMs: GRACE_MS + 10_000, what: 'the grace period to end' });
    await waitUntil(() => first.joined?.self.role === 'host', { timeoutMs: 10_000, what: 'first to be host again' });
    first.leave();
  });

  await t.test('a ban of someone who sent no device id removes them and locks the room, and tells the host it could not bind', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'unbound-ban');
    const host = await join(roomId, 'host', { hostSecret });
    const anonymous = await joinBot(server!, roomId, 'anonymous', { publish: AUDIO_ONLY });
    const again = await joinBot(server!, roomId, 'anonymous 2', { publish: AUDIO_ONLY });
    bots.push(anonymous, again);
    host.send({ type: 'remove', participantId: anonymous.participantId, ban: true });
    await waitUntil(() => !anonymous.signalingConnected, { timeoutMs: 10_000, what: 'the removed socket to close' });
    assert.equal(anonymous.ended?.reason, 'banned');
    await waitUntil(() => host.errors.length > 0, { timeoutMs: 10_000, what: 'the host to hear the ban did not bind' });
    assert.deepEqual(host.errors.map((e) => [e.code, e.fatal]), [['bad-request', false]]);
    assert.match(host.errors[0]!.message, /not banned/);
    await waitUntil(() => host.room?.settings.locked === true, { timeoutMs: 10_000, what: 'the room to lock' });
    assert.equal(host.signalingConnected, true, 'the host carries on');

    const answer = await http<{ banned: boolean; message: string }>(server!, 'POST', `/api/rooms/${roomId}/participants/${again.participantId}/remove`, {
      secret: hostSecret,
      body: { ban: true },
    });
    assert.deepEqual([answer.status, answer.body.banned], [200, false]);
    host.leave();
  });

  await t.test('without auto-promote nobody is promoted', async () => {
    const { roomId, hostSecret } = await createRoom(server!.url, 'no-promote');
    const host = await join(roomId, 'host', { hostSecret });
    const guest = await join(roomId, 'guest');
    const other = await join(roomId, 'other');
    host.send({ type: 'update-settings', settings: { autoPromote: false } });
    await waitUntil(() => guest.room?.settings.autoPromote === false, { timeoutMs: 10_000, what: 'auto-promote off' });
    host.leave();
    await waitUntil(() => !guest.participants.has(host.participantId), { timeoutMs: 10_000, what: 'the host to leave' });
    await sleep(300);
    assert.equal(other.participants.get(guest.participantId)?.role, 'guest');
    assert.equal(guest.lobby, null, 'nobody became a moderator');
    guest.leave();
    other.leave();
  });
});
