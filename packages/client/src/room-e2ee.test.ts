import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type ChatMessage, type ClientMessage, type E2eeIdentity, type ParticipantInfo } from '@treff/protocol';
import { E2eeSession, type E2eeState } from './e2ee/e2ee-session.js';
import { Room } from './room.js';
import { asPeerConnection, FakePeerConnection, FakeTimers, fakeSdp, fakeSockets, flush, type FakeSocket } from './testing/fakes.js';
import { LocalFrames } from './testing/local-frames.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';

const settings = (requireE2ee = false) => ({ ...ROOM_SETTINGS, requireE2ee });
const info = (id: string, e2ee: E2eeIdentity | null): ParticipantInfo => ({ id, name: id, role: 'guest', media: { audio: false, video: false }, joinedAt: 1, e2ee });
const joined = (self: ParticipantInfo, participants: ParticipantInfo[], extra: Record<string, unknown> = {}) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: { id: 'room1', title: 'T', settings: settings(), link: null }, self, participants,
  resumeToken: 'tok', resumed: false, activeSpeakerId: null, ...extra,
});

/** Another participant's real key schedule, whose messages the test carries to and from the Room. */
async function peer(id: string) {
  const outbox: ClientMessage[] = [];
  const frames = new LocalFrames();
  const session = new E2eeSession({ frames, enabled: true, send: (m) => (outbox.push(m), true) });
  const identity = (await session.identity())!;
  return { id, session, frames, identity, info: info(id, identity), outbox };
}
type Peer = Awaited<ReturnType<typeof peer>>;

async function setup(options: { e2ee?: boolean; frames?: boolean } = {}) {
  const { sockets, factory } = fakeSockets();
  const timers = new FakeTimers();
  const frames = new LocalFrames();
  const pcs: FakePeerConnection[] = [];
  const room = new Room({
    url: 'ws://x/ws', roomId: 'room1', name: 'Ada', createSocket: factory, timers,
    ...(options.e2ee === undefined ? {} : { e2ee: options.e2ee }),
    createFrameEncryption: () => (options.frames === false ? null : frames),
    createPeerConnection: () => {
      const pc = new FakePeerConnection();
      frames.log = pc.log;
      pcs.push(pc);
      return asPeerConnection(pc);
    },
  });
  const states: E2eeState[] = [];
  room.events.on('e2ee', (s) => states.push(s));
  const joining = room.join({});
  const socket = sockets[0]!;
  socket.handlers.open();
  // Generating our identity takes a moment; the join waits for it.
  await waitFor(() => socket.sentOfType('join').length > 0);
  return { room, socket, sockets, timers, frames, pcs, states, joining };
}

/** Joins with `peers` present; each peer learns of us as the server would tell it. */
async function joinWith(peers: Peer[], extra: Record<string, unknown> = {}) {
  const ctx = await setup();
  const join = ctx.socket.sentOfType('join')[0]!;
  const self = info('me', join.e2ee as E2eeIdentity);
  for (const p of peers) p.session.participant(self);
  ctx.socket.deliver(joined(self, peers.map((p) => p.info), extra));
  await ctx.joining;
  await settle(ctx.socket, peers);
  return { ...ctx, self };
}

/** Carries e2ee messages between the Room's socket and the peers until nothing moves. */
async function settle(socket: FakeSocket, peers: Peer[]) {
  let carried = 0;
  let quiet = 0;
  // WebCrypto work finishes on its own schedule: stop after a few rounds in which nothing moved.
  for (let round = 0; round < 60 && quiet < 3; round++) {
    // WebCrypto runs on other threads: give it real time, not just turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await flush();
    for (const p of peers) await p.session.idle();
    await flush();
    const fromRoom = socket.sent.slice(carried) as ClientMessage[];
    carried = socket.sent.length;
    let moved = false;
    for (const m of fromRoom) {
      if (m.type === 'e2ee-keys') for (const k of m.keys) peers.find((p) => p.id === k.to)?.session.keyReceived('me', k.sealed);
      if (m.type === 'e2ee-key-request') for (const id of m.from) peers.find((p) => p.id === id)?.session.keyRequested('me');
      moved ||= m.type.startsWith('e2ee');
    }
    for (const p of peers) {
      for (const m of p.outbox.splice(0)) {
        if (m.type === 'e2ee-keys') for (const k of m.keys) if (k.to === 'me') socket.deliver({ type: 'e2ee-key', from: p.id, sealed: k.sealed });
        if (m.type === 'e2ee-key-request' && m.from.includes('me')) socket.deliver({ type: 'e2ee-key-request', from: p.id });
        moved = true;
      }
    }
    quiet = moved ? 0 : quiet + 1;
  }
}

