import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Room, type ConnectionState } from './room.js';
import { asPeerConnection, asTrack, fakeGetUserMedia, FakePeerConnection, FakeTimers, FakeTrack, fakeSdp, fakeSockets, flush } from './testing/fakes.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';
import { PROTOCOL_VERSION } from '@treff/protocol';

const info = (id: string, name: string, media = { audio: true, video: true }) => ({ id, name, role: 'guest' as const, media, joinedAt: 1, e2ee: null });


const joined = (participants: ReturnType<typeof info>[], extra: Record<string, unknown> = {}) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: { id: 'room1', title: 'Standup', settings: ROOM_SETTINGS, link: 'https://x/r/room1' }, self: info('me', 'Ada'), participants,
  resumeToken: 'tok-1', resumed: false, activeSpeakerId: null, ...extra,
});

const offer = (offerId: number, recv: [mid: string, kind: 'audio' | 'video', pid: string][]) => ({
  type: 'offer', offerId,
  sdp: fakeSdp(`o${offerId}`, [['0', 'audio'], ['1', 'video'], ...recv.map(([mid, kind]) => [mid, kind] as [string, 'audio' | 'video'])]),
  slots: [
    { mid: '0', kind: 'audio', direction: 'send' },
    { mid: '1', kind: 'video', direction: 'send' },
    ...recv.map(([mid, kind, participantId]) => ({ mid, kind, direction: 'recv', participantId })),
  ],
});

function setup() {
  const { sockets, factory } = fakeSockets();
  const timers = new FakeTimers();
  const pcs: FakePeerConnection[] = [];
  const room = new Room({
    url: 'ws://x/ws', roomId: 'room1', name: 'Ada', createSocket: factory, timers,
    backoff: { initialMs: 100, maxMs: 400, jitter: 0 },
    createPeerConnection: () => {
      const pc = new FakePeerConnection();
      pcs.push(pc);
      return asPeerConnection(pc);
    },
  });
  const log: string[] = [];
  const states: ConnectionState[] = [];
  room.events.on('participant-joined', (p) => log.push(`joined ${p.name}`));
  room.events.on('participant-left', (p) => log.push(`left ${p.name}`));
  room.events.on('participant-updated', (p) => log.push(`updated ${p.name}`));
  room.events.on('track', (t) => log.push(`track ${t.participantId} ${t.kind}`));
  room.events.on('track-ended', (t) => log.push(`track-ended ${t.participantId} ${t.kind}`));
  room.events.on('error', (e) => log.push(`error ${e.code}`));
  room.events.on('ended', (e) => log.push(`ended ${e.reason}`));
  room.events.on('connection-state', (s) => states.push(s));
  return { sockets, timers, pcs, room, log, states };
}

async function joinedRoom() {
  const ctx = setup();
  const mic = new FakeTrack('audio', 'mic', 'mic-1');
  const cam = new FakeTrack('video', 'cam', 'cam-1');
  const joining = ctx.room.join({ audioTrack: asTrack(mic), videoTrack: asTrack(cam) });
  const socket = ctx.sockets[0]!;
  socket.handlers.open();
  socket.deliver(joined([info('bob', 'Bob')]));
  await joining;
  socket.deliver(offer(1, [['2', 'audio', 'bob'], ['3', 'video', 'bob']]));
  await flush();
  ctx.pcs[0]!.setState('connected');
  return { ...ctx, socket, mic, cam };
}

test('join sends name, host secret-free join and media state, then answers the offer', async () => {
  const { socket, room, log, states, pcs } = await joinedRoom();
  assert.deepEqual(socket.sent[0], { type: 'join', v: PROTOCOL_VERSION, roomId: 'room1', name: 'Ada', media: { audio: true, video: true } });
  assert.equal(socket.sentOfType('answer')[0]!.offerId, 1);
  assert.deepEqual(log, ['joined Bob', 'track bob audio', 'track bob video']);
  assert.equal(room.participants.get('bob')?.videoTrack?.id, 'remote-3');
  assert.equal(pcs[0]!.transceivers[0]!.sender.track?.id, 'mic');
  assert.deepEqual(states, ['connecting', 'connected']);
});

