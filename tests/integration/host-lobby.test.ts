// The lobby: guests knock and wait; hosts and co-hosts see who waits, and admit (one by one or all)
// or deny; a denied guest is told; a knocker whose socket closes leaves; turning the lobby off lets
// everyone in; an explicit admit passes a lock set meanwhile; knocks are rate-limited per address.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { Bot, BotEndedError, BotJoinError, createRoom, waitUntil } from '@treff/load';
import { closeWhenDone, joinBot, metric, startTestServer, TEST_VIDEO } from './helpers.js';
import { AUDIO_ONLY, http, RawSocket } from './host-helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
const sockets: RawSocket[] = [];
closeWhenDone(() => server, sockets, bots);
let addresses = 0;

/** A raw socket knocking from an address of its own (the server trusts X-Forwarded-For here). */
async function knock(roomId: string, name: string, address = `10.0.0.${++addresses}`): Promise<RawSocket> {
  const socket = await RawSocket.open(server!, { 'x-forwarded-for': address });
  sockets.push(socket);
  socket.join(roomId, { name });
  return socket;
}

async function lobbyRoom(): Promise<{ roomId: string; hostSecret: string; host: Bot; cohost: Bot }> {
  const created = await createRoom(server!.url, 'lobby');
  const { roomId, hostSecret } = created;
  const patched = await http(server!, 'PATCH', `/api/rooms/${roomId}/settings`, { secret: hostSecret, body: { lobby: true } });
  assert.equal(patched.status, 200);
  const host = await joinBot(server!, roomId, 'host', { hostSecret, publish: AUDIO_ONLY });
  bots.push(host);
  await waitUntil(() => host.lobby !== null, { timeoutMs: 5000, what: 'a host to learn the lobby right after joining' });
  assert.equal(host.lobby?.length, 0);
  // The co-host comes in through the lobby like any guest, then is promoted.
  const cohostKnock = await Bot.knock({ url: server!.url, roomId, name: 'cohost', publish: AUDIO_ONLY, video: TEST_VIDEO, timeoutMs: 20_000 });
  bots.push(cohostKnock);
  assert.equal(cohostKnock.inLobby, true);
  await waitUntil(() => host.lobby?.length === 1, { timeoutMs: 10_000, what: 'the host to see the first knock' });
  host.send({ type: 'lobby-admit', ids: [host.lobby![0]!.id] });
  await cohostKnock.admitted();
  host.send({ type: 'set-role', participantId: cohostKnock.participantId, role: 'cohost' });
  await waitUntil(() => cohostKnock.lobby !== null, { timeoutMs: 10_000, what: 'the new co-host to learn the lobby' });
  return { roomId, hostSecret, host, cohost: cohostKnock };
}

