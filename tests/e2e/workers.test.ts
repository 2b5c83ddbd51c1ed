// Browser end-to-end for `--workers 2`: the page, the signaling socket and the API pass through the front
// process, media goes straight to the worker running the meeting. Chromium and Firefox meet, see and hear each
// other; a second meeting (placed in the other worker, the less busy one) works the same. Run by scripts/run-e2e.mjs inside a
// private network namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoomSummary } from '@treff/protocol';
import { startClusterProcess } from '../cluster-process.js';
import { e2eHarness } from './harness.js';
import type { Participant } from './participant.js';
import { waitUntilConnected } from './page-waits.js';

const NAV_TIMEOUT = 60_000;
const MEDIA_TIMEOUT = 90_000;

const e2e = e2eHarness(() => startClusterProcess(2));
const { chromiumParticipant, firefoxParticipant, dismiss, withDiagnostics } = e2e;

async function meet(a: Participant, b: Participant, roomUrl: string): Promise<void> {
  for (const p of [a, b]) assert.equal(await p.join(roomUrl, NAV_TIMEOUT), 200, `${p.name}: GET room URL`);
  await waitUntilConnected(a, MEDIA_TIMEOUT, 100);
  for (const [p, other] of [[a, b], [b, a]] as const) {
    const [media] = await p.waitForMediaFrom([other.name], MEDIA_TIMEOUT);
    assert.ok(media && media.framesDecodedGrowth > 0 && media.audioPacketsGrowth > 0, `${p.name} (${p.engine}) <- ${other.name}: ${JSON.stringify(media)}`);
  }
}

test('through a server of two workers, Chromium and Firefox meet, and so do two more in a second meeting beside it', { timeout: 300_000 }, async () => {
  const first = await e2e.createRoom({ title: 'first' });
  const second = await e2e.createRoom({ title: 'second' });
  const ada = await chromiumParticipant('Ada');
  const zoe = await firefoxParticipant('Zoë');
  await withDiagnostics('workers-first', () => meet(ada, zoe, first.roomUrl));
  const summary = (await (await fetch(new URL(`/api/rooms/${first.roomId}`, e2e.server.url))).json()) as RoomSummary;
  assert.equal(summary.participantCount, 2);

  const cem = await chromiumParticipant('Cem');
  const dan = await firefoxParticipant('Dan');
  await withDiagnostics('workers-second', () => meet(cem, dan, second.roomUrl));
  // Both meetings go on side by side.
  await ada.waitForMediaFrom([zoe.name], MEDIA_TIMEOUT);
  await dismiss(ada, zoe, cem, dan);
});