test('participant updates and departures reach the participant map', async () => {
  const { socket, room, log } = await joinedRoom();
  socket.deliver({ type: 'participant-joined', participant: info('carol', 'Carol') });
  socket.deliver({ type: 'participant-updated', participant: info('bob', 'Bob', { audio: false, video: true }) });
  socket.deliver({ type: 'participant-left', participantId: 'carol' });
  assert.deepEqual(log.slice(3), ['joined Carol', 'updated Bob', 'left Carol']);
  assert.equal(room.participants.get('bob')?.media.audio, false);
  assert.equal(room.participants.has('carol'), false);
});

test('video-paused marks the cameras held back for our downlink, for participants known now and later; a new session clears it', async () => {
  const { socket, room, log } = await joinedRoom();
  assert.equal(room.participants.get('bob')?.videoPaused, false);
  socket.deliver({ type: 'video-paused', participantIds: ['bob', 'carol'] });
  assert.equal(room.participants.get('bob')?.videoPaused, true);
  assert.deepEqual(log.slice(3), ['updated Bob']);
  socket.deliver({ type: 'participant-joined', participant: info('carol', 'Carol') });
  assert.equal(room.participants.get('carol')?.videoPaused, true, 'the list may name someone before their participant-joined');
  socket.deliver({ type: 'video-paused', participantIds: ['carol'] });
  assert.equal(room.participants.get('bob')?.videoPaused, false);
  assert.deepEqual(log.slice(3), ['updated Bob', 'joined Carol', 'updated Bob']);
  socket.deliver({ type: 'video-paused', participantIds: ['carol'] });
  assert.equal(log.length, 6, 'an unchanged list updates nobody');
  const seen: boolean[] = [];
  room.events.on('participant-updated', (p) => p.id === 'carol' && seen.push(p.videoPaused));
  socket.deliver(joined([info('carol', 'Carol')], { resumeToken: 'tok-2' }));
  assert.equal(room.participants.get('carol')?.videoPaused, false, 'a fresh join starts with nothing held back');
  assert.ok(seen.length > 0 && seen.every((paused) => !paused), `no update says paused: ${JSON.stringify(seen)}`);
});

test('a dropped socket resumes the same session, keeps the PeerConnection and reconciles participants', async () => {
  const { sockets, socket, timers, pcs, room, log, states } = await joinedRoom();
  socket.handlers.close(1006, '');
  assert.equal(room.connectionState, 'reconnecting');
  // Candidates gathered while offline are kept for the resumed socket.
  pcs[0]!.emitCandidate('candidate:9 1 udp 1 127.0.0.1 9 typ host', '0');
  // Muting while offline is sent after the resume.
  await room.setMicrophoneEnabled(false);
  assert.equal(timers.runNext(), 100);
  const second = sockets[1]!;
  second.handlers.open();
  assert.deepEqual(second.sent[0], { type: 'resume', v: PROTOCOL_VERSION, roomId: 'room1', participantId: 'me', resumeToken: 'tok-1' });
  second.deliver(joined([info('carol', 'Carol')], { resumed: true, resumeToken: 'tok-2' }));
  assert.deepEqual(log.slice(3), ['left Bob', 'joined Carol']);
  assert.equal(pcs.length, 1, 'media session kept');
  assert.deepEqual(second.sentOfType('candidate').map((c) => c.candidate), ['candidate:9 1 udp 1 127.0.0.1 9 typ host']);
  assert.deepEqual(second.sentOfType('media-state').at(-1), { type: 'media-state', media: { audio: false, video: true } });
  assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
  // The fresh token is the one used next time.
  second.handlers.close(1006, '');
  timers.runNext();
  sockets[2]!.handlers.open();
  assert.equal(sockets[2]!.sent[0] && (sockets[2]!.sent[0] as { resumeToken: string }).resumeToken, 'tok-2');
});

