import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParticipantInfo } from '@treff/protocol';
import { Room } from './room.js';
import { ScreenShareError } from './screen-share.js';
import { asPeerConnection, fakeGetDisplayMedia, FakePeerConnection, FakeTimers, FakeTrack, fakeSdp, fakeSockets, flush } from './testing/fakes.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';
import { PROTOCOL_VERSION } from '@treff/protocol';

const info = (id: string, name: string, extra: Partial<ParticipantInfo> = {}): ParticipantInfo => ({
  id, name, role: 'guest', media: { audio: false, video: false }, joinedAt: 1, e2ee: null, ...extra,
});
const joined = (extra: Record<string, unknown> = {}) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: { id: 'room1', title: 'T', settings: ROOM_SETTINGS, link: null }, self: info('me', 'Ada'), participants: [info('bob', 'Bob')],
  resumeToken: 'tok', resumed: false, activeSpeakerId: null, ...extra,
});

type Line = [mid: string, kind: 'audio' | 'video', direction: 'send' | 'recv', source: 'camera' | 'screen', participantId?: string | null];
const offer = (offerId: number, lines: Line[]) => ({
  type: 'offer', offerId,
  sdp: fakeSdp(`o${offerId}`, lines.map(([mid, kind]) => [mid, kind])),
  slots: lines.map(([mid, kind, direction, source, participantId = null]) =>
    direction === 'send' ? { mid, kind, direction, source } : { mid, kind, direction, source, participantId }),
});
const camera: Line[] = [['0', 'audio', 'send', 'camera'], ['1', 'video', 'send', 'camera']];
const screenSend: Line[] = [['2', 'video', 'send', 'screen'], ['3', 'audio', 'send', 'screen']];

let display: ReturnType<typeof fakeGetDisplayMedia>;
beforeEach(() => {
  display = fakeGetDisplayMedia();
});
afterEach(() => display.restore());

async function joinedRoom() {
  const { sockets, factory } = fakeSockets();
  const timers = new FakeTimers();
  const pcs: FakePeerConnection[] = [];
  const room = new Room({
    url: 'ws://x/ws', roomId: 'room1', name: 'Ada', createSocket: factory, timers, e2ee: false, backoff: { initialMs: 100, maxMs: 400, jitter: 0 },
    createPeerConnection: () => {
      const pc = new FakePeerConnection();
      pcs.push(pc);
      return asPeerConnection(pc);
    },
  });
  const log: string[] = [];
  room.events.on('screen-share', ({ sharing }) => log.push(`screen-share ${sharing}`));
  room.events.on('screen-share-stopped', ({ by, byName }) => log.push(`stopped by ${by} ${byName}`));
  room.events.on('error', (e) => log.push(`error ${e.code} ${e.message}`));
  const joining = room.join({});
  const socket = sockets[0]!;
  socket.handlers.open();
  socket.deliver(joined());
  await joining;
  socket.deliver(offer(1, camera));
  await flush();
  return { room, socket, sockets, timers, pc: pcs[0]!, log };
}

/** Picks a screen (with tab audio) in the faked picker and lets the SDK send its request. */
async function pick(withAudio = true) {
  const screen = new FakeTrack('video', 'screen');
  const tab = new FakeTrack('audio', 'tab');
  display.resolve(screen, ...(withAudio ? [tab] : []));
  await flush();
  return { screen, tab };
}

test('start: the picker asks for audio, the request says whether it got some, the offered screen slots carry the capture', async () => {
  const { room, socket, pc, log } = await joinedRoom();
  let resolved = false;
  const starting = room.startScreenShare({ audio: true }).then(() => (resolved = true));
  assert.deepEqual(display.requests, [{ video: true, audio: true }]);
  const { screen, tab } = await pick();
  assert.deepEqual(socket.lastSent(), { type: 'screen-share', on: true, audio: true });
  assert.equal(screen.contentHint, 'detail', 'text stays sharp');
  assert.equal(room.screenSharing, false, 'not before the server accepts');
  assert.equal(room.localScreenTrack, screen as unknown as MediaStreamTrack);

  socket.deliver(offer(2, [...camera, ...screenSend]));
  await starting;
  assert.equal(resolved, true);
  assert.equal(room.screenSharing, true);
  assert.equal(pc.transceivers[2]!.sender.track, screen as unknown as MediaStreamTrack);
  assert.equal(pc.transceivers[3]!.sender.track, tab as unknown as MediaStreamTrack);
  assert.equal(pc.transceivers[1]!.sender.track, null, 'the camera slot stays as it was');
  // The server's participant-updated for us confirms too; it must not start the share twice.
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada', { screen: true }) });
  assert.deepEqual(log, ['screen-share true']);
  assert.equal(room.self?.screen, true);

  room.stopScreenShare();
  assert.deepEqual(socket.lastSent(), { type: 'screen-share', on: false });
  assert.equal(screen.readyState, 'ended');
  assert.equal(tab.readyState, 'ended');
  assert.equal(room.screenSharing, false);
  assert.equal(room.localScreenTrack, null);
  await flush();
  assert.equal(pc.transceivers[2]!.sender.track, null, 'the capture leaves the sender at once');
  assert.deepEqual(log, ['screen-share true', 'screen-share false']);
  room.leave();
});

