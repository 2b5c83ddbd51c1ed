// Room passwords: required of guests (not of hosts), checked with scrypt off the event loop, and wrong
// guesses throttled per client address (5 a minute) and per room (20 a minute). X-Forwarded-For counts
// only behind a trusted proxy, so a client cannot dodge the limit by inventing addresses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { createRoom, sleep, type Bot } from '@treff/load';
import type { ParticipantsResponse } from '@treff/protocol';
import { exitWhenDone, joinBot, startTestServer } from './helpers.js';
import { http, RawSocket } from './host-helpers.js';

const servers: RunningServer[] = [];
const sockets: RawSocket[] = [];
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const s of sockets) s.close();
  for (const b of bots) b.close();
  for (const s of servers) await s.close();
});

const PASSWORD = 'open sesame';

async function passwordRoom(server: RunningServer): Promise<{ roomId: string; hostSecret: string }> {
  const { roomId, hostSecret } = await createRoom(server.url, 'password');
  const res = await http(server, 'PATCH', `/api/rooms/${roomId}/settings`, { secret: hostSecret, body: { password: PASSWORD } });
  assert.equal(res.status, 200);
  assert.equal((res.body as { passwordRequired: boolean }).passwordRequired, true);
  return { roomId, hostSecret };
}

/** One join attempt from `address` (as X-Forwarded-For); resolves with 'joined' or the error code. */
async function attempt(server: RunningServer, roomId: string, password: string | undefined, address: string): Promise<string> {
  const socket = await RawSocket.open(server, { 'x-forwarded-for': address });
  sockets.push(socket);
  socket.join(roomId, password === undefined ? {} : { password });
  const reply = await Promise.race([socket.next('joined', 0, 20_000), socket.next('error', 0, 20_000)]);
  if (reply.type === 'error') {
    assert.equal(reply.fatal, true, 'a refused join is fatal');
    await socket.waitClosed();
    return String(reply.code);
  }
  socket.send({ type: 'leave' });
  return 'joined';
}

test('passwords and their throttling', async (t) => {
  await t.test('guests need the password; hosts do not', async () => {
    const server = await startTestServer();
    servers.push(server);
    const { roomId, hostSecret } = await passwordRoom(server);
    assert.equal(await attempt(server, roomId, undefined, '1.1.1.1'), 'password-required');
    assert.equal(await attempt(server, roomId, 'sesame', '1.1.1.1'), 'wrong-password');
    assert.equal(await attempt(server, roomId, PASSWORD, '1.1.1.1'), 'joined');
    const host = await joinBot(server, roomId, 'host', { hostSecret, publish: { audio: false, video: false } });
    bots.push(host);
    assert.equal(host.joined?.room.settings.passwordRequired, true);
    assert.equal(host.joined?.self.role, 'host');
  });

  await t.test('per address: after 5 wrong guesses even the right one is refused; invented X-Forwarded-For does not help', async () => {
    const server = await startTestServer({ trustProxy: false });
    servers.push(server);
    const { roomId } = await passwordRoom(server);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await attempt(server, roomId, `guess ${i}`, `203.0.113.${i}`));
    assert.deepEqual(codes, Array(5).fill('wrong-password'));
    assert.equal(await attempt(server, roomId, PASSWORD, '203.0.113.99'), 'too-many-attempts');
  });

  await t.test('per room: 20 wrong guesses from anywhere close it to guesses for a while; other rooms are not affected', async () => {
    const server = await startTestServer({ trustProxy: true });
    servers.push(server);
    const target = await passwordRoom(server);
    const other = await passwordRoom(server);
    // Right guesses are refunded: these do not use up the address's attempts.
    for (let i = 0; i < 3; i++) assert.equal(await attempt(server, other.roomId, PASSWORD, '198.51.100.1'), 'joined');
    const codes: string[] = [];
    for (let a = 0; a < 4; a++) for (let i = 0; i < 5; i++) codes.push(await attempt(server, target.roomId, `guess ${a}.${i}`, `198.51.100.${10 + a}`));
    assert.deepEqual(codes, Array(20).fill('wrong-password'));
    assert.equal(await attempt(server, target.roomId, PASSWORD, '198.51.100.50'), 'too-many-attempts', 'a fresh address meets the room’s limit');
    assert.equal(await attempt(server, other.roomId, PASSWORD, '198.51.100.50'), 'joined', 'another room is not affected');
    assert.equal(await attempt(server, other.roomId, 'wrong', '198.51.100.1'), 'wrong-password', 'the right guesses did not count');
  });

  await t.test('a socket that closes while its password is checked leaves nothing behind', async () => {
    const server = await startTestServer();
    servers.push(server);
    const { roomId, hostSecret } = await passwordRoom(server);
    for (let i = 0; i < 3; i++) {
      const socket = await RawSocket.open(server);
      socket.join(roomId, { password: PASSWORD, name: `gone${i}` });
      socket.close();
    }
    await sleep(1500);
    const participants = await http<ParticipantsResponse>(server, 'GET', `/api/rooms/${roomId}/participants`, { secret: hostSecret });
    assert.deepEqual(participants.body.participants, []);
    assert.equal(await attempt(server, roomId, PASSWORD, '127.0.0.1'), 'joined', 'the server still serves');
  });
});