test('resume-failed falls back to a fresh join with a new PeerConnection', async () => {
  const { sockets, socket, timers, pcs, room, log } = await joinedRoom();
  socket.handlers.close(1006, '');
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  second.deliver({ type: 'error', code: 'resume-failed', message: 'session expired', fatal: false });
  assert.equal(pcs[0]!.closed, true);
  assert.deepEqual(log.slice(3), ['error resume-failed', 'track-ended bob audio', 'track-ended bob video', 'left Bob']);
  assert.equal(second.lastSent()?.type, 'join');
  assert.equal(room.connectionState, 'reconnecting');
  second.deliver(joined([info('bob', 'Bob')], { self: info('me2', 'Ada'), resumeToken: 'tok-3' }));
  second.deliver(offer(1, [['2', 'audio', 'bob']]));
  await flush();
  assert.equal(pcs.length, 2);
  assert.equal(pcs[1]!.transceivers[1]!.sender.track?.id, 'cam', 'local tracks carried over to the new PeerConnection');
  assert.equal(room.self?.id, 'me2');
});

test('a fatal room-not-found ends the room and rejects join()', async () => {
  const { sockets, room, log, timers } = setup();
  const joining = room.join({});
  sockets[0]!.handlers.open();
  sockets[0]!.deliver({ type: 'error', code: 'room-not-found', message: 'no such room', fatal: true });
  await assert.rejects(joining, /no such room/);
  assert.equal(room.connectionState, 'failed');
  assert.deepEqual(log, ['error room-not-found', 'ended failed']);
  sockets[0]!.handlers.close(1008, '');
  assert.equal(timers.pending.length, 0, 'no reconnect after a terminal error');
});

test('camera off releases the camera and tells the others; on again opens a new track', async () => {
  const { socket, room, cam, pcs } = await joinedRoom();
  // A function, so assert's type narrowing of the first read does not stick to the second.
  const sent = () => pcs[0]!.transceivers[1]!.sender.track;
  await room.setCameraEnabled(false);
  assert.equal(cam.readyState, 'ended', 'camera light goes off');
  assert.equal(sent(), null);
  assert.deepEqual(socket.lastSent(), { type: 'media-state', media: { audio: true, video: false } });
  const cam2 = new FakeTrack('video', 'cam2');
  await room.setCameraEnabled(true, asTrack(cam2));
  assert.equal(sent()?.id, 'cam2');
  assert.deepEqual(socket.lastSent(), { type: 'media-state', media: { audio: true, video: true } });
});

test('ICE failure rejoins with a new PeerConnection, and gives up after repeated failures', async () => {
  const { sockets, timers, pcs, room, log } = await joinedRoom();
  pcs[0]!.setState('failed');
  assert.equal(sockets[0]!.lastSent()?.type, 'leave');
  assert.equal(room.connectionState, 'reconnecting');
  for (let i = 1; i <= 2; i++) {
    timers.runNext();
    const s = sockets[i]!;
    s.handlers.open();
    assert.equal(s.lastSent()?.type, 'join');
    s.deliver(joined([]));
    pcs[i]!.setState('failed');
  }
  assert.equal(room.connectionState, 'failed');
  assert.deepEqual(log.filter((l) => l.startsWith('error') || l.startsWith('ended')), ['error ice-failed', 'error ice-failed', 'error ice-failed', 'ended failed']);
});

test('leave() says goodbye, stops local tracks and does not reconnect', async () => {
  const { socket, room, mic, cam, timers, log } = await joinedRoom();
  room.leave();
  assert.equal(socket.lastSent()?.type, 'leave');
  assert.equal(socket.closed, true);
  assert.equal(mic.readyState, 'ended');
  assert.equal(cam.readyState, 'ended');
  assert.equal(room.connectionState, 'disconnected');
  assert.equal(log.at(-1), 'ended left');
  socket.handlers.close(1000, '');
  assert.equal(timers.pending.length, 0);
});

test('an offer that cannot be answered rejoins instead of stalling negotiation', async () => {
  const { sockets, socket, timers, pcs, log } = await joinedRoom();
  socket.deliver({ type: 'offer', offerId: 2, sdp: 'garbage', slots: [] });
  await flush();
  assert.equal(socket.lastSent()?.type, 'leave');
  assert.equal(pcs[0]!.closed, true);
  assert.ok(log.includes('error negotiation-failed'));
  timers.runNext();
  sockets[1]!.handlers.open();
  assert.equal(sockets[1]!.lastSent()?.type, 'join');
});