test('a refusal rejects with the server\'s message, stops the capture and is not also an error event', async () => {
  const { room, socket, log } = await joinedRoom();
  const starting = room.startScreenShare();
  assert.deepEqual(display.requests, [{ video: true, audio: false }]);
  const { screen } = await pick(false);
  assert.deepEqual(socket.lastSent(), { type: 'screen-share', on: true, audio: false });
  const message = 'Bob is sharing their screen; this meeting allows one screen share at a time';
  socket.deliver({ type: 'error', code: 'bad-request', message, fatal: false });
  await assert.rejects(starting, (error: unknown) => error instanceof ScreenShareError && error.reason === 'refused' && error.message === message);
  assert.equal(screen.readyState, 'ended');
  assert.equal(room.screenSharing, false);
  assert.equal(room.localScreenTrack, null);
  assert.deepEqual(log, []);
  // Later errors are errors again.
  socket.deliver({ type: 'error', code: 'forbidden', message: 'only hosts', fatal: false });
  assert.deepEqual(log, ['error forbidden only hosts']);
  room.leave();
});

test('cancelling the picker rejects as cancelled and sends nothing', async () => {
  const { room, socket } = await joinedRoom();
  const sent = socket.sent.length;
  const starting = room.startScreenShare();
  display.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' }));
  await assert.rejects(starting, (error: unknown) => error instanceof ScreenShareError && error.reason === 'cancelled');
  assert.equal(socket.sent.length, sent);
  room.leave();
});

test('stopping while the picker is open: the late pick is stopped at once and never requested', async () => {
  const { room, socket } = await joinedRoom();
  const sent = socket.sent.length;
  const starting = room.startScreenShare();
  room.stopScreenShare();
  await assert.rejects(starting, (error: unknown) => error instanceof ScreenShareError && error.reason === 'stopped');
  const { screen } = await pick(false);
  assert.equal(screen.readyState, 'ended');
  assert.equal(socket.sent.length, sent);
  assert.equal(room.localScreenTrack, null);
  room.leave();
});

test('the browser\'s own "Stop sharing" ends the track: the SDK tells the server and reports the stop', async () => {
  const { room, socket, log } = await joinedRoom();
  const starting = room.startScreenShare({ audio: true });
  const { screen, tab } = await pick();
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada', { screen: true }) });
  await starting;
  screen.end();
  assert.deepEqual(socket.lastSent(), { type: 'screen-share', on: false });
  assert.equal(tab.readyState, 'ended', 'the tab audio goes with it');
  assert.equal(room.screenSharing, false);
  assert.deepEqual(log, ['screen-share true', 'screen-share false']);
  room.leave();
});

test('a moderator stops our share: screen-share-stopped names them, the capture is released, nothing is sent back', async () => {
  const { room, socket, log } = await joinedRoom();
  const starting = room.startScreenShare();
  const { screen } = await pick(false);
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada', { screen: true }) });
  await starting;
  const sent = socket.sent.length;
  socket.deliver({ type: 'screen-share-stopped', by: 'bob' });
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada') });
  assert.equal(screen.readyState, 'ended');
  assert.equal(room.screenSharing, false);
  assert.equal(socket.sent.length, sent);
  assert.deepEqual(log, ['screen-share true', 'stopped by bob Bob', 'screen-share false']);
  room.leave();
});

test('the server saying we no longer share (after it said we did) stops the capture', async () => {
  const { room, socket, log } = await joinedRoom();
  const starting = room.startScreenShare();
  const { screen } = await pick(false);
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada', { screen: true }) });
  await starting;
  socket.deliver({ type: 'participant-updated', participant: info('me', 'Ada') });
  assert.equal(screen.readyState, 'ended');
  assert.deepEqual(log, ['screen-share true', 'screen-share false']);
  room.leave();
});

test('a resume keeps a share the server kept, asks again for one it never answered, and a share it forgot stops', async () => {
  const { room, sockets, timers, log } = await joinedRoom();
  const starting = room.startScreenShare();
  await pick(false);
  // The socket drops before the server answered; the resume shows it never got the request.
  sockets[0]!.handlers.close(1006, '');
  timers.runNext();
  const socket = sockets[1]!;
  socket.handlers.open();
  socket.deliver(joined({ resumed: true }));
  assert.deepEqual(socket.lastSent(), { type: 'screen-share', on: true, audio: false });
  socket.deliver(joined({ resumed: true, self: info('me', 'Ada', { screen: true }) }));
  await starting;
  assert.equal(room.screenSharing, true);
  socket.deliver(joined({ resumed: true, self: info('me', 'Ada') }));
  assert.equal(room.screenSharing, false);
  assert.deepEqual(log.filter((l) => l.startsWith('screen-share')), ['screen-share true', 'screen-share false']);
  room.leave();
});

