import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParticipantInfo, Role } from '@treff/protocol';
import { Room, type RoomError, type RoomEvents } from './room.js';
import { asPeerConnection, asTrack, FakePeerConnection, FakeTimers, FakeTrack, fakeSockets, flush } from './testing/fakes.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';
import { PROTOCOL_VERSION } from '@treff/protocol';


const info = (id: string, name: string, role: Role = 'guest'): ParticipantInfo => ({ id, name, role, media: { audio: true, video: true }, joinedAt: 1, e2ee: null });

const roomInfo = (extra: Record<string, unknown> = {}) => ({ id: 'room1', title: 'Standup', settings: ROOM_SETTINGS, link: 'https://x/r/room1', ...extra });

const joined = (self: ParticipantInfo, participants: ParticipantInfo[] = []) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: roomInfo(), self, participants, resumeToken: 'tok-1', resumed: false, activeSpeakerId: null,
});

function setup(options: Partial<ConstructorParameters<typeof Room>[0]> = {}) {
  const { sockets, factory } = fakeSockets();
  const timers = new FakeTimers();
  const room = new Room({
    url: 'ws://x/ws', roomId: 'room1', name: 'Ada', createSocket: factory, timers,
    backoff: { initialMs: 100, maxMs: 400, jitter: 0 },
    createPeerConnection: () => asPeerConnection(new FakePeerConnection()),
    ...options,
  });
  const events: [keyof RoomEvents, unknown][] = [];
  for (const name of ['lobby-waiting', 'lobby', 'room-updated', 'force-muted', 'unmute-requested', 'report-received', 'ended', 'error'] as const) {
    room.events.on(name, (payload) => events.push([name, payload]));
  }
  return { sockets, timers, room, events };
}

async function joinedAs(role: Role, participants: ParticipantInfo[] = [info('bob', 'Bob')]) {
  const ctx = setup();
  const mic = new FakeTrack('audio', 'mic');
  const cam = new FakeTrack('video', 'cam');
  const joining = ctx.room.join({ audioTrack: asTrack(mic), videoTrack: asTrack(cam) });
  const socket = ctx.sockets[0]!;
  socket.handlers.open();
  socket.deliver(joined(info('me', 'Ada', role), participants));
  await joining;
  return { ...ctx, socket, mic, cam };
}

test('join carries password, invite token, member credential and device id', () => {
  const { room, sockets } = setup({ password: 'pw', inviteToken: 'inv', memberToken: 'mem', deviceId: 'dev-0123456789abcdef' });
  void room.join({}).catch(() => undefined);
  sockets[0]!.handlers.open();
  assert.deepEqual(sockets[0]!.sent[0], {
    type: 'join', v: PROTOCOL_VERSION, roomId: 'room1', name: 'Ada', password: 'pw', inviteToken: 'inv', memberToken: 'mem', deviceId: 'dev-0123456789abcdef',
    media: { audio: false, video: false },
  });
  room.leave();
});

test('lobby: the Room waits (join() pending) until admitted', async () => {
  const { room, sockets, events } = setup();
  let resolved = false;
  const joining = room.join({}).then((self) => {
    resolved = true;
    return self;
  });
  const socket = sockets[0]!;
  socket.handlers.open();
  socket.deliver({ type: 'lobby-waiting', room: { id: 'room1', title: 'Standup' } });
  await flush();
  assert.equal(room.connectionState, 'waiting');
  assert.equal(resolved, false);
  assert.deepEqual(events, [['lobby-waiting', { id: 'room1', title: 'Standup' }]]);
  socket.deliver(joined(info('me', 'Ada')));
  assert.equal((await joining).id, 'me');
  assert.equal(room.connectionState, 'connecting');
});

