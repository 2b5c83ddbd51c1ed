// End-to-end encryption at the server: participants announce identities the server passes on; sealed
// sender keys and key requests reach only whom they are for, with the sender named by the server; sealed
// chat is relayed and kept like text; a room can require E2EE (refusing joins and knocks without it, and
// refusing to require it while someone present cannot), which survives a restart; bad sealed input gets
// clear errors; a key flood is cut off while everyone else keeps their state, but key requests cannot be
// turned into one, a crowd leaving at once costs nobody their connection, and a client that stops reading
// is dropped rather than queued for without end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@treff/server';
import { createRoom, sleep, waitUntil, webSocketUrl } from '@treff/load';
import { LIMITS, type E2eeIdentity, type ParticipantInfo, PROTOCOL_VERSION } from '@treff/protocol';
import { exitWhenDone, startTestServer } from './helpers.js';
import { http, RawSocket, type Frame } from './host-helpers.js';
import WebSocket from 'ws';

const dataDir = mkdtempSync(join(tmpdir(), 'treff-e2ee-'));
let server: RunningServer | undefined;
const sockets: RawSocket[] = [];
exitWhenDone(async () => {
  for (const s of sockets) s.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Shaped like a real identity (87 base64url characters); the server never uses the key itself. */
const identity = (n: number): E2eeIdentity => ({ publicKey: `${'B'.repeat(80)}${String(n).padStart(7, '0')}`, keyTag: 1000 + n });

interface Member {
  socket: RawSocket;
  id: string;
  joined: Frame;
}

async function enter(roomId: string, name: string, extra: Record<string, unknown> = {}): Promise<Member> {
  const socket = await RawSocket.open(server!);
  sockets.push(socket);
  socket.join(roomId, { name, ...extra });
  const joined = await socket.next('joined');
  return { socket, id: (joined.self as ParticipantInfo).id, joined };
}

async function refusedJoin(roomId: string, extra: Record<string, unknown> = {}): Promise<Frame> {
  const socket = await RawSocket.open(server!);
  sockets.push(socket);
  const error = await socket.expectError({ type: 'join', v: PROTOCOL_VERSION, roomId, name: 'incapable', media: { audio: false, video: false }, ...extra }, 'e2ee-required', true);
  await socket.waitClosed();
  return error;
}

const framesOf = (m: Member, type: string): Frame[] => m.socket.frames.filter((f) => f.type === type);

test('e2ee relay', async (t) => {
  server = await startTestServer({ dataDir });
  const { roomId, hostSecret } = await createRoom(server.url, 'e2ee');
  const host = await enter(roomId, 'host', { hostSecret, e2ee: identity(1) });
  const alice = await enter(roomId, 'alice', { e2ee: identity(2) });
  const bob = await enter(roomId, 'bob', { e2ee: identity(3) });
  const plain = await enter(roomId, 'plain');

  await t.test('participant info carries each identity as announced, null for a client without one', async () => {
    assert.deepEqual((host.joined.self as ParticipantInfo).e2ee, identity(1));
    assert.deepEqual((plain.joined.participants as ParticipantInfo[]).map((p) => [p.name, p.e2ee]), [['host', identity(1)], ['alice', identity(2)], ['bob', identity(3)]]);
    assert.equal((plain.joined.self as ParticipantInfo).e2ee, null);
    const arrived = framesOf(host, 'participant-joined').map((f) => f.participant as ParticipantInfo);
    assert.deepEqual(arrived.map((p) => [p.name, p.e2ee]), [['alice', identity(2)], ['bob', identity(3)], ['plain', null]]);
  });

  await t.test('a resumed session keeps its identity', async () => {
    bob.socket.close();
    await sleep(100);
    const socket = await RawSocket.open(server!);
    sockets.push(socket);
    socket.send({ type: 'resume', v: PROTOCOL_VERSION, roomId, participantId: bob.id, resumeToken: String(bob.joined.resumeToken) });
    const resumed = await socket.next('joined');
    assert.equal(resumed.resumed, true);
    assert.deepEqual((resumed.self as ParticipantInfo).e2ee, identity(3));
    bob.socket = socket;
    const later = await enter(roomId, 'later', { e2ee: identity(5) });
    assert.deepEqual((later.joined.participants as ParticipantInfo[]).find((p) => p.id === bob.id)?.e2ee, identity(3));
    later.socket.send({ type: 'leave' });
    await waitUntil(() => framesOf(host, 'participant-left').some((f) => f.participantId === later.id), { timeoutMs: 5000, what: 'later gone' });
  });

  await t.test('sealed keys reach only their recipient, from the sender as the server knows it; unknown recipients are skipped', async () => {
    // `from` fields are the client's attempt to speak for someone else: the server names the sender itself.
    const spoofing: Record<string, unknown> = {
      type: 'e2ee-keys',
      from: bob.id,
      keys: [{ to: bob.id, sealed: 'forBob', from: host.id }, { to: host.id, sealed: 'forHost' }, { to: 'no-such-participant', sealed: 'lost' }, { to: alice.id, sealed: 'self' }],
    };
    alice.socket.send(spoofing);
    await bob.socket.next('e2ee-key');
    await host.socket.next('e2ee-key');
    await sleep(200);
    assert.deepEqual(framesOf(bob, 'e2ee-key'), [{ type: 'e2ee-key', from: alice.id, sealed: 'forBob' }]);
    assert.deepEqual(framesOf(host, 'e2ee-key'), [{ type: 'e2ee-key', from: alice.id, sealed: 'forHost' }]);
    assert.deepEqual([framesOf(alice, 'e2ee-key'), framesOf(plain, 'e2ee-key')], [[], []]);
    assert.deepEqual([alice, bob, host].map((m) => framesOf(m, 'error')), [[], [], []]);
  });

  await t.test('key requests are relayed to each named participant, from the requester', async () => {
    bob.socket.send({ type: 'e2ee-key-request', from: [alice.id, host.id, 'no-such-participant'] });
    assert.deepEqual(await alice.socket.next('e2ee-key-request'), { type: 'e2ee-key-request', from: bob.id });
    assert.deepEqual(await host.socket.next('e2ee-key-request'), { type: 'e2ee-key-request', from: bob.id });
  });

  await t.test('sealed chat goes to everyone or only to `to`, and a late joiner finds the public ones in the history', async () => {
    const sealed = 'AAAAAAAA' + 'x'.repeat(100);
    alice.socket.send({ type: 'chat', sealed });
    bob.socket.send({ type: 'chat', sealed: 'privateToAlice', to: alice.id });
    await waitUntil(() => framesOf(alice, 'chat-message').length === 2, { timeoutMs: 5000, what: 'both messages at alice' });
    const atHost = await host.socket.next('chat-message');
    assert.equal(atHost.sealed, sealed);
    assert.equal(atHost.from, alice.id);
    assert.equal('text' in atHost, false);
    await sleep(200);
    assert.deepEqual(framesOf(host, 'chat-message').map((m) => m.sealed), [sealed], 'the private message reached only alice and bob');
    assert.deepEqual(framesOf(bob, 'chat-message').map((m) => m.sealed), [sealed, 'privateToAlice']);
    const carol = await enter(roomId, 'carol', { e2ee: identity(4) });
    assert.deepEqual((carol.joined.chat as Frame[]).map((m) => [m.from, m.sealed, m.text]), [[alice.id, sealed, undefined]]);
  });

  await t.test('oversized or malformed sealed input is refused with bad-message', async () => {
    const s = alice.socket;
    await s.expectError({ type: 'chat', sealed: 'A'.repeat(LIMITS.sealedChat + 1) }, 'bad-message');
    await s.expectError({ type: 'chat', sealed: 'not base64url!' }, 'bad-message');
    await s.expectError({ type: 'chat', sealed: 'AAAA', text: 'both' }, 'bad-message');
    await s.expectError({ type: 'chat' }, 'bad-message');
    await s.expectError({ type: 'e2ee-keys', keys: [{ to: bob.id, sealed: 'A'.repeat(LIMITS.sealedKey + 1) }] }, 'bad-message');
    await s.expectError({ type: 'e2ee-keys', keys: [] }, 'bad-message');
    await s.expectError({ type: 'e2ee-keys', keys: [{ to: bob.id, sealed: 'a b' }] }, 'bad-message');
    await s.expectError({ type: 'e2ee-key-request', from: [] }, 'bad-message');
    await s.expectError({ type: 'join', v: PROTOCOL_VERSION, roomId, name: 'x', media: { audio: false, video: false } }, 'wrong-state');
    assert.equal(s.closed, false);
    // A client without an identity has nothing to exchange keys with.
    await plain.socket.expectError({ type: 'e2ee-keys', keys: [{ to: bob.id, sealed: 'AAAA' }] }, 'bad-request');
  });

  await t.test('knockers in the lobby cannot send keys or ask for them', async () => {
    host.socket.send({ type: 'update-settings', settings: { lobby: true } });
    await waitUntil(() => framesOf(host, 'room-updated').some((f) => (f.room as { settings: { lobby: boolean } }).settings.lobby), { timeoutMs: 5000, what: 'the lobby on' });
    const knocker = await RawSocket.open(server!);
    sockets.push(knocker);
    knocker.join(roomId, { name: 'knocker', e2ee: identity(9) });
    await knocker.next('lobby-waiting');
    await knocker.expectError({ type: 'e2ee-keys', keys: [{ to: bob.id, sealed: 'AAAA' }] }, 'wrong-state');
    await knocker.expectError({ type: 'e2ee-key-request', from: [bob.id] }, 'wrong-state');
    await sleep(100);
    assert.equal(framesOf(bob, 'e2ee-key').length, 1);
    knocker.close();
  });

  await t.test('requireE2ee cannot be turned on while someone present cannot encrypt, over WebSocket or HTTP', async () => {
    const refused = await host.socket.expectError({ type: 'update-settings', settings: { requireE2ee: true } }, 'bad-request', false);
    assert.match(String(refused.message), /^1 participant in the meeting cannot encrypt end to end/);
    const overHttp = await http<{ error: string; message: string }>(server!, 'PATCH', `/api/rooms/${roomId}/settings`, { secret: hostSecret, body: { requireE2ee: true } });
    assert.equal(overHttp.status, 400);
    assert.match(overHttp.body.message, /1 participant/);
    // Guests may not change it at all.
    await alice.socket.expectError({ type: 'update-settings', settings: { requireE2ee: true } }, 'forbidden');
    plain.socket.send({ type: 'leave' });
    await waitUntil(() => framesOf(host, 'participant-left').some((f) => f.participantId === plain.id), { timeoutMs: 5000, what: 'plain gone' });
    const from = host.socket.frames.length;
    host.socket.send({ type: 'update-settings', settings: { requireE2ee: true } });
    const updated = await host.socket.next('room-updated', from);
    assert.equal((updated.room as { settings: { requireE2ee: boolean } }).settings.requireE2ee, true);
  });

  await t.test('a room requiring e2ee refuses joins and knocks without it (fatal), even with the host link', async () => {
    const before = framesOf(host, 'lobby').length;
    const error = await refusedJoin(roomId);
    assert.match(String(error.message), /requires end-to-end encryption/);
    await refusedJoin(roomId, { hostSecret });
    await sleep(100);
    assert.equal(framesOf(host, 'lobby').length, before, 'nobody without e2ee reached the lobby');
    // A capable knocker still waits as usual.
    const capable = await RawSocket.open(server!);
    sockets.push(capable);
    capable.join(roomId, { name: 'capable', e2ee: identity(10) });
    await capable.next('lobby-waiting');
    capable.close();
  });

  await t.test('a flood of keys is cut off while everyone else keeps their state; a burst of rotations is not', async () => {
    // One rotation per departure: a hundred departures at once must pass without an error.
    for (let i = 0; i < 100; i++) bob.socket.send({ type: 'e2ee-keys', keys: [{ to: host.id, sealed: `rotation${i}` }] });
    await waitUntil(() => framesOf(host, 'e2ee-key').filter((f) => f.from === bob.id).length === 100, { timeoutMs: 10_000, what: '100 rotations at the host' });
    assert.deepEqual(framesOf(bob, 'error'), []);

    // A room of 50 seats (the default size): a burst of 50² keys, refilled at 20 a second per seat.
    const burst = 50 * 50;
    const perSecond = 20 * 50;
    const floodFrom = alice.socket.frames.length;
    const started = performance.now();
    for (let i = 0; i < 4 * burst; i++) alice.socket.send({ type: 'e2ee-keys', keys: [{ to: host.id, sealed: `flood${i}` }] });
    await alice.socket.waitClosed();
    const seconds = (performance.now() - started) / 1000;
    const errors = alice.socket.frames.slice(floodFrom).filter((f) => f.type === 'error');
    assert.ok(errors.length > 0 && errors.every((e) => e.code === 'rate-limited'), JSON.stringify(errors.slice(0, 3)));
    assert.equal(errors.at(-1)?.fatal, true);
    await waitUntil(() => framesOf(host, 'participant-left').some((f) => f.participantId === alice.id), { timeoutMs: 5000, what: 'the flooder gone' });
    const flooded = framesOf(host, 'e2ee-key').filter((f) => f.from === alice.id).length - 1;
    // The burst (less the few keys alice sent before), what refilled meanwhile, and nothing after the cut-off.
    assert.ok(flooded >= burst - 10 && flooded <= burst + perSecond * seconds, `${flooded} flood keys got through in ${seconds.toFixed(2)} s`);
    // Everyone else is still there and can still exchange keys.
    assert.equal(host.socket.closed || bob.socket.closed, false);
    const from = bob.socket.frames.length;
    host.socket.send({ type: 'e2ee-keys', keys: [{ to: bob.id, sealed: 'afterFlood' }] });
    assert.equal((await bob.socket.next('e2ee-key', from)).sealed, 'afterFlood');
    assert.deepEqual(framesOf(host, 'error').filter((e) => e.code !== 'bad-request' || !/1 participant/.test(String(e.message))), []);
  });

  await t.test('one key sealed many times for one recipient is refused; a requester reaches each participant once per interval, who can answer and rotate as usual', async () => {
    const { roomId: room } = await createRoom(server!.url, 'key requests');
    const attacker = await enter(room, 'attacker', { e2ee: identity(21) });
    const asked = await enter(room, 'asked', { e2ee: identity(22) });
    const other = await enter(room, 'other', { e2ee: identity(23) });
    const copies = Array.from({ length: 450 }, () => ({ to: asked.id, sealed: 'A'.repeat(LIMITS.sealedKey) }));
    const refused = await attacker.socket.expectError({ type: 'e2ee-keys', keys: copies }, 'bad-message', false);
    assert.match(String(refused.message), /each recipient once/);

    // The asked client answers every request it gets, as the SDK does.
    let answered = 0;
    const answering = setInterval(() => {
      for (const request of framesOf(asked, 'e2ee-key-request').slice(answered)) {
        asked.socket.send({ type: 'e2ee-keys', keys: [{ to: String(request.from), sealed: 'AAAA' }] });
        answered++;
      }
    }, 5);
    for (let i = 0; i < 1000; i++) attacker.socket.send({ type: 'e2ee-key-request', from: [asked.id, other.id] });
    other.socket.send({ type: 'e2ee-key-request', from: [asked.id] });
    await waitUntil(() => framesOf(other, 'e2ee-key').length === 1 && framesOf(attacker, 'e2ee-key').length === 1, { timeoutMs: 5000, what: 'the answers' });
    await sleep(500);
    clearInterval(answering);
    assert.deepEqual(framesOf(asked, 'e2ee-key-request').map((f) => f.from).sort(), [attacker.id, other.id].sort());
    assert.deepEqual(framesOf(other, 'e2ee-key-request').map((f) => f.from), [attacker.id]);
    assert.deepEqual(framesOf(attacker, 'e2ee-key').map((f) => f.from), [asked.id]);

    for (let i = 0; i < 250; i++) asked.socket.send({ type: 'e2ee-keys', keys: [{ to: attacker.id, sealed: 'BBBB' }, { to: other.id, sealed: 'BBBB' }] });
    await waitUntil(() => framesOf(other, 'e2ee-key').length === 251, { timeoutMs: 10_000, what: '250 rotations at the other' });
    assert.deepEqual([attacker, asked, other].map((m) => [framesOf(m, 'error'), m.socket.closed]), [[[refused], false], [[], false], [[], false]]);
  });

  await t.test('when most of a full room leaves at once, a rotation per departure for everyone remaining costs nobody their connection', async () => {
    const seats = 40;
    const { roomId: room } = await createRoom(server!.url, { title: 'crowd', settings: { maxParticipants: seats } });
    const crowd: Member[] = [];
    for (let i = 0; i < seats; i++) crowd.push(await enter(room, `p${i}`, { e2ee: identity(100 + i) }));
    const stayers = crowd.slice(0, 5);
    const leavers = crowd.slice(5);
    // Each stayer rotates once per departure it sees, sealing for everyone it has not yet seen leave.
    const seen = new Map(stayers.map((s) => [s, 0]));
    const rotating = setInterval(() => {
      for (const stayer of stayers) {
        const left = framesOf(stayer, 'participant-left');
        for (; seen.get(stayer)! < left.length; seen.set(stayer, seen.get(stayer)! + 1)) {
          const gone = new Set(left.slice(0, seen.get(stayer)! + 1).map((f) => f.participantId));
          const keys = crowd.filter((m) => m !== stayer && !gone.has(m.id)).map((m) => ({ to: m.id, sealed: 'CCCC' }));
          stayer.socket.send({ type: 'e2ee-keys', keys });
        }
      }
    }, 2);
    for (const leaver of leavers) leaver.socket.send({ type: 'leave' });
    const rotations = leavers.length * (stayers.length - 1);
    await waitUntil(() => stayers.every((s) => framesOf(s, 'e2ee-key').length === rotations), {
      timeoutMs: 20_000,
      what: 'every stayer gets every other stayer’s rotations',
      describe: () => JSON.stringify(stayers.map((s) => [framesOf(s, 'e2ee-key').length, framesOf(s, 'error')])),
    });
    clearInterval(rotating);
    assert.deepEqual(stayers.map((s) => [framesOf(s, 'error'), s.socket.closed]), stayers.map(() => [[], false]));
  });

  await t.test('a client that stops reading is dropped instead of queued for without end, and may resume', async () => {
    const { roomId: room } = await createRoom(server!.url, { title: 'stalled', settings: { maxParticipants: 100 } });
    const ws = new WebSocket(webSocketUrl(server!.url));
    await once(ws, 'open');
    const received: Frame[] = [];
    let closed = false;
    ws.on('message', (data) => received.push(JSON.parse(String(data)) as Frame));
    ws.on('close', () => (closed = true));
    ws.send(JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId: room, name: 'stalled', media: { audio: false, video: false }, e2ee: identity(200) }));
    await waitUntil(() => received.some((f) => f.type === 'joined'), { timeoutMs: 5000, what: 'the stalled client in' });
    const joined = received.find((f) => f.type === 'joined')!;
    const stalledId = (joined.self as ParticipantInfo).id;
    const senders: Member[] = [];
    for (let i = 0; i < 8; i++) senders.push(await enter(room, `sender${i}`, { e2ee: identity(201 + i) }));
    ws.pause();

    // Each sender's whole burst (100² keys in a room of 100), all for the client that no longer reads:
    // about 48 MB, far beyond the 16 MiB the server holds for one client plus what the kernel buffers.
    const perSender = 100 * 100;
    const sealed = 'D'.repeat(LIMITS.sealedKey);
    for (let i = 0; i < perSender; i++) for (const sender of senders) sender.socket.send({ type: 'e2ee-keys', keys: [{ to: stalledId, sealed }] });
    // Once a sender's last message was handled, the server has sent (or refused to queue) all its keys: each
    // asks the next for its key, and the next hears of it.
    senders.forEach((sender, i) => sender.socket.send({ type: 'e2ee-key-request', from: [senders[(i + 1) % senders.length]!.id] }));
    await waitUntil(() => senders.every((s) => framesOf(s, 'e2ee-key-request').length > 0), { timeoutMs: 60_000, what: 'the senders’ floods handled' });
    ws.resume();
    await waitUntil(() => closed, { timeoutMs: 30_000, what: 'the stalled client dropped', describe: () => `${received.length} frames read` });
    const keys = received.filter((f) => f.type === 'e2ee-key').length;
    assert.ok(keys < senders.length * perSender, `${keys} keys reached the stalled client before it was dropped`);
    assert.deepEqual(senders.map((s) => [framesOf(s, 'error'), s.socket.closed]), senders.map(() => [[], false]));

    const back = await RawSocket.open(server!);
    sockets.push(back);
    back.send({ type: 'resume', v: PROTOCOL_VERSION, roomId: room, participantId: stalledId, resumeToken: String(joined.resumeToken) });
    assert.equal((await back.next('joined')).resumed, true);
  });

  await t.test('requireE2ee survives a restart', async () => {
    for (const s of sockets) s.close();
    await server!.close();
    server = await startTestServer({ dataDir });
    const settings = await http<{ requireE2ee: boolean }>(server, 'GET', `/api/rooms/${roomId}/settings`, { secret: hostSecret });
    assert.equal(settings.body.requireE2ee, true);
    await refusedJoin(roomId, { hostSecret });
    const capable = await enter(roomId, 'capable host', { hostSecret, e2ee: identity(11) });
    assert.deepEqual((capable.joined.self as ParticipantInfo).e2ee, identity(11));
  });
});
