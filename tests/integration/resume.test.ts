// Signaling resume (docs/signaling.md, "Dropped sockets"): a participant whose WebSocket drops keeps
// its place and its PeerConnection for a grace period; it reconnects with `resume` and its token and
// carries on as if nothing happened. One that does not come back is removed when the grace period ends.
//
// The sockets are terminated (no WebSocket close handshake, RFC 6455 §7.1.1, and no `leave`), as a
// lost network or a killed tab would do it. Both tests run with a short grace period, so the second
// can watch it expire and the first can check that a resume really cancels the expiry.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { BotJoinError, sleep, waitUntil, type Bot } from '@treff/load';
import type { CreateRoomResponse } from '@treff/protocol';
import { api } from './api-client.js';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

const GRACE_MS = 1500;

const servers: RunningServer[] = [];
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  for (const s of servers) await s.close();
});

async function startGraceServer(): Promise<RunningServer> {
  const server = await startTestServer({ reconnectGraceMs: GRACE_MS });
  servers.push(server);
  return server;
}

/** Resolves once `bot` has received `more` further packets of `kind` from `from` (counts, not speed). */
async function packetsGrow(bot: Bot, from: Bot, kind: 'audio' | 'video', more: number): Promise<void> {
  await bot.waitForPackets(from.participantId, kind, bot.packetsFrom(from.participantId, kind) + more, 30_000);
}

test('a participant whose socket drops resumes with its token; media never stops and nobody sees it leave', async () => {
  const server = await startGraceServer();
  const roomId = await newRoom(server);
  const other = await joinBot(server, roomId, 'other');
  bots.push(other);
  const dropper = await joinBot(server, roomId, 'dropper');
  bots.push(dropper);
  await dropper.waitForPackets(other.participantId, 'video', 25, 45_000);
  await other.waitForPackets(dropper.participantId, 'video', 25, 45_000);
  const token = dropper.joined?.resumeToken;
  assert.ok(token, 'no resume token in joined');

  dropper.dropSignaling();
  const droppedAt = Date.now();
  // The server keeps the PeerConnection: media flows both ways while there is no signaling at all.
  // (A 700 ms outage at 50 packets/s leaves room for 25 packets; 10 allow for a loaded machine.)
  const receivedAtDrop = dropper.packetsFrom(other.participantId, 'video');
  const sentAtDrop = other.packetsFrom(dropper.participantId, 'video');
  await waitUntil(() => !dropper.signalingConnected, { timeoutMs: 5000, what: 'the socket to close' });

  // A wrong token is refused — and the refusal must not end the real session.
  await assert.rejects(
    dropper.resume({ resumeToken: 'x'.repeat(token.length) }),
    (err: unknown) => err instanceof BotJoinError && err.code === 'resume-failed',
    'a resume with a wrong token was not refused with resume-failed',
  );
  await sleep(Math.max(0, 700 - (Date.now() - droppedAt)));
  const receivedDuringOutage = dropper.packetsFrom(other.participantId, 'video') - receivedAtDrop;
  const sentDuringOutage = other.packetsFrom(dropper.participantId, 'video') - sentAtDrop;

  const joined = await dropper.resume();
  const resumedAfterMs = Date.now() - droppedAt;
  assert.equal(joined.resumed, true);
  assert.equal(joined.self.id, dropper.participantId);
  assert.equal(joined.resumeToken, token);
  assert.deepEqual(
    joined.participants.map((p) => p.id),
    [other.participantId],
    'the resumed joined does not list the other participant',
  );
  // Only meaningful if the resume came within the grace period, which it must have for `joined`.
  assert.ok(resumedAfterMs < GRACE_MS, `resume took ${resumedAfterMs} ms, longer than the grace period`);
  assert.ok(receivedDuringOutage >= 10, `only ${receivedDuringOutage} video packets reached the dropped bot during the outage`);
  assert.ok(sentDuringOutage >= 10, `only ${sentDuringOutage} video packets of the dropped bot were forwarded during the outage`);

  // Well past the original grace period: the resume cancelled the removal, and media keeps flowing.
  await sleep(GRACE_MS + 1000);
  assert.deepEqual(other.participantsLeft, [], 'the other bot saw the resumed participant leave');
  await packetsGrow(dropper, other, 'video', 25);
  await packetsGrow(other, dropper, 'video', 25);
  await packetsGrow(dropper, other, 'audio', 25);

  // Signaling works again on the new socket: muting reaches the other side.
  dropper.setMedia({ audio: false, video: true });
  await waitUntil(() => other.participants.get(dropper.participantId)?.media.audio === false, {
    timeoutMs: 10_000,
    what: 'the other bot to see the resumed bot mute',
  });

  assert.deepEqual(other.participantsLeft, [], 'the other bot saw the resumed participant leave');
  assert.equal(dropper.resumes, 1);
  for (const bot of [other, dropper]) {
    assert.deepEqual(bot.errors, [], `${bot.name}: server errors`);
    assert.deepEqual(bot.localErrors, [], `${bot.name}: local errors`);
  }
  // One continuous stream each way: the PeerConnection was never renegotiated from scratch.
  assert.equal(dropper.streamsFrom(other.participantId, 'video').length, 1);
  assert.equal(other.streamsFrom(dropper.participantId, 'video').length, 1);
});

