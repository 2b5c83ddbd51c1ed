// Browser end-to-end for the shared video: a host in Chromium plays a video file (served here on loopback) for
// everyone; a guest in Firefox plays it in sync, without controls; the host's pause, seek and play reach the
// guest; "Stop video" removes it for both. Run by scripts/run-e2e.mjs inside a private network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { e2eHarness, RESULTS } from './harness.js';
import type { Participant } from './participant.js';
import { waitUntilConnected } from './page-waits.js';
import { waitFor } from './wait.js';

const STEP_TIMEOUT = 60_000;
/** 20 s of a 160×90 test pattern (VP8 in WebM, 31 kB), made with `ffmpeg -f lavfi -i testsrc=size=160x90:rate=10`. */
const CLIP = readFileSync(new URL('./fixtures/clip.webm', import.meta.url));

const e2e = e2eHarness();

interface VideoState {
  t: number;
  paused: boolean;
  controls: boolean;
}
interface PageVideo {
  currentTime: number;
  paused: boolean;
  controls: boolean;
  pause(): void;
  play(): Promise<void>;
}
type PageDocument = { document: { querySelector(selector: string): PageVideo | null } };

/** Page function: the shared video's playback state, or null when none is shown. */
const readVideo = (): VideoState | null => {
  const v = (globalThis as unknown as PageDocument).document.querySelector('figure[aria-label="Shared video"] video');
  return v ? { t: v.currentTime, paused: v.paused, controls: v.controls } : null;
};
/** Page function: what a host does with the native controls (pause, play, or seek to a number of seconds). */
const control = (what: string): boolean => {
  const v = (globalThis as unknown as PageDocument).document.querySelector('figure[aria-label="Shared video"] video');
  if (!v) return false;
  if (what === 'pause') v.pause();
  else if (what === 'play') void v.play();
  else v.currentTime = Number(what);
  return true;
};

/** Serves the clip with range requests, as a video element asks for it. */
function serveClip() {
  const server = createServer((request, response) => {
    const range = /bytes=(\d+)-(\d*)/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Number(range[2]) : CLIP.length - 1;
    response.writeHead(range ? 206 : 200, {
      'content-type': 'video/webm',
      'accept-ranges': 'bytes',
      'content-length': end - start + 1,
      ...(range ? { 'content-range': `bytes ${start}-${end}/${CLIP.length}` } : {}),
    });
    response.end(CLIP.subarray(start, end + 1));
  });
  return server;
}

test('a host plays a video for everyone; pause, seek and play stay in sync; stop removes it', { timeout: 300_000 }, async () => {
  const media = serveClip();
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(media.address() as AddressInfo).port}/clip.webm`;
  const room = await e2e.createRoom({ title: 'Movie night' });
  const host = await e2e.chromiumParticipant('Hana');
  const guest = await e2e.firefoxParticipant('Gus');
  const video = (p: Participant) => p.page.evaluate(readVideo, undefined);
  const both = (what: string, ok: (h: VideoState, g: VideoState) => boolean) =>
    waitFor(what, STEP_TIMEOUT, async (note) => {
      const [h, g] = [await video(host), await video(guest)];
      note(JSON.stringify({ host: h, guest: g }));
      return h && g && ok(h, g) ? { h, g } : undefined;
    }, 250);
  try {
    await e2e.withDiagnostics('shared-video', async () => {
      assert.equal(await host.join(room.hostUrl, STEP_TIMEOUT), 200);
      assert.equal(await guest.join(room.roomUrl, STEP_TIMEOUT), 200);
      await waitUntilConnected(host);
      await waitUntilConnected(guest);

      await host.page.clickButton('Share a video', STEP_TIMEOUT);
      await host.page.fill('Address of a video file', url, STEP_TIMEOUT);
      await host.page.clickButton('Play for everyone', STEP_TIMEOUT);
      const playing = await both('both to play the video', (h, g) => !h.paused && !g.paused && h.t > 1 && g.t > 1);
      assert.equal(playing.h.controls, true, 'the host has the controls');
      assert.equal(playing.g.controls, false, 'a guest does not');

      assert.ok(await host.page.evaluate(control, 'pause'));
      await both('both to pause at the same place', (h, g) => h.paused && g.paused && Math.abs(h.t - g.t) < 0.5);
      assert.ok(await host.page.evaluate(control, '12'));
      await both('both to be at 12 s', (h, g) => h.paused && g.paused && Math.abs(h.t - 12) < 0.3 && Math.abs(g.t - 12) < 0.3);
      assert.ok(await host.page.evaluate(control, 'play'));
      const resumed = await both('both to play on from 12 s', (h, g) => !h.paused && !g.paused && h.t > 12.5 && g.t > 12.5);
      console.log(`in sync after the seek: host ${resumed.h.t.toFixed(2)} s, guest ${resumed.g.t.toFixed(2)} s`);
      await guest.screenshot(`${RESULTS}/shared-video-${guest.engine}.png`);

      await host.page.clickButton('Stop video', STEP_TIMEOUT);
      await waitFor('the video to go for both', STEP_TIMEOUT, async () => ((await video(host)) === null && (await video(guest)) === null ? true : undefined), 250);
    });
  } finally {
    media.close();
    await e2e.dismiss(host, guest);
  }
});
