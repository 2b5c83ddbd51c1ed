// The host HTTP API's own contract: bodies are schema-checked (400 with the field named), settings are
// validated against the room and the server, actions on people need a meeting going on, and what it
// does reaches the people in the meeting exactly as the WebSocket actions do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { createRoom } from '@treff/load';
import type { ParticipantsResponse, RoomSettings } from '@treff/protocol';
import { closeWhenDone, startTestServer } from './helpers.js';
import { http, RawSocket } from './host-helpers.js';

let server: RunningServer | undefined;
const sockets: RawSocket[] = [];
closeWhenDone(() => server, sockets);

async function participant(roomId: string, name: string, extra: Record<string, unknown> = {}): Promise<{ socket: RawSocket; id: string }> {
  const socket = await RawSocket.open(server!);
  sockets.push(socket);
  socket.join(roomId, { name, ...extra });
  const joined = await socket.next('joined');
  return { socket, id: (joined.self as { id: string }).id };
}

test('host HTTP API', async (t) => {
  server = await startTestServer({ maxParticipantsPerRoom: 80 });
  const { roomId, hostSecret } = await createRoom(server.url, 'api');
  const secret = hostSecret;

  await t.test('settings: read, change, validated against the room and the server', async () => {
    const read = await http<RoomSettings>(server!, 'GET', `/api/rooms/${roomId}/settings`, { secret });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, {
      joinMode: 'link', lobby: false, locked: false, passwordRequired: false, linkSharing: true, discoverable: false,
      maxParticipants: 50, autoPromote: true, requireE2ee: false, multipleScreenShares: false, groupId: null,
    });
    const changed = await http<RoomSettings>(server!, 'PATCH', `/api/rooms/${roomId}/settings`, { secret, body: { maxParticipants: 80, discoverable: true, password: 'pw', multipleScreenShares: true } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.multipleScreenShares, true);
    assert.equal(changed.body.maxParticipants, 80);
    assert.equal(changed.body.passwordRequired, true);
    assert.equal('password' in changed.body || 'passwordHash' in changed.body, false, 'the password never leaves the server');
    const bad: [unknown, RegExp][] = [
      [{ maxParticipants: 81 }, /at most 80/],
      [{ joinMode: 'group' }, /group/],
      [{ lobby: 'yes' }, /lobby/],
      [{ maxParticipants: 1 }, /maxParticipants/],
      [{ password: '' }, /password/],
    ];
    for (const [body, message] of bad) {
      const res = await http<{ error: string; message: string }>(server!, 'PATCH', `/api/rooms/${roomId}/settings`, { secret, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error, 'bad-request');
      assert.match(res.body.message, message);
    }
    const cleared = await http<RoomSettings>(server!, 'PATCH', `/api/rooms/${roomId}/settings`, { secret, body: { password: null, discoverable: false } });
    assert.equal(cleared.body.passwordRequired, false);
    assert.equal(cleared.body.maxParticipants, 80, 'absent fields stay as they are');
  });

  await t.test('without a meeting: lock and unlock are stored, actions on people are 404, end is a no-op', async () => {
    assert.equal((await http<RoomSettings>(server!, 'POST', `/api/rooms/${roomId}/lock`, { secret })).body.locked, true);
    assert.equal((await http<RoomSettings>(server!, 'GET', `/api/rooms/${roomId}/settings`, { secret })).body.locked, true);
    assert.equal((await http<RoomSettings>(server!, 'POST', `/api/rooms/${roomId}/unlock`, { secret })).body.locked, false);
    assert.deepEqual((await http<ParticipantsResponse>(server!, 'GET', `/api/rooms/${roomId}/participants`, { secret })).body, { participants: [] });
    assert.equal((await http(server!, 'POST', `/api/rooms/${roomId}/participants/abc/remove`, { secret })).status, 404);
    assert.equal((await http(server!, 'POST', `/api/rooms/${roomId}/mute-all`, { secret })).status, 404);
    assert.equal((await http(server!, 'POST', `/api/rooms/${roomId}/end`, { secret })).status, 204);
  });

  await t.test('with a meeting: participants, roles, mute-all and end reach the people in it', async () => {
    const host = await participant(roomId, 'Host', { hostSecret });
    const guest = await participant(roomId, 'Guest');
    const listed = await http<ParticipantsResponse>(server!, 'GET', `/api/rooms/${roomId}/participants`, { secret });
    assert.deepEqual(listed.body.participants.map((p) => [p.id, p.name, p.role]), [[host.id, 'Host', 'host'], [guest.id, 'Guest', 'guest']]);

    const badRole = await http(server!, 'POST', `/api/rooms/${roomId}/participants/${guest.id}/role`, { secret, body: { role: 'king' } });
    assert.equal(badRole.status, 400);
    const from = guest.socket.frames.length;
    assert.equal((await http(server!, 'POST', `/api/rooms/${roomId}/participants/${guest.id}/role`, { secret, body: { role: 'cohost' } })).status, 204);
    const updated = await guest.socket.next('participant-updated', from);
    assert.equal((updated.participant as { role: string }).role, 'cohost');
    assert.notEqual(((await guest.socket.next('room-updated', from)).room as { link: string | null }).link, null);
    const lastHost = await http(server!, 'POST', `/api/rooms/${roomId}/participants/${host.id}/role`, { secret, body: { role: 'guest' } });
    assert.deepEqual([lastHost.status, lastHost.body.error], [400, 'bad-request'], 'the last host is not demoted, and nobody would be promoted');

    const badMute = await http(server!, 'POST', `/api/rooms/${roomId}/mute-all`, { secret, body: { kinds: ['smell'] } });
    assert.equal(badMute.status, 400);
    const guest2 = await participant(roomId, 'Guest 2');
    assert.equal((await http(server!, 'POST', `/api/rooms/${roomId}/mute-all`, { secret, body: {} })).status, 204);
    const muted = await guest2.socket.next('force-mute');
    assert.deepEqual(muted.kinds, ['audio'], 'audio by default');
    assert.equal(muted.by, null);
    assert.equal(guest.socket.frames.some((f) => f.type === 'force-mute'), false, 'co-hosts are spared');

    assert.equal((await http(server!, 'POST', `/api/rooms/${roomId}/end`, { secret })).status, 204);
    for (const p of [host, guest, guest2]) {
      assert.equal((await p.socket.next('ended')).reason, 'meeting-ended');
      await p.socket.waitClosed();
    }
    assert.deepEqual((await http<ParticipantsResponse>(server!, 'GET', `/api/rooms/${roomId}/participants`, { secret })).body.participants, []);
  });
});