test('lobby: a denied guest ends with reason denied, join() rejects and nothing reconnects', async () => {
  const { room, sockets, events, timers } = setup();
  const joining = room.join({});
  const socket = sockets[0]!;
  socket.handlers.open();
  socket.deliver({ type: 'lobby-waiting', room: { id: 'room1', title: '' } });
  socket.deliver({ type: 'ended', reason: 'denied', message: 'A host did not let you in.' });
  await assert.rejects(joining, /did not let you in/);
  assert.deepEqual(events.at(-1), ['ended', { reason: 'denied', message: 'A host did not let you in.' }]);
  assert.equal(room.connectionState, 'disconnected');
  socket.handlers.close(1000, '');
  assert.equal(timers.pending.length, 0);
});

test('hosts see the lobby list; demotion clears it', async () => {
  const { room, socket, events } = await joinedAs('cohost');
  const waiting = [{ id: 'g1', name: 'Grace', since: 5 }];
  socket.deliver({ type: 'lobby', waiting });
  assert.deepEqual(room.lobby, waiting);
  assert.deepEqual(events.at(-1), ['lobby', waiting]);
  assert.equal(room.isModerator, true);
  assert.equal(room.isHost, false);
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada', 'guest') });
  assert.deepEqual(room.lobby, []);
  assert.equal(room.isModerator, false);
});

test('room-updated replaces info and a rotated id is what the next resume uses, in its message and its socket URL', async () => {
  const { room, socket, sockets, timers, events } = await joinedAs('guest');
  const updated = roomInfo({ id: 'room2', link: null, settings: { ...ROOM_SETTINGS, locked: true } });
  socket.deliver({ type: 'room-updated', room: updated });
  assert.equal(room.roomId, 'room2');
  assert.equal(room.info?.link, null);
  assert.equal(room.info?.settings.locked, true);
  assert.deepEqual(events.at(-1), ['room-updated', updated]);
  socket.handlers.close(1006, '');
  timers.runNext();
  sockets[1]!.handlers.open();
  assert.deepEqual(sockets[1]!.sent[0], { type: 'resume', v: PROTOCOL_VERSION, roomId: 'room2', participantId: 'me', resumeToken: 'tok-1' });
  assert.deepEqual([sockets[0]!.url, sockets[1]!.url], ['ws://x/ws?room=room1', 'ws://x/ws?room=room2']);
});

for (const reason of ['removed', 'banned', 'meeting-ended', 'room-closed'] as const) {
  test(`ended ${reason}: the Room ends with that reason, stops local tracks and never rejoins`, async () => {
    const { room, socket, timers, events, mic, cam } = await joinedAs('guest');
    socket.deliver({ type: 'ended', reason, message: `because ${reason}` });
    assert.deepEqual(events.at(-1), ['ended', { reason, message: `because ${reason}` }]);
    assert.equal(socket.closed, true);
    assert.equal(mic.readyState, 'ended');
    assert.equal(cam.readyState, 'ended');
    socket.handlers.close(1000, '');
    assert.equal(timers.pending.length, 0, 'no reconnect');
    assert.equal(room.admit('all'), false, 'nothing is sent after the end');
  });
}

const terminal = ['password-required', 'wrong-password', 'too-many-attempts', 'room-locked', 'banned', 'not-invited', 'members-only', 'lobby-full', 'room-blocked'] as const;
for (const code of terminal) {
  test(`join refused with ${code}: the Room fails with that error instead of retrying`, async () => {
    const { room, sockets, timers, events } = setup();
    const joining = room.join({});
    sockets[0]!.handlers.open();
    // Not fatal on purpose: retrying these cannot help whatever the server says about the socket.
    sockets[0]!.deliver({ type: 'error', code, message: `refused: ${code}`, fatal: false });
    await assert.rejects(joining, new RegExp(`refused: ${code}`));
    const ended = events.find(([name]) => name === 'ended')?.[1] as { reason: string; error: RoomError };
    assert.equal(ended.reason, 'failed');
    assert.equal(ended.error.code, code);
    assert.equal(room.connectionState, 'failed');
    sockets[0]!.handlers.close(1008, '');
    assert.equal(timers.pending.length, 0);
  });
}