test('leaving stops the capture and rejects a start still waiting for the server', async () => {
  const { room } = await joinedRoom();
  const starting = room.startScreenShare();
  const { screen } = await pick(false);
  room.leave();
  await assert.rejects(starting, ScreenShareError);
  assert.equal(screen.readyState, 'ended');
  await assert.rejects(room.startScreenShare(), (error: unknown) => error instanceof ScreenShareError && error.reason === 'not-connected');
});

test('remote screen shares: Participant.screenTrack/screenAudioTrack, track events by source, screen audio among audioTracks', async () => {
  const { room, socket, log } = await joinedRoom();
  const tracks: string[] = [];
  room.events.on('track', (e) => tracks.push(`+${e.participantId} ${e.kind} ${e.source}`));
  room.events.on('track-ended', (e) => tracks.push(`-${e.participantId} ${e.kind} ${e.source}`));
  socket.deliver({ type: 'participant-updated', participant: info('bob', 'Bob', { screen: true }) });
  socket.deliver(offer(2, [...camera, ['4', 'video', 'recv', 'camera', 'bob'], ['5', 'video', 'recv', 'screen', 'bob'], ['6', 'audio', 'recv', 'screen', 'bob']]));
  await flush();
  const bob = room.participants.get('bob')!;
  assert.equal(bob.screen, true);
  assert.equal(bob.videoTrack?.id, 'remote-4');
  assert.equal(bob.screenTrack?.id, 'remote-5');
  assert.equal(bob.screenAudioTrack?.id, 'remote-6');
  assert.equal(bob.audioTrack, null, 'screen sound is not their microphone');
  assert.deepEqual(room.audioTracks.map((t) => t.id), ['remote-6']);
  assert.deepEqual(tracks, ['+bob video camera', '+bob video screen', '+bob audio screen']);

  // Bob stops: the screen slots go to nothing and `screen` is cleared.
  socket.deliver({ type: 'slot-sources', sources: [{ mid: '5', participantId: null }, { mid: '6', participantId: null }] });
  socket.deliver({ type: 'participant-updated', participant: info('bob', 'Bob') });
  await flush();
  assert.equal(bob.screenTrack, null);
  assert.equal(bob.screenAudioTrack, null);
  assert.equal(bob.screen, undefined);
  assert.deepEqual(tracks.slice(3), ['-bob video screen', '-bob audio screen']);
  assert.deepEqual(log, []);
  room.leave();
});

test('stopScreenShareOf sends the moderator request', async () => {
  const { room, socket } = await joinedRoom();
  assert.equal(room.stopScreenShareOf('bob'), true);
  assert.deepEqual(socket.lastSent(), { type: 'stop-screen-share', participantId: 'bob' });
  room.leave();
});

test('a stop the server never heard (socket down) is repeated when the resume shows the share still on', async () => {
  const { room, sockets, timers, log } = await joinedRoom();
  const starting = room.startScreenShare();
  await pick(false);
  sockets[0]!.deliver({ type: 'participant-updated', participant: info('me', 'Ada', { screen: true }) });
  await starting;
  sockets[0]!.handlers.close(1006, '');
  room.stopScreenShare();
  assert.equal(room.screenSharing, false, 'stopped locally at once');
  timers.runNext();
  const socket = sockets[1]!;
  socket.handlers.open();
  socket.deliver(joined({ resumed: true, self: info('me', 'Ada', { screen: true }) }));
  assert.deepEqual(socket.sentOfType('screen-share'), [{ type: 'screen-share', on: false }]);
  assert.equal(room.screenSharing, false);
  assert.deepEqual(log.filter((l) => l.startsWith('screen-share')), ['screen-share true', 'screen-share false']);
  room.leave();
});

test('a browser without getDisplayMedia, or a pick without video, rejects as unavailable with nothing left captured', async () => {
  const { room, socket } = await joinedRoom();
  const sent = socket.sent.length;
  display.restore();
  await assert.rejects(room.startScreenShare(), (error: unknown) => error instanceof ScreenShareError && error.reason === 'unavailable');
  display = fakeGetDisplayMedia();
  const starting = room.startScreenShare({ audio: true });
  const tab = new FakeTrack('audio', 'tab');
  display.resolve(tab);
  await assert.rejects(starting, (error: unknown) => error instanceof ScreenShareError && error.reason === 'unavailable');
  assert.equal(tab.readyState, 'ended');
  assert.equal(socket.sent.length, sent);
  room.leave();
});