test('a participant that does not come back within the grace period is removed', async () => {
  const server = await startGraceServer();
  const roomId = await newRoom(server);
  const other = await joinBot(server, roomId, 'other');
  bots.push(other);
  const leaver = await joinBot(server, roomId, 'leaver');
  bots.push(leaver);
  await other.waitForPackets(leaver.participantId, 'video', 25, 45_000);
  const leaverId = leaver.participantId;

  leaver.dropSignaling();
  const droppedAt = Date.now();
  // Not at once: the place is kept for the grace period (checked well inside it).
  await sleep(GRACE_MS / 3);
  assert.deepEqual(other.participantsLeft, [], 'the participant was removed before its grace period ended');

  await waitUntil(() => other.participantsLeft.includes(leaverId), {
    timeoutMs: GRACE_MS + 20_000,
    what: 'participant-left after the grace period',
  });
  const removedAfterMs = Date.now() - droppedAt;
  assert.ok(removedAfterMs >= GRACE_MS - 100, `removed after ${removedAfterMs} ms, before the grace period of ${GRACE_MS} ms`);
  assert.equal(other.participants.has(leaverId), false);

  // Too late now: the session is gone.
  await assert.rejects(
    leaver.resume(),
    (err: unknown) => err instanceof BotJoinError && err.code === 'resume-failed',
    'a resume after the grace period was not refused',
  );
  assert.deepEqual(other.errors, []);
  assert.deepEqual(other.localErrors, []);
});

test('a participant whose socket was down while the link rotated and a host muted them resumes with the old id and is told both', async () => {
  const server = await startGraceServer();
  const room = (await api<CreateRoomResponse>(server, 'POST', '/api/rooms', { body: {} })).body;
  const other = await joinBot(server, room.roomId, 'other');
  const away = await joinBot(server, room.roomId, 'away');
  bots.push(other, away);
  away.dropSignaling();
  const rotated = (await api<CreateRoomResponse>(server, 'POST', `/api/rooms/${room.roomId}/rotate-link`, { bearer: room.hostSecret })).body;
  assert.equal((await api(server, 'POST', `/api/rooms/${rotated.roomId}/participants/${away.participantId}/mute`, { bearer: rotated.hostSecret, body: { kinds: ['audio'] } })).status, 204);
  assert.equal(away.forceMutes.length, 0, 'the socket was down');

  const joined = await away.resume();
  assert.equal(joined.resumed, true);
  assert.equal(joined.room.id, rotated.roomId);
  await waitUntil(() => away.forceMutes.length === 1, { timeoutMs: 5000, what: 'the missed force-mute repeated on resume' });
  assert.deepEqual(away.forceMutes[0], { type: 'force-mute', kinds: ['audio'], by: null });
  assert.equal(away.roomId, rotated.roomId);
});