test('forbidden, not-found and bad-request are reported and the meeting goes on', async () => {
  const { room, socket, events } = await joinedAs('guest');
  for (const code of ['forbidden', 'not-found', 'bad-request'] as const) socket.deliver({ type: 'error', code, message: code, fatal: false });
  assert.deepEqual(events.map(([name, e]) => `${name} ${(e as RoomError).code} ${(e as RoomError).fatal}`), ['error forbidden false', 'error not-found false', 'error bad-request false']);
  assert.notEqual(room.connectionState, 'failed');
  assert.equal(socket.closed, false);
});

test('force-mute turns the microphone and camera off and says who did it', async () => {
  const { room, socket, events, cam } = await joinedAs('guest', [info('host1', 'Grace', 'host')]);
  socket.deliver({ type: 'force-mute', kinds: ['audio', 'video'], by: 'host1' });
  await flush();
  assert.equal(room.microphoneEnabled, false);
  assert.equal(room.cameraEnabled, false);
  assert.equal(cam.readyState, 'ended', 'the camera is released');
  assert.deepEqual(socket.sentOfType('media-state').at(-1), { type: 'media-state', media: { audio: false, video: false } });
  assert.deepEqual(events.at(-1), ['force-muted', { kinds: ['audio', 'video'], by: 'host1', byName: 'Grace' }]);
});

test('force-mute of the microphone leaves the camera alone; an unknown muter has no name', async () => {
  const { room, socket, events } = await joinedAs('guest');
  socket.deliver({ type: 'force-mute', kinds: ['audio'], by: null });
  await flush();
  assert.equal(room.microphoneEnabled, false);
  assert.equal(room.cameraEnabled, true);
  assert.deepEqual(events.at(-1), ['force-muted', { kinds: ['audio'], by: null, byName: null }]);
});

test('unmute-requested is an event only: nothing is turned on', async () => {
  const { room, socket, events } = await joinedAs('guest', [info('host1', 'Grace', 'host')]);
  await room.setMicrophoneEnabled(false);
  const sentBefore = socket.sent.length;
  socket.deliver({ type: 'unmute-requested', kind: 'audio', by: 'host1' });
  await flush();
  assert.equal(room.microphoneEnabled, false);
  assert.equal(socket.sent.length, sentBefore, 'nothing sent');
  assert.deepEqual(events.at(-1), ['unmute-requested', { kind: 'audio', by: 'host1', byName: 'Grace' }]);
});

test('a report is confirmed by report-received, a refusal comes as an error', async () => {
  const { room, socket, events } = await joinedAs('guest');
  assert.ok(room.report('spam', ' links '));
  assert.deepEqual(socket.sent.at(-1), { type: 'report', reason: 'spam', text: 'links' });
  socket.deliver({ type: 'report-received' });
  await flush();
  assert.deepEqual(events.at(-1), ['report-received', undefined]);
  socket.deliver({ type: 'error', code: 'rate-limited', message: 'later', fatal: false });
  await flush();
  assert.equal(events.at(-1)?.[0], 'error');
});