test('slot-sources move a track between participants; audio slots are listed for playback whoever they carry', async () => {
  const { socket, room, log } = await joinedRoom();
  const audioLists: string[][] = [];
  room.events.on('audio-tracks', (tracks) => audioLists.push(tracks.map((t) => t.id)));
  socket.deliver({ type: 'participant-joined', participant: info('carol', 'Carol') });
  socket.deliver({ ...offer(2, [['2', 'audio', 'bob'], ['3', 'video', 'bob']]), slots: [...offer(2, [['2', 'audio', 'bob'], ['3', 'video', 'bob']]).slots, { mid: '4', kind: 'audio', direction: 'recv', participantId: null }], sdp: fakeSdp('o2', [['0', 'audio'], ['1', 'video'], ['2', 'audio'], ['3', 'video'], ['4', 'audio']]) });
  await flush();
  assert.deepEqual(audioLists, [['remote-2', 'remote-4']]);
  assert.deepEqual(room.audioTracks.map((t) => t.id), ['remote-2', 'remote-4']);
  log.length = 0;
  socket.deliver({ type: 'slot-sources', sources: [{ mid: '3', participantId: 'carol' }, { mid: '4', participantId: 'carol' }] });
  await flush();
  assert.deepEqual(log, ['track-ended bob video', 'track carol video', 'track carol audio']);
  const bob = room.participants.get('bob')!;
  const carol = room.participants.get('carol')!;
  assert.equal(bob.videoTrack, null);
  assert.equal(bob.audioTrack?.id, 'remote-2');
  assert.equal(carol.videoTrack?.id, 'remote-3', 'the same track object, now Carol\'s');
  assert.equal(carol.audioTrack?.id, 'remote-4');
});

test('setVideoSubscriptions: coalesced, cleaned, sent once joined, and again after a resume', async () => {
  const ctx = setup();
  const { room, timers, sockets } = ctx;
  room.setVideoSubscriptions([{ participantId: 'bob', width: 640.4, height: 360 }]);
  const joining = room.join({});
  const socket = sockets[0]!;
  socket.handlers.open();
  assert.equal(timers.pending.length, 1);
  timers.runNext();
  assert.deepEqual(socket.sentOfType('subscribe'), [], 'not before joined');
  socket.deliver(joined([info('bob', 'Bob'), info('carol', 'Carol')]));
  await joining;
  assert.deepEqual(socket.sentOfType('subscribe'), [{ type: 'subscribe', video: [{ participantId: 'bob', width: 640, height: 360 }] }]);
  room.setVideoSubscriptions([{ participantId: 'carol', width: 160, height: 90 }, { participantId: 'me', width: 1, height: 1 }, { participantId: 'bob', width: 1280, height: 720 }]);
  room.setVideoSubscriptions([{ participantId: 'carol', width: 160, height: 90 }, { participantId: 'bob', width: 1280, height: 720 }]);
  assert.equal(socket.sentOfType('subscribe').length, 1, 'waits for the window');
  timers.runNext();
  const latest = { type: 'subscribe', video: [{ participantId: 'carol', width: 160, height: 90 }, { participantId: 'bob', width: 1280, height: 720 }] };
  assert.deepEqual(socket.sentOfType('subscribe'), [socket.sentOfType('subscribe')[0], latest], 'oneself dropped, one message');
  // Socket drops: resume repeats the list.
  socket.handlers.close(1006, '');
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  second.deliver(joined([info('bob', 'Bob'), info('carol', 'Carol')], { resumed: true }));
  assert.deepEqual(second.sentOfType('subscribe'), [latest]);
});

test('simulcast SSRCs are reported over signaling and repeated after a resume', async () => {
  const ctx = setup();
  const { room, timers, sockets, pcs } = ctx;
  const joining = room.join({ videoTrack: asTrack(new FakeTrack('video', 'cam')) });
  const socket = sockets[0]!;
  socket.handlers.open();
  socket.deliver(joined([]));
  await joining;
  socket.deliver({
    type: 'offer', offerId: 1, sdp: fakeSdp('o1', [['0', 'audio'], ['1', 'video', ['l', 'h']]]),
    slots: [{ mid: '0', kind: 'audio', direction: 'send' }, { mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'h'] }],
  });
  await flush();
  const pc = pcs[0]!;
  pc.stats.set('l', { type: 'outbound-rtp', mid: '1', rid: 'l', ssrc: 5 });
  pc.stats.set('h', { type: 'outbound-rtp', mid: '1', rid: 'h', ssrc: 6 });
  timers.runNext();
  await flush();
  const report = { type: 'simulcast-streams', mid: '1', streams: [{ rid: 'l', ssrc: 5 }, { rid: 'h', ssrc: 6 }] };
  assert.deepEqual(socket.sentOfType('simulcast-streams'), [report]);
  socket.handlers.close(1006, '');
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  second.deliver(joined([], { resumed: true }));
  await flush();
  assert.deepEqual(second.sentOfType('simulcast-streams'), [report]);
  room.leave();
});

