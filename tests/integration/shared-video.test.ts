// Shared video through the real server, over raw signaling sockets: a host shares a video URL and
// everyone sees it; a guest cannot change it; pause and seek reach everyone; a late joiner gets where
// playback is now; the video outlives its sharer and a co-host stops it; a knocker and bad URLs are refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningServer } from '@treff/server';
import { createRoom, waitUntil } from '@treff/load';
import type { SharedVideoState } from '@treff/protocol';
import { closeWhenDone, startTestServer } from './helpers.js';
import { http, RawSocket, type Frame } from './host-helpers.js';

let server: RunningServer | undefined;
const sockets: RawSocket[] = [];
closeWhenDone(() => server, sockets);

const URL_A = 'https://media.example.org/film.webm';

async function joinRaw(roomId: string, name: string, extra: Record<string, unknown> = {}): Promise<{ socket: RawSocket; joined: Frame }> {
  const socket = await RawSocket.open(server!);
  sockets.push(socket);
  socket.join(roomId, { name, ...extra });
  return { socket, joined: await socket.next('joined') };
}

const selfId = (joined: Frame): string => (joined.self as { id: string }).id;
const videoIn = (frame: Frame): SharedVideoState | null => frame.video as SharedVideoState | null;

/** The next `shared-video` each socket receives after its index in `from`. */
async function nextVideos(everyone: RawSocket[], from: number[]): Promise<(SharedVideoState | null)[]> {
  return Promise.all(everyone.map(async (s, i) => videoIn(await s.next('shared-video', from[i]))));
}
const marks = (everyone: RawSocket[]): number[] => everyone.map((s) => s.frames.length);

test('shared video', async (t) => {
  server = await startTestServer();
  const { roomId, hostSecret } = await createRoom(server.url, 'shared video');
  const host = await joinRaw(roomId, 'Hana', { hostSecret });
  const guest = await joinRaw(roomId, 'Gus');
  const everyone = [host.socket, guest.socket];
  assert.equal(host.joined.sharedVideo, null, 'no video when the meeting starts');

  await t.test('a host shares a video and everyone sees it, with the host as its sharer', async () => {
    const from = marks(everyone);
    host.socket.send({ type: 'shared-video', url: URL_A, playing: true, position: 0 });
    for (const video of await nextVideos(everyone, from)) {
      assert.equal(video?.url, URL_A);
      assert.equal(video?.playing, true);
      assert.equal(video?.by, selfId(host.joined));
      assert.ok(video.position >= 0 && video.position < 2);
    }
  });

  await t.test('a guest cannot change it, and the refusal changes nothing', async () => {
    const from = marks(everyone);
    await guest.socket.expectError({ type: 'shared-video', url: null, playing: false, position: 0 }, 'forbidden', false);
    await guest.socket.expectError({ type: 'shared-video', url: URL_A, playing: false, position: 9 }, 'forbidden', false);
    assert.equal(everyone.some((s, i) => s.frames.slice(from[i]).some((f) => f.type === 'shared-video')), false);
  });

  await t.test('bad URLs are refused with a clear error; the video plays on', async () => {
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'not a url']) {
      const error = await host.socket.expectError({ type: 'shared-video', url, playing: true, position: 0 }, 'bad-message', false);
      assert.match(String(error.message), /http\(s\) URL/);
    }
    assert.equal(host.socket.closed, false);
  });

  await t.test('pause and seek reach everyone', async () => {
    let from = marks(everyone);
    host.socket.send({ type: 'shared-video', url: URL_A, playing: false, position: 42 });
    for (const video of await nextVideos(everyone, from)) assert.deepEqual(video, { url: URL_A, playing: false, position: 42, by: selfId(host.joined) });
    from = marks(everyone);
    host.socket.send({ type: 'shared-video', url: URL_A, playing: false, position: 100 });
    for (const video of await nextVideos(everyone, from)) assert.deepEqual(video, { url: URL_A, playing: false, position: 100, by: selfId(host.joined) });
    // Paused, the position stays where it was: a joiner now gets exactly 100.
    await sleep(300);
    const paused = await joinRaw(roomId, 'Pia');
    assert.deepEqual(paused.joined.sharedVideo, { url: URL_A, playing: false, position: 100, by: selfId(host.joined) });
    paused.socket.send({ type: 'leave' });
  });

  await t.test('a late joiner gets the current position of a playing video', async () => {
    const from = marks(everyone);
    host.socket.send({ type: 'shared-video', url: URL_A, playing: true, position: 100 });
    await nextVideos(everyone, from);
    await sleep(600);
    const late = await joinRaw(roomId, 'Lea');
    everyone.push(late.socket);
    const video = late.joined.sharedVideo as SharedVideoState;
    assert.equal(video.playing, true);
    assert.ok(video.position >= 100.55 && video.position < 105, `late joiner's position ${video.position}`);
  });

  await t.test('the video outlives its sharer; a co-host stops it for everyone; a joiner then gets none', async () => {
    const gusId = selfId(guest.joined);
    host.socket.send({ type: 'set-role', participantId: gusId, role: 'cohost' });
    await waitUntil(() => guest.socket.frames.some((f) => f.type === 'participant-updated' && (f.participant as { id: string; role: string }).id === gusId && (f.participant as { role: string }).role === 'cohost'), {
      timeoutMs: 5000, what: 'Gus to become co-host',
    });
    host.socket.send({ type: 'leave' });
    await host.socket.waitClosed();
    const stayers = everyone.slice(1);
    const check = await joinRaw(roomId, 'Cid');
    assert.equal((check.joined.sharedVideo as SharedVideoState | null)?.url, URL_A, 'still shared after its sharer left');
    stayers.push(check.socket);
    const from = marks(stayers);
    guest.socket.send({ type: 'shared-video', url: null, playing: false, position: 0 });
    assert.deepEqual(await nextVideos(stayers, from), stayers.map(() => null));
    const after = await joinRaw(roomId, 'Dot');
    assert.equal(after.joined.sharedVideo, null);
  });

  await t.test('someone waiting in the lobby is told to wait', async () => {
    const created = await createRoom(server!.url, 'shared video lobby');
    const patched = await http(server!, 'PATCH', `/api/rooms/${created.roomId}/settings`, { secret: created.hostSecret, body: { lobby: true } });
    assert.equal(patched.status, 200);
    const knocker = await RawSocket.open(server!);
    sockets.push(knocker);
    knocker.join(created.roomId, { name: 'Kim' });
    await knocker.next('lobby-waiting');
    await knocker.expectError({ type: 'shared-video', url: URL_A, playing: true, position: 0 }, 'wrong-state', false);
  });
});