async function waitFor(condition: () => boolean) {
  const until = Date.now() + 5000;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.ok(condition(), 'waited in vain');
}

const keysTo = (socket: FakeSocket) => socket.sentOfType('e2ee-keys').map((m) => (m.keys as { to: string }[]).map((k) => k.to));

test('join announces our identity; with everyone able the meeting is encrypted and our key goes to each', async () => {
  const bob = await peer('bob');
  const { room, socket, self, states } = await joinWith([bob]);
  const join = socket.sentOfType('join')[0]!;
  assert.match((join.e2ee as E2eeIdentity).publicKey, /^[A-Za-z0-9_-]{87}$/);
  assert.deepEqual(room.e2ee, { supported: true, status: 'encrypted', blockers: [], epoch: 0, required: false, identityChanged: [] });
  assert.equal(states.at(-1)?.status, 'encrypted');
  assert.deepEqual(keysTo(socket), [['bob']]);
  // Bob got our key: he decrypts what our frames would carry.
  const ours = await room.e2eeStats();
  assert.equal(ours.encryptedFrames, 0);
  assert.equal(bob.frames.ring.has(self.e2ee!.keyTag), true);
  assert.equal(await room.safetyCode('bob'), await bob.session.safetyCode('me'));
  room.leave();
});

test('a newcomer gets our ratcheted key only; a departure rotates and re-keys everyone left; key requests are answered', async () => {
  const bob = await peer('bob');
  const carol = await peer('carol');
  const { room, socket } = await joinWith([bob]);
  socket.deliver({ type: 'participant-joined', participant: carol.info });
  await settle(socket, [bob, carol]);
  assert.equal(room.e2ee.epoch, 1);
  assert.deepEqual(keysTo(socket).at(-1), ['carol']);
  socket.deliver({ type: 'participant-left', participantId: 'carol' });
  await settle(socket, [bob]);
  assert.equal(room.e2ee.epoch, 2);
  assert.deepEqual(keysTo(socket).at(-1), ['bob']);
  socket.deliver({ type: 'e2ee-key-request', from: 'bob' });
  await settle(socket, [bob]);
  assert.deepEqual(keysTo(socket).at(-1), ['bob']);
  assert.equal(keysTo(socket).length, 4);
  room.leave();
});

test('a resume asks everyone for their key again and re-sends ours, re-keying for whoever came meanwhile', async () => {
  const bob = await peer('bob');
  const carol = await peer('carol');
  const { room, socket, sockets, timers, self } = await joinWith([bob]);
  socket.handlers.close(1006, '');
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  assert.equal(second.sentOfType('resume').length, 1);
  carol.session.joined(carol.info, [bob.info, self], false, false);
  second.deliver(joined(room.self!, [bob.info, carol.info], { resumed: true }));
  await settle(second, [bob, carol]);
  await waitFor(() => keysTo(second).length > 0);
  assert.deepEqual(second.sentOfType('e2ee-key-request').map((m) => m.from), [['bob', 'carol']]);
  assert.deepEqual(keysTo(second)[0], ['bob', 'carol']);
  assert.equal(room.e2ee.epoch, 1, 'ratcheted for carol, who joined while we were away');
  assert.equal(carol.frames.ring.newestEpoch(self.e2ee!.keyTag), 1);
  room.leave();
});

test('transforms go on every transceiver right after the offer is applied, before the answer', async () => {
  const bob = await peer('bob');
  const { room, socket, pcs } = await joinWith([bob]);
  socket.deliver({
    type: 'offer', offerId: 1, sdp: fakeSdp('o1', [['0', 'audio'], ['1', 'video', ['l', 'h']], ['2', 'video']]),
    slots: [{ mid: '0', kind: 'audio', direction: 'send' }, { mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'h'] }, { mid: '2', kind: 'video', direction: 'recv', participantId: 'bob' }],
  });
  await flush();
  const log = pcs[0]!.log;
  assert.deepEqual(log.slice(log.indexOf('srd-done o1') + 1, log.indexOf('srd-done o1') + 4), ['attach 0', 'attach 1', 'attach 2']);
  assert.equal(socket.sentOfType('answer').length, 1);
  room.leave();
});