test('a camera or microphone that opens after leave() is stopped, never adopted, and nothing follows ended', async (t) => {
  const devices = fakeGetUserMedia();
  t.after(devices.restore);
  const { socket, room, pcs } = await joinedRoom();
  await room.setCameraEnabled(false);
  const after: string[] = [];
  room.events.on('ended', () => room.events.on('self-updated', () => after.push('self-updated')));
  const turningOn = room.setCameraEnabled(true);
  await flush();
  assert.equal(devices.requests.length, 1);
  const sentBefore = socket.sent.length;
  room.leave();
  const late = new FakeTrack('video', 'late-cam');
  devices.resolve(late);
  await turningOn;
  assert.equal(late.readyState, 'ended', 'the camera light goes out');
  assert.equal(room.localVideoTrack, null);
  assert.equal(pcs[0]!.transceivers[1]!.sender.track, null);
  // Calls after the end do nothing; a track handed over is stopped, since the Room owns what it is given.
  const mic2 = new FakeTrack('audio', 'mic2');
  await room.setMicrophoneEnabled(true, asTrack(mic2));
  await room.replaceVideoTrack(asTrack(new FakeTrack('video', 'cam3')));
  await room.setCameraEnabled(true);
  assert.equal(mic2.readyState, 'ended');
  assert.equal(devices.requests.length, 1, 'no device opened after the end');
  assert.deepEqual(socket.sent.slice(sentBefore).map((m) => (m as { type: string }).type), ['leave']);
  assert.deepEqual(after, []);
});

test('a resume reporting media off that we did not toggle meanwhile is a force-mute we missed; toggles made offline are sent', async () => {
  const { sockets, socket, timers, room, mic, cam } = await joinedRoom();
  const forced: unknown[] = [];
  room.events.on('force-muted', (event) => forced.push(event));
  socket.handlers.close(1006, '');
  // A moderator muted us while the socket was down; we turned the camera off ourselves meanwhile.
  await room.setCameraEnabled(false);
  timers.runNext();
  const second = sockets[1]!;
  second.handlers.open();
  second.deliver(joined([info('bob', 'Bob')], { resumed: true, self: info('me', 'Ada', { audio: false, video: true }) }));
  await flush();
  assert.deepEqual(forced, [{ kinds: ['audio'], by: null, byName: null }]);
  assert.equal(room.microphoneEnabled, false);
  assert.equal(mic.enabled, false);
  assert.equal(cam.readyState, 'ended');
  const states = second.sentOfType('media-state').map((m) => m.media);
  assert.ok(states.length > 0);
  assert.ok(states.every((m) => JSON.stringify(m) === JSON.stringify({ audio: false, video: false })), JSON.stringify(states));
  // A microphone turned on offline after a force-mute is the newer wish and is sent.
  second.handlers.close(1006, '');
  await room.setMicrophoneEnabled(true);
  timers.runNext();
  const third = sockets[2]!;
  third.handlers.open();
  third.deliver(joined([info('bob', 'Bob')], { resumed: true, self: info('me', 'Ada', { audio: false, video: false }) }));
  await flush();
  assert.equal(forced.length, 1);
  assert.equal(room.microphoneEnabled, true);
  assert.deepEqual(third.sentOfType('media-state').at(-1)?.media, { audio: true, video: false });
});

test('withRoom names the room in the signaling URL and keeps any other query', async () => {
  const { withRoom } = await import('./room.js');
  assert.equal(withRoom('wss://meet.example.org/ws', 'a-b_c'), 'wss://meet.example.org/ws?room=a-b_c');
  assert.equal(withRoom('ws://x/ws?debug=1&room=old', 'new'), 'ws://x/ws?debug=1&room=new');
});
