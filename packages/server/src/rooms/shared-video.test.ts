import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { may } from './permissions.js';
import { RoomError } from './room-error.js';
import { setSharedVideo, SharedVideo } from './shared-video.js';
import { enter, openRoomTestBed, plainIdentity, ticket } from './test-room.js';

const URL_A = 'https://media.example.org/a.mp4';
const bed = await openRoomTestBed();

function refusal(code: string, pattern: RegExp): (err: unknown) => boolean {
  return (err) => err instanceof RoomError && err.code === code && pattern.test(err.message);
}

function clocked() {
  let ms = 1000;
  return { video: new SharedVideo(() => ms), advance: (s: number) => void (ms += s * 1000) };
}

test('only hosts and co-hosts may share a video', async () => {
  assert.equal(may('host', 'share-video'), true);
  assert.equal(may('cohost', 'share-video'), true);
  assert.equal(may('guest', 'share-video'), false);
});

test('while playing the position advances with time; paused it stays where it was', async () => {
  const { video, advance } = clocked();
  assert.equal(video.current(), null);
  video.apply({ url: URL_A, playing: true, position: 0 }, 'h');
  advance(2.5);
  assert.deepEqual(video.current(), { url: URL_A, playing: true, position: 2.5, by: 'h' });
  video.apply({ url: URL_A, playing: false, position: 3 }, 'h');
  advance(10);
  assert.deepEqual(video.current(), { url: URL_A, playing: false, position: 3, by: 'h' });
  video.apply({ url: URL_A, playing: true, position: 60 }, 'h');
  advance(1);
  assert.equal(video.current()?.position, 61);
});

test('a seek by another moderator keeps who shared it; a new URL is theirs', async () => {
  const { video } = clocked();
  video.apply({ url: URL_A, playing: true, position: 0 }, 'h');
  video.apply({ url: URL_A, playing: false, position: 5 }, 'c');
  assert.equal(video.current()?.by, 'h');
  video.apply({ url: 'https://media.example.org/b.webm', playing: true, position: 0 }, 'c');
  assert.equal(video.current()?.by, 'c');
});

test('stop clears it; stopping nothing changes nothing', async () => {
  const { video } = clocked();
  assert.equal(video.apply({ url: null, playing: false, position: 0 }, 'h'), false);
  video.apply({ url: URL_A, playing: true, position: 0 }, 'h');
  assert.equal(video.apply({ url: null, playing: false, position: 0 }, 'h'), true);
  assert.equal(video.current(), null);
});

test('a host shares: everyone gets the state; a guest is refused and changes nothing', async () => {
  const room = await bed.openRoom();
  const host = enter(room, ticket('Host', { role: 'host', identity: plainIdentity({ hostLink: true }) }));
  const guestTicket = ticket('Guest');
  const guest = enter(room, guestTicket);
  setSharedVideo(room, host, { url: URL_A, playing: true, position: 0 });
  const seen = guestTicket.sink.of('shared-video');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.video?.url, URL_A);
  assert.equal(seen[0]!.video?.by, host.id);
  assert.throws(() => setSharedVideo(room, guest, { url: null, playing: false, position: 0 }), refusal('forbidden', /may not share video/));
  assert.equal(room.sharedVideo.current()?.url, URL_A);
  assert.equal(guestTicket.sink.of('shared-video').length, 1);
  room.close();
});

test('a late joiner gets the advanced position in joined; the video outlives its sharer, a co-host stops it', async () => {
  const room = await bed.openRoom();
  const hostTicket = ticket('Host', { role: 'host', identity: plainIdentity({ hostLink: true }) });
  const host = enter(room, hostTicket);
  const cohost = enter(room, ticket('Co'));
  room.changeRole(cohost, 'cohost');
  setSharedVideo(room, host, { url: URL_A, playing: true, position: 10 });
  await sleep(300);
  const lateTicket = ticket('Late');
  enter(room, lateTicket);
  const late = lateTicket.sink.of('joined')[0]!.sharedVideo;
  assert.equal(late?.playing, true);
  assert.ok(late !== null && late !== undefined && late.position >= 10.25 && late.position < 12, `position ${String(late?.position)}`);

  room.leave(host, 'left');
  assert.equal(room.sharedVideo.current()?.url, URL_A, 'the sharer leaving does not stop it');
  setSharedVideo(room, cohost, { url: null, playing: false, position: 0 });
  assert.deepEqual(lateTicket.sink.of('shared-video').at(-1), { type: 'shared-video', video: null });
  room.close();
});

test('more than 5 changes a second are refused and change nothing', async () => {
  const room = await bed.openRoom();
  const host = enter(room, ticket('Host', { role: 'host', identity: plainIdentity({ hostLink: true }) }));
  for (let i = 0; i < 5; i++) setSharedVideo(room, host, { url: URL_A, playing: false, position: i });
  assert.throws(() => setSharedVideo(room, host, { url: URL_A, playing: false, position: 99 }), refusal('rate-limited', /at most 5 per second/));
  assert.equal(room.sharedVideo.current()?.position, 4);
  room.close();
});