test('moderation methods send the protocol messages', async () => {
  const { room, socket } = await joinedAs('host');
  assert.equal(room.isHost, true);
  assert.ok(room.admit(['g1', 'g2']));
  room.admit('all');
  room.deny(['g3']);
  room.remove('bob');
  room.remove('bob', { ban: true });
  room.mute('bob', ['audio', 'video', 'audio']);
  room.mute('all');
  room.requestUnmute('bob', 'video');
  room.setRole('bob', 'cohost');
  room.setRole('bob', 'host', { handOver: true });
  room.updateSettings({ locked: false, password: null, maxParticipants: 10 });
  room.endMeeting();
  room.report('spam', '  too many links  ');
  room.report('other', '   ');
  const types = new Set(['lobby-admit', 'lobby-deny', 'remove', 'mute', 'request-unmute', 'set-role', 'update-settings', 'end-meeting', 'report']);
  assert.deepEqual((socket.sent as { type: string }[]).filter((m) => types.has(m.type)), [
    { type: 'lobby-admit', ids: ['g1', 'g2'] },
    { type: 'lobby-admit', ids: 'all' },
    { type: 'lobby-deny', ids: ['g3'] },
    { type: 'remove', participantId: 'bob' },
    { type: 'remove', participantId: 'bob', ban: true },
    { type: 'mute', participantId: 'bob', kinds: ['audio', 'video'] },
    { type: 'mute', participantId: 'all', kinds: ['audio'] },
    { type: 'request-unmute', participantId: 'bob', kind: 'video' },
    { type: 'set-role', participantId: 'bob', role: 'cohost' },
    { type: 'set-role', participantId: 'bob', role: 'host', handOver: true },
    { type: 'update-settings', settings: { locked: false, password: null, maxParticipants: 10 } },
    { type: 'end-meeting' },
    { type: 'report', reason: 'spam', text: 'too many links' },
    { type: 'report', reason: 'other' },
  ]);
});

test('moderation input that the protocol would refuse throws before anything is sent', async () => {
  const { room, socket } = await joinedAs('host');
  const before = socket.sent.length;
  assert.throws(() => room.admit([]), /no participants/);
  assert.throws(() => room.deny(Array.from({ length: 201 }, (_, i) => `p${i}`)), /at most 200/);
  assert.throws(() => room.mute('bob', []), /no media kinds/);
  assert.throws(() => room.report('abuse', 'x'.repeat(2001)), /at most 2000/);
  assert.equal(socket.sent.length, before);
});

test('moderation before joining or while the socket is down sends nothing', async () => {
  const { room, sockets } = setup();
  void room.join({}).catch(() => undefined);
  sockets[0]!.handlers.open();
  assert.equal(room.remove('bob'), false);
  assert.equal(sockets[0]!.sentOfType('remove').length, 0);
  sockets[0]!.deliver(joined(info('me', 'Ada', 'host')));
  sockets[0]!.handlers.close(1006, '');
  assert.equal(room.endMeeting(), false);
  room.leave();
});

test('after a lost session, a fresh join refused because the room is now locked ends the Room instead of looping', async () => {
  const { room, socket, sockets, timers, events } = await joinedAs('guest');
  socket.handlers.close(1006, '');
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  second.deliver({ type: 'error', code: 'resume-failed', message: 'session expired', fatal: false });
  assert.equal(second.lastSent()?.type, 'join');
  second.deliver({ type: 'error', code: 'room-locked', message: 'This meeting is locked.', fatal: true });
  const ended = events.find(([name]) => name === 'ended')?.[1] as { reason: string; error: RoomError };
  assert.equal(ended.error.code, 'room-locked');
  assert.equal(room.connectionState, 'failed');
  second.handlers.close(1008, '');
  assert.equal(timers.pending.length, 0);
});

test('lobby: a knocker whose socket drops is reconnecting, not waiting, and knocks again with a fresh join', async () => {
  const { room, sockets, timers, events } = setup();
  const joining = room.join({});
  const socket = sockets[0]!;
  socket.handlers.open();
  socket.deliver({ type: 'lobby-waiting', room: { id: 'room1', title: 'Standup' } });
  socket.handlers.close(1006, '');
  assert.equal(room.connectionState, 'reconnecting');
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  assert.equal(second.sent[0] && (second.sent[0] as { type: string }).type, 'join', 'a knock cannot be resumed');
  assert.equal(room.connectionState, 'reconnecting');
  second.deliver({ type: 'lobby-waiting', room: { id: 'room1', title: 'Standup' } });
  assert.equal(room.connectionState, 'waiting');
  second.deliver(joined(info('me', 'Ada')));
  assert.equal((await joining).id, 'me');
  assert.equal(room.connectionState, 'connecting');
  assert.deepEqual(events.map(([name]) => name), ['lobby-waiting', 'lobby-waiting']);
  room.leave();
});