test('lobby', async (t) => {
  server = await startTestServer({ trustProxy: true });
  const { roomId, hostSecret, host, cohost } = await lobbyRoom();

  await t.test('a guest knocks, moderators see it, a host admits, and the guest is in with media', async () => {
    const guest = await Bot.knock({ url: server!.url, roomId, name: 'guest', publish: AUDIO_ONLY, video: TEST_VIDEO, timeoutMs: 20_000 });
    bots.push(guest);
    assert.equal(guest.inLobby, true);
    assert.equal(guest.joined, null);
    await waitUntil(() => host.lobby?.length === 1 && cohost.lobby?.length === 1, { timeoutMs: 10_000, what: 'both moderators to see the knock' });
    const entry = host.lobby![0]!;
    assert.equal(entry.name, 'guest');
    assert.ok(entry.since > Date.now() - 60_000);
    assert.equal(host.participants.has(entry.id), false, 'a knocker is not a participant');
    host.send({ type: 'lobby-admit', ids: [entry.id] });
    const joined = await guest.admitted();
    assert.equal(joined.self.role, 'guest');
    await waitUntil(() => host.lobby?.length === 0 && cohost.lobby?.length === 0, { timeoutMs: 10_000, what: 'the lobby to empty' });
    await host.waitForPackets(guest.participantId, 'audio', 25, 30_000);
    guest.leave();
  });

  await t.test('a denied guest is told so, and its socket closes', async () => {
    const guest = await Bot.knock({ url: server!.url, roomId, name: 'denied', publish: AUDIO_ONLY, timeoutMs: 20_000 });
    bots.push(guest);
    await waitUntil(() => cohost.lobby?.length === 1, { timeoutMs: 10_000, what: 'the knock' });
    const admitted = guest.admitted();
    cohost.send({ type: 'lobby-deny', ids: [cohost.lobby![0]!.id] });
    await assert.rejects(admitted, (err: unknown) => err instanceof BotEndedError && err.reason === 'denied' && err.message.length > 0);
    await waitUntil(() => !guest.signalingConnected, { timeoutMs: 10_000, what: 'the denied socket to close' });
    await waitUntil(() => host.lobby?.length === 0, { timeoutMs: 10_000, what: 'the lobby to empty' });
  });

  await t.test('admit all lets everyone waiting in', async () => {
    const knockers = await Promise.all(['a', 'b', 'c'].map((n) => knock(roomId, n)));
    await Promise.all(knockers.map((k) => k.next('lobby-waiting')));
    await waitUntil(() => host.lobby?.length === 3, { timeoutMs: 10_000, what: 'three knocks' });
    assert.equal(await metric(server!, 'treff_lobby_waiting'), 3);
    host.send({ type: 'lobby-admit', ids: 'all' });
    await Promise.all(knockers.map((k) => k.next('joined')));
    await waitUntil(() => host.lobby?.length === 0 && host.participants.size === 4, { timeoutMs: 10_000, what: 'three more participants' });
    for (const k of knockers) k.send({ type: 'leave' });
    await waitUntil(() => host.participants.size === 1, { timeoutMs: 10_000, what: 'them to leave' });
  });

  await t.test('a knocker whose socket closes leaves the lobby', async () => {
    const k = await knock(roomId, 'dropper');
    await k.next('lobby-waiting');
    await waitUntil(() => host.lobby?.length === 1, { timeoutMs: 10_000, what: 'the knock' });
    k.close();
    await waitUntil(() => host.lobby?.length === 0 && cohost.lobby?.length === 0, { timeoutMs: 10_000, what: 'the dropped knock to leave the lobby' });
  });

  await t.test('a knocker cannot act before it is let in; admitting someone gone is not-found', async () => {
    const k = await knock(roomId, 'impatient');
    await k.next('lobby-waiting');
    await k.expectError({ type: 'media-state', media: { audio: true, video: true } }, 'wrong-state', false);
    await k.expectError({ type: 'lobby-admit', ids: 'all' }, 'wrong-state', false);
    await waitUntil(() => host.lobby?.length === 1, { timeoutMs: 10_000, what: 'the knock' });
    const id = host.lobby![0]!.id;
    k.send({ type: 'leave' });
    await waitUntil(() => host.lobby?.length === 0, { timeoutMs: 10_000, what: 'the knock to leave' });
    const error = host.nextSignal('error', 10_000);
    host.send({ type: 'lobby-admit', ids: [id] });
    assert.equal((await error).code, 'not-found');
  });

  await t.test('an explicit admit lets a knocker into a room locked since it knocked; new knocks meet the lock', async () => {
    const k = await knock(roomId, 'early');
    await k.next('lobby-waiting');
    await waitUntil(() => host.lobby?.length === 1, { timeoutMs: 10_000, what: 'the knock' });
    cohost.send({ type: 'update-settings', settings: { locked: true } });
    await waitUntil(() => host.room?.settings.locked === true, { timeoutMs: 10_000, what: 'the lock' });
    const late = await knock(roomId, 'late');
    const refused = await late.next('error');
    assert.equal(refused.code, 'room-locked');
    assert.equal(refused.fatal, true);
    const admitted = await http(server!, 'POST', `/api/rooms/${roomId}/lobby/${host.lobby![0]!.id}/admit`, { secret: hostSecret });
    assert.equal(admitted.status, 204, JSON.stringify(admitted.body));
    await k.next('joined');
    k.send({ type: 'leave' });
    host.send({ type: 'update-settings', settings: { locked: false } });
    await waitUntil(() => host.room?.settings.locked === false, { timeoutMs: 10_000, what: 'the unlock' });
  });

  await t.test('turning the lobby off lets everyone waiting in', async () => {
    const knockers = await Promise.all(['x', 'y'].map((n) => knock(roomId, n)));
    await Promise.all(knockers.map((k) => k.next('lobby-waiting')));
    await waitUntil(() => host.lobby?.length === 2, { timeoutMs: 10_000, what: 'two knocks' });
    host.send({ type: 'update-settings', settings: { lobby: false } });
    await Promise.all(knockers.map((k) => k.next('joined')));
    await waitUntil(() => host.lobby?.length === 0, { timeoutMs: 10_000, what: 'the lobby to empty' });
    const direct = await knock(roomId, 'direct');
    await direct.next('joined');
    for (const k of [...knockers, direct]) k.send({ type: 'leave' });
    host.send({ type: 'update-settings', settings: { lobby: true } });
    await waitUntil(() => host.room?.settings.lobby === true, { timeoutMs: 10_000, what: 'the lobby back on' });
  });

  await t.test('knocks are rate-limited per client address', async () => {
    const address = '192.0.2.77';
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const k = await knock(roomId, `knock${i}`, address);
      const reply = await Promise.race([k.next('lobby-waiting'), k.next('error')]);
      codes.push(reply.type === 'error' ? String(reply.code) : 'waiting');
      k.close();
    }
    assert.deepEqual(codes.slice(0, 10), Array(10).fill('waiting'));
    assert.deepEqual(codes.slice(10), ['too-many-attempts', 'too-many-attempts']);
    const other = await knock(roomId, 'elsewhere');
    await other.next('lobby-waiting');
    other.close();
    await waitUntil(() => host.lobby?.length === 0, { timeoutMs: 10_000, what: 'the lobby to empty' });
  });

  await t.test('ending the meeting ends it for the lobby too', async () => {
    const k = await knock(roomId, 'waiting-at-the-end');
    await k.next('lobby-waiting');
    await waitUntil(() => host.lobby?.length === 1, { timeoutMs: 10_000, what: 'the knock' });
    host.send({ type: 'end-meeting' });
    const ended = await k.next('ended');
    assert.equal(ended.reason, 'meeting-ended');
    await k.waitClosed();
    await waitUntil(() => host.ended !== null && cohost.ended !== null, { timeoutMs: 10_000, what: 'everyone to be ended' });
    assert.equal(host.ended?.reason, 'meeting-ended');
    // The link stays valid for a later meeting.
    const again = await joinBot(server!, roomId, 'host again', { hostSecret, publish: AUDIO_ONLY });
    bots.push(again);
    assert.equal(again.joined?.self.role, 'host');
    await assert.rejects(joinBot(server!, 'noSuchRoom000', 'x'), (err: unknown) => err instanceof BotJoinError && err.code === 'room-not-found');
  });
});
