// The authorization matrix: every host-only action, tried by a guest, by a co-host where co-hosts may
// not, by a removed participant and by a socket that never joined, and over HTTP without or with a
// wrong host secret. Each is refused with its error code, and nothing changes: the same participants
// with the same roles and media, the same settings, the same lobby, media still flowing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { BotJoinError, sleep, waitUntil, type Bot, type BotOptions } from '@treff/load';
import type { ClientMessageInput, ErrorCode, LobbyResponse, ParticipantsResponse, RoomSettings } from '@treff/protocol';
import { closeWhenDone, joinBot, roomForBots, startTestServer } from './helpers.js';
import { AUDIO_ONLY, deviceId, http, RawSocket } from './host-helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
const sockets: RawSocket[] = [];
closeWhenDone(() => server, sockets, bots);

async function expectRefused(bot: Bot, message: ClientMessageInput, code: ErrorCode): Promise<void> {
  const reply = bot.nextSignal('error', 10_000);
  assert.ok(bot.send(message as Parameters<Bot['send']>[0]), `${bot.name}: socket closed`);
  const error = await reply;
  assert.equal(error.code, code, `${bot.name} ${JSON.stringify(message)} → ${JSON.stringify(error)}`);
  assert.equal(error.fatal, false, `${bot.name}: a refused action must not end the session`);
  assert.ok(error.message.length > 0);
}