test('chat is sealed while encrypted: public with our sender key, private pairwise, and opened for room.chat', async () => {
  const bob = await peer('bob');
  bob.session.joined(bob.info, [], false, false);
  const earlier = await bob.session.sealChat('before you came', undefined);
  const { room, socket } = await joinWith([bob], { chat: [] });
  assert.equal(room.sendChat('hello'), true);
  assert.equal(room.sendChat('psst', { to: 'bob' }), true);
  await waitFor(() => socket.sentOfType('chat').length === 2);
  const [pub, priv] = socket.sentOfType('chat') as (ChatMessage & { sealed: string; to?: string })[];
  assert.equal(pub!.text, undefined);
  assert.equal(priv!.to, 'bob');
  const echo = (id: string, from: string, m: { sealed: string }, to: string | null = null): ChatMessage => ({ id, from, fromName: from, to, sealed: m.sealed, at: 1 });
  assert.equal((await bob.session.openChat(echo('1', 'me', pub!))).text, 'hello');
  assert.equal((await bob.session.openChat(echo('2', 'me', priv!, 'bob'))).text, 'psst');
  const fromBob = await bob.session.sealChat('hi Ada', undefined);
  assert.ok('sealed' in fromBob && 'sealed' in earlier);
  socket.deliver({ type: 'chat-message', ...echo('1', 'me', pub!) });
  socket.deliver({ type: 'chat-message', ...echo('3', 'bob', fromBob) });
  socket.deliver({ type: 'chat-message', id: '4', from: 'bob', fromName: 'bob', to: null, text: 'plain', at: 1 });
  await waitFor(() => room.chat.length === 3);
  assert.deepEqual(room.chat.map((m) => [m.id, m.text, m.encrypted]), [['1', 'hello', true], ['3', 'hi Ada', true], ['4', 'plain', false]]);
  // A resume's history: what we read stays read, what was sealed before we came stays unreadable.
  const histories: unknown[] = [];
  room.events.on('chat-history', (h) => histories.push(h.map((m) => m.text)));
  socket.deliver(joined(room.self!, [bob.info], { resumed: true, chat: [echo('0', 'bob', earlier), echo('1', 'me', pub!), echo('3', 'bob', fromBob)] }));
  await settle(socket, [bob]);
  await waitFor(() => histories.length > 0);
  assert.deepEqual(histories, [[null, 'hello', 'hi Ada']]);
  room.leave();
});

test('someone without e2ee keeps the meeting in clear (chat too); a room that requires e2ee refuses us when we do not offer it', async () => {
  const { room, socket, joining } = await setup();
  const self = info('me', socket.sentOfType('join')[0]!.e2ee as E2eeIdentity);
  socket.deliver(joined(self, [info('dave', null)]));
  await joining;
  assert.deepEqual(room.e2ee.blockers, ['dave']);
  assert.equal(room.e2ee.status, 'not-encrypted');
  room.sendChat('hi');
  assert.deepEqual(socket.lastSent(), { type: 'chat', text: 'hi' });
  room.leave();

  const off = await setup({ e2ee: false });
  assert.equal(off.socket.sentOfType('join')[0]!.e2ee, undefined);
  assert.equal(off.room.e2ee.status, 'not-encrypted');
  const ended: string[] = [];
  off.room.events.on('ended', (e) => ended.push(`${e.reason} ${e.error?.code}`));
  off.socket.deliver({ type: 'error', code: 'e2ee-required', message: 'This meeting requires end-to-end encryption.', fatal: true });
  await assert.rejects(off.joining);
  assert.deepEqual(ended, ['failed e2ee-required']);
});

test('a browser that cannot encrypt joins without e2ee and names itself a blocker', async () => {
  const { room, socket, joining } = await setup({ frames: false });
  assert.equal(socket.sentOfType('join')[0]!.e2ee, undefined);
  socket.deliver(joined(info('me', null), []));
  await joining;
  assert.deepEqual(room.e2ee, { supported: false, status: 'not-encrypted', blockers: ['me'], epoch: 0, required: false, identityChanged: [] });
  assert.deepEqual(await room.e2eeStats(), { encryptedFrames: 0, decryptedFrames: 0, failedFrames: 0, heldFrames: 0, passedThrough: 0 });
  room.leave();
});
