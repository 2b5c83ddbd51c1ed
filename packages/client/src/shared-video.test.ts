import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParticipantInfo } from '@treff/protocol';
import { currentPosition, type SharedVideo } from './shared-video.js';
import { joinedRoom } from './testing/joined-room.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';
import { PROTOCOL_VERSION } from '@treff/protocol';

const info = (id: string, role: ParticipantInfo['role'] = 'guest'): ParticipantInfo => ({ id, name: id, role, media: { audio: false, video: false }, joinedAt: 1, e2ee: null });
const joined = (extra: Record<string, unknown> = {}) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: { id: 'room1', title: 'T', settings: ROOM_SETTINGS, link: null }, self: info('me', 'host'), participants: [info('bob')],
  resumeToken: 'tok', resumed: false, activeSpeakerId: null, ...extra,
});
const VIDEO = { url: 'https://media.example.org/film.webm', playing: true, position: 12, by: 'me' };

test('the video from joined and from updates becomes room.sharedVideo, stamped when it arrived', async () => {
  const before = performance.now();
  const { room, socket } = await joinedRoom(joined({ sharedVideo: VIDEO }), { e2ee: false });
  const got = room.sharedVideo;
  assert.ok(got !== null);
  assert.deepEqual({ ...got, receivedAt: 0 }, { ...VIDEO, receivedAt: 0 });
  assert.ok(got.receivedAt >= before && got.receivedAt <= performance.now());
  const seen: (SharedVideo | null)[] = [];
  room.events.on('shared-video', (v) => seen.push(v));
  socket.deliver({ type: 'shared-video', video: { ...VIDEO, playing: false, position: 30 } });
  socket.deliver({ type: 'shared-video', video: null });
  assert.deepEqual(seen.map((v) => v && { playing: v.playing, position: v.position }), [{ playing: false, position: 30 }, null]);
  assert.equal(room.sharedVideo, null);
  room.leave();
});

test('a joined without a video (or a resume repeating ours) emits nothing', async () => {
  const { room, socket } = await joinedRoom(joined(), { e2ee: false });
  let events = 0;
  room.events.on('shared-video', () => events++);
  socket.deliver(joined({ resumed: true }));
  assert.equal(events, 0);
  socket.deliver({ type: 'shared-video', video: { ...VIDEO, playing: false } });
  socket.deliver(joined({ resumed: true, sharedVideo: { ...VIDEO, playing: false } }));
  assert.equal(events, 1);
  room.leave();
});

test('share, play, pause, seek and stop send the whole new state', async () => {
  const { room, socket } = await joinedRoom(joined(), { e2ee: false });
  assert.equal(room.playSharedVideo(3), false, 'nothing to play before a video is shared');
  assert.equal(room.shareVideo(' https://media.example.org/film.webm '), true);
  socket.deliver({ type: 'shared-video', video: VIDEO });
  assert.equal(room.pauseSharedVideo(20), true);
  socket.deliver({ type: 'shared-video', video: { ...VIDEO, playing: false, position: 20 } });
  assert.equal(room.seekSharedVideo(50), true);
  assert.equal(room.playSharedVideo(50), true);
  assert.equal(room.stopSharedVideo(), true);
  const url = VIDEO.url;
  assert.deepEqual(socket.sentOfType('shared-video'), [
    { type: 'shared-video', url, playing: true, position: 0 },
    { type: 'shared-video', url, playing: false, position: 20 },
    { type: 'shared-video', url, playing: false, position: 50 },
    { type: 'shared-video', url, playing: true, position: 50 },
    { type: 'shared-video', url: null, playing: false, position: 0 },
  ]);
  room.leave();
});

test('a URL that is not http(s) or a bad position is a RangeError and sends nothing', async () => {
  const { room, socket } = await joinedRoom(joined({ sharedVideo: VIDEO }), { e2ee: false });
  const sent = socket.sent.length;
  for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'media.example.org/a.mp4', 'https://a b.mp4', `https://x.org/${'a'.repeat(2048)}`]) {
    assert.throws(() => room.shareVideo(url), RangeError, url);
  }
  assert.throws(() => room.seekSharedVideo(-1), RangeError);
  assert.throws(() => room.playSharedVideo(Number.NaN), RangeError);
  assert.equal(socket.sent.length, sent);
  room.leave();
});

test('currentPosition advances a playing video from when it arrived and holds a paused one', () => {
  const playing: SharedVideo = { ...VIDEO, receivedAt: 1000 };
  assert.equal(currentPosition(playing, 3500), 14.5);
  assert.equal(currentPosition({ ...playing, playing: false }, 3500), 12);
  assert.equal(currentPosition(playing, 500), 12, 'never before what the server said');
});