test('every host-only action by someone not allowed is refused and changes nothing', async (t) => {
  server = await startTestServer();
  const room = await roomForBots(server, 'matrix', bots, { publish: AUDIO_ONLY });
  const { roomId, hostSecret } = room;
  const join = (name: string, extra: Partial<BotOptions> = {}) => room.join(name, { deviceId: deviceId(name), ...extra });
  const host = await join('host', { hostSecret });
  const cohost = await join('cohost');
  const guest = await join('guest');
  const victim = await join('victim');
  const removed = await join('removed');

  host.send({ type: 'set-role', participantId: cohost.participantId, role: 'cohost' });
  await waitUntil(() => guest.participants.get(cohost.participantId)?.role === 'cohost', { timeoutMs: 10_000, what: 'the co-host promotion' });
  host.send({ type: 'update-settings', settings: { lobby: true } });
  await waitUntil(() => host.room?.settings.lobby === true, { timeoutMs: 10_000, what: 'the lobby to be on' });
  const knocker = await RawSocket.open(server);
  sockets.push(knocker);
  knocker.join(roomId, { name: 'knocker' });
  await knocker.next('lobby-waiting');
  await waitUntil(() => host.lobby?.length === 1, { timeoutMs: 10_000, what: 'the host to see the knock' });
  const knockId = host.lobby![0]!.id;

  // Removing someone locks the room: the state everything below must leave as it is.
  host.send({ type: 'remove', participantId: removed.participantId });
  await waitUntil(() => removed.ended !== null && !removed.signalingConnected, { timeoutMs: 10_000, what: 'the removed bot to be ended and closed' });
  assert.equal(removed.ended?.reason, 'removed');
  await waitUntil(() => guest.room?.settings.locked === true, { timeoutMs: 10_000, what: 'room-updated with the lock' });

  await guest.waitForPackets(victim.participantId, 'audio', 25, 30_000);
  const snapshot = async () => ({
    participants: (await http<ParticipantsResponse>(server!, 'GET', `/api/rooms/${roomId}/participants`, { secret: hostSecret })).body.participants,
    settings: (await http<RoomSettings>(server!, 'GET', `/api/rooms/${roomId}/settings`, { secret: hostSecret })).body,
    lobby: (await http<LobbyResponse>(server!, 'GET', `/api/rooms/${roomId}/lobby`, { secret: hostSecret })).body.waiting,
  });
  const before = await snapshot();
  assert.deepEqual(before.participants.map((p) => [p.name, p.role]), [['host', 'host'], ['cohost', 'cohost'], ['guest', 'guest'], ['victim', 'guest']]);
  assert.equal(before.settings.locked, true);
  assert.deepEqual(before.lobby.map((e) => e.name), ['knocker']);

  const actionsOn = (targetId: string): ClientMessageInput[] => [
    { type: 'lobby-admit', ids: [knockId] },
    { type: 'lobby-admit', ids: 'all' },
    { type: 'lobby-deny', ids: [knockId] },
    { type: 'remove', participantId: targetId },
    { type: 'remove', participantId: targetId, ban: true },
    { type: 'mute', participantId: targetId, kinds: ['audio', 'video'] },
    { type: 'mute', participantId: 'all', kinds: ['audio'] },
    { type: 'request-unmute', participantId: targetId, kind: 'audio' },
    { type: 'set-role', participantId: targetId, role: 'cohost' },
    { type: 'set-role', participantId: guest.participantId, role: 'host', handOver: true },
    { type: 'update-settings', settings: { locked: false } },
    { type: 'update-settings', settings: { lobby: false, password: 'letmein' } },
    { type: 'end-meeting' },
  ];

  await t.test('a guest: forbidden, every time', async () => {
    for (const action of actionsOn(victim.participantId)) await expectRefused(guest, action, 'forbidden');
    for (const action of actionsOn(host.participantId)) await expectRefused(guest, action, 'forbidden');
  });

  await t.test('a co-host: forbidden for roles, settings other than the lock, ending, and acting on a host', async () => {
    const refused: ClientMessageInput[] = [
      { type: 'set-role', participantId: victim.participantId, role: 'cohost' },
      { type: 'set-role', participantId: cohost.participantId, role: 'host' },
      { type: 'update-settings', settings: { lobby: false } },
      { type: 'update-settings', settings: { locked: false, linkSharing: false } },
      { type: 'update-settings', settings: { password: 'letmein' } },
      { type: 'end-meeting' },
      { type: 'remove', participantId: host.participantId },
      { type: 'remove', participantId: host.participantId, ban: true },
      { type: 'mute', participantId: host.participantId, kinds: ['audio'] },
    ];
    for (const action of refused) await expectRefused(cohost, action, 'forbidden');
  });

  await t.test('unknown targets: not-found, for those who may act', async () => {
    await expectRefused(host, { type: 'remove', participantId: 'nobody-here' }, 'not-found');
    await expectRefused(cohost, { type: 'mute', participantId: 'nobody-here', kinds: ['audio'] }, 'not-found');
    await expectRefused(cohost, { type: 'lobby-admit', ids: ['nobody-waiting'] }, 'not-found');
    await expectRefused(host, { type: 'remove', participantId: host.participantId }, 'bad-request');
  });

  await t.test('a removed participant: its socket is closed, its session cannot be resumed, and it cannot rejoin', async () => {
    assert.equal(removed.signalingConnected, false);
    await assert.rejects(removed.resume(), (err: unknown) => err instanceof BotJoinError && err.code === 'resume-failed');
    await assert.rejects(
      joinBot(server!, roomId, 'removed again', { publish: AUDIO_ONLY, deviceId: deviceId('removed') }),
      (err: unknown) => err instanceof BotJoinError && err.code === 'room-locked',
    );
  });

  await t.test('a socket that never joined: wrong-state for every action', async () => {
    const stranger = await RawSocket.open(server!);
    sockets.push(stranger);
    for (const action of actionsOn(victim.participantId)) await stranger.expectError(action, 'wrong-state', false);
    // A knocker is not in yet either.
    for (const action of actionsOn(victim.participantId)) await knocker.expectError(action, 'wrong-state', false);
  });

  await t.test('HTTP without the host secret (401) or with a wrong one (403)', async () => {
    const p = (id: string) => `/api/rooms/${roomId}/participants/${id}`;
    const calls: [method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown][] = [
      ['GET', `/api/rooms/${roomId}/participants`],
      ['GET', `/api/rooms/${roomId}/lobby`],
      ['POST', `/api/rooms/${roomId}/lobby/${knockId}/admit`],
      ['POST', `/api/rooms/${roomId}/lobby/${knockId}/deny`],
      ['POST', `${p(victim.participantId)}/remove`, { ban: true }],
      ['POST', `${p(victim.participantId)}/mute`, { kinds: ['audio', 'video'] }],
      ['POST', `/api/rooms/${roomId}/mute-all`, {}],
      ['POST', `${p(guest.participantId)}/role`, { role: 'host' }],
      ['POST', `/api/rooms/${roomId}/lock`],
      ['POST', `/api/rooms/${roomId}/unlock`],
      ['GET', `/api/rooms/${roomId}/settings`],
      ['PATCH', `/api/rooms/${roomId}/settings`, { lobby: false, password: 'letmein' }],
      ['POST', `/api/rooms/${roomId}/invites`, { label: 'x' }],
      ['GET', `/api/rooms/${roomId}/invites`],
      ['DELETE', `/api/rooms/${roomId}/invites/abc`],
      ['POST', `/api/rooms/${roomId}/rotate-link`],
      ['POST', `/api/rooms/${roomId}/end`],
      ['DELETE', `/api/rooms/${roomId}/bans`],
    ];
    for (const [method, path, body] of calls) {
      const none = await http(server!, method, path, { body });
      assert.equal(none.status, 401, `${method} ${path} without a secret: ${JSON.stringify(none.body)}`);
      const wrong = await http(server!, method, path, { body, secret: 'x'.repeat(43) });
      assert.equal(wrong.status, 403, `${method} ${path} with a wrong secret: ${JSON.stringify(wrong.body)}`);
      const garbled = await http(server!, method, path, { body, authorization: `Basic ${hostSecret}` });
      assert.equal(garbled.status, 401, `${method} ${path} with the secret not as a bearer token`);
    }
    const invites = await http<{ invites: unknown[] }>(server!, 'GET', `/api/rooms/${roomId}/invites`, { secret: hostSecret });
    assert.deepEqual(invites.body.invites, [], 'no invite was created');
    const unknown = await http(server!, 'POST', '/api/rooms/noSuchRoom123/lock', { secret: hostSecret });
    assert.equal(unknown.status, 404);
  });

  await t.test('nothing changed: participants, roles, media, settings, lobby; media still flows', async () => {
    await sleep(300);
    const after = await snapshot();
    assert.deepEqual(after, before);
    assert.equal((await http(server!, 'GET', `/api/rooms/${roomId}`)).status, 200, 'the room id still works (no rotation)');
    const heard = guest.packetsFrom(victim.participantId, 'audio');
    await guest.waitForPackets(victim.participantId, 'audio', heard + 25, 10_000);
    for (const bot of [host, cohost, guest, victim]) {
      assert.equal(bot.ended, null, `${bot.name} was ended`);
      assert.equal(!bot.signalingConnected, false, `${bot.name} lost its socket`);
      assert.deepEqual(bot.forceMutes, [], `${bot.name} was muted`);
      assert.deepEqual(bot.unmuteRequests, [], `${bot.name} was asked to unmute`);
      assert.deepEqual(bot.localErrors, [], `${bot.name} had bot errors`);
    }
    assert.equal(knocker.closed, false, 'the knocker was turned away');
    assert.equal(knocker.frames.some((f) => f.type === 'joined' || f.type === 'ended'), false);
  });

  await t.test('control: the same actions work for those allowed (a co-host admits the knocker)', async () => {
    cohost.send({ type: 'lobby-admit', ids: [knockId] });
    const joined = await knocker.next('joined');
    assert.equal((joined.self as { name: string }).name, 'knocker');
    await waitUntil(() => host.lobby?.length === 0, { timeoutMs: 10_000, what: 'the lobby to empty' });
  });
});
