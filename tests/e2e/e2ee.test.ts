// Browser end-to-end encryption (docs/e2ee.md): Chromium and Firefox ESR in one room encrypt every frame
// (SFrame) in the browser. A tap on the server shows it forwards only ciphertext, while the browsers decode
// each other fine; after a third participant is removed, the two remaining still decode and their key epochs
// have moved on. A bot without encryption turns the meeting to clear for as long as it stays (and the tap
// sees plain VP8 then: the check below can fail), and encryption comes back when it leaves.
// Run by scripts/run-e2e.mjs inside a private network namespace (loopback only).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Bot } from '@treff/load';
import type { CreateRoomResponse } from '@treff/protocol';
import { e2eHarness, RESULTS } from './harness.js';
import type { Participant } from './participant.js';
import { waitUntilConnected } from './page-waits.js';
import { inspectFrame, reassembleFrames, type TappedPacket } from './sframe-frames.js';
import { sleep, waitFor } from './wait.js';

const NAV_TIMEOUT = 60_000;
const STEP_TIMEOUT = 90_000;
/** How long the tap listens each time: a few key frames' worth at 20 fps plus ~50 audio frames a second. */
const TAP_MS = 3000;

const e2e = e2eHarness();
const { chromiumParticipant, firefoxParticipant, dismiss, withDiagnostics } = e2e;

interface PageE2ee {
  status: string;
  epoch: number;
  supported: boolean;
  blockers: readonly string[];
}
interface PageE2eeStats {
  encryptedFrames: number;
  decryptedFrames: number;
  failedFrames: number;
  heldFrames: number;
  passedThrough: number;
}
interface E2eePageRoom {
  e2ee: PageE2ee;
  e2eeStats(): Promise<PageE2eeStats>;
  self: { id: string; e2ee: { keyTag: number } | null } | null;
}

/** Page function: the SDK room's encryption state, our key tag and the worker's frame counters. */
const readE2ee = async (): Promise<{ state: PageE2ee; keyTag: number | null; id: string | null; stats: PageE2eeStats } | null> => {
  const room = (globalThis as unknown as { treff?: { room?: E2eePageRoom | null } }).treff?.room;
  if (!room?.e2ee) return null;
  return { state: { ...room.e2ee, blockers: [...room.e2ee.blockers] }, keyTag: room.self?.e2ee?.keyTag ?? null, id: room.self?.id ?? null, stats: await room.e2eeStats() };
};

const e2eeOf = async (p: Participant) => {
  const read = await p.page.evaluate(readE2ee, undefined);
  assert.ok(read, `${p.name}: window.treff.room has no e2ee state`);
  return read;
};

async function waitForStatus(p: Participant, status: 'encrypted' | 'not-encrypted'): Promise<void> {
  await waitFor(`${p.name} (${p.engine}) to be ${status}`, STEP_TIMEOUT, async (note) => {
    const read = await p.page.evaluate(readE2ee, undefined);
    note(JSON.stringify(read?.state));
    return read?.state.status === status ? true : undefined;
  }, 250);
  // The UI says it as plainly as the SDK: the state control's accessible name.
  const label = status === 'encrypted' ? 'End-to-end encrypted' : 'Not end-to-end encrypted';
  await waitFor(`${p.name} (${p.engine}) to show "${label}"`, STEP_TIMEOUT, async () => {
    const found = await p.page.findByRole('button', label);
    return found.length > 0 ? true : undefined;
  }, 250);
}

/** Frames decoded from every remote video this participant receives, summed. */
async function framesDecoded(p: Participant): Promise<number> {
  return (await p.remoteVideoStats()).reduce((n, s) => n + s.framesDecoded, 0);
}

async function waitUntilDecoding(p: Participant, what: string): Promise<void> {
  const before = await framesDecoded(p);
  await waitFor(`${p.name} (${p.engine}) to decode more video ${what}`, STEP_TIMEOUT, async (note) => {
    const now = await framesDecoded(p);
    note(`framesDecoded ${before} → ${now}`);
    return now >= before + 20 ? true : undefined;
  }, 250);
}

/** Everything publishers send the server for `ms`, by participant id. */
async function tap(ms: number): Promise<Map<string, TappedPacket[]>> {
  const seen = new Map<string, TappedPacket[]>();
  const stop = e2e.server.tapMedia(({ participantId, kind, ssrc, marker, payload }) => {
    let list = seen.get(participantId);
    if (!list) seen.set(participantId, (list = []));
    list.push({ kind, ssrc, marker, payload });
  });
  try {
    await sleep(ms);
  } finally {
    stop();
  }
  return seen;
}

/** Per sender and kind: how many frames were sealed, how many not (with the first reason), and the epochs seen. */
function verdicts(seen: Map<string, TappedPacket[]>, tags: ReadonlySet<number>) {
  const out = new Map<string, { sealed: number; plain: number; why: string | null; epochs: Set<number>; tags: Set<number> }>();
  for (const [id, packets] of seen) {
    for (const { kind, frame } of reassembleFrames(packets)) {
      const key = `${id}/${kind}`;
      let v = out.get(key);
      if (!v) out.set(key, (v = { sealed: 0, plain: 0, why: null, epochs: new Set(), tags: new Set() }));
      const verdict = inspectFrame(kind, frame, tags);
      if (verdict.sealed) {
        v.sealed++;
        v.epochs.add(verdict.epoch);
        v.tags.add(verdict.keyTag);
      } else {
        v.plain++;
        v.why ??= verdict.why;
      }
    }
  }
  return out;
}

describe('an end-to-end encrypted room with Chromium and Firefox', () => {
  let room: CreateRoomResponse;
  let host: Participant;
  let fox: Participant;
  let third: Participant;

  after(async () => {
    await dismiss(host, fox, third);
  });

  test('the server forwards only ciphertext, the browsers decode; a removal rotates every key', { timeout: 420_000 }, async () => {
    room = await e2e.createRoom({ title: 'E2EE' });
    host = await chromiumParticipant('Ines');
    fox = await firefoxParticipant('Jonas');
    third = await chromiumParticipant('Kai');
    await withDiagnostics('e2ee', async () => {
      assert.equal(await host.join(room.hostUrl, NAV_TIMEOUT), 200);
      await waitUntilConnected(host, STEP_TIMEOUT);
      assert.equal(await fox.join(room.roomUrl, NAV_TIMEOUT), 200);
      assert.equal(await third.join(room.roomUrl, NAV_TIMEOUT), 200);
      const all = [host, fox, third];
      for (const p of all) await p.waitForFirstRemoteFrame(STEP_TIMEOUT);
      for (const p of all) await waitForStatus(p, 'encrypted');
      for (const p of all) await waitUntilDecoding(p, 'while encrypted');
      for (const p of all) console.log(`${p.name} (${p.engine}): first remote frame ${p.joinMs} ms after opening the link (encrypted)`);

      const before = await Promise.all(all.map(e2eeOf));
      const tags = new Set(before.map((b) => b.keyTag).filter((t): t is number => t !== null));
      assert.equal(tags.size, 3, `three distinct key tags: ${JSON.stringify(before.map((b) => b.keyTag))}`);

      // The server's view: every audio and video frame of every participant is SFrame ciphertext under that
      // participant's own key tag.
      const seen = verdicts(await tap(TAP_MS), tags);
      for (const [i, p] of all.entries()) {
        const id = before[i]!.id!;
        for (const kind of ['audio', 'video'] as const) {
          const v = seen.get(`${id}/${kind}`);
          assert.ok(v && v.sealed > 0, `${p.name}'s ${kind}: no frames tapped (${JSON.stringify([...seen.keys()])})`);
          assert.equal(v.plain, 0, `${p.name}'s ${kind}: ${v.plain} of ${v.plain + v.sealed} frames not sealed (${v.why})`);
          assert.deepEqual([...v.tags], [before[i]!.keyTag], `${p.name}'s ${kind} is sealed under someone else's key tag`);
        }
      }
      for (const [i, p] of all.entries()) {
        const { stats } = before[i]!;
        assert.ok(stats.encryptedFrames > 0 && stats.decryptedFrames > 0, `${p.name}: frame counters ${JSON.stringify(stats)}`);
      }
      await host.screenshot(`${RESULTS}/e2ee-encrypted-${host.engine}.png`);

      // The host removes Kai: Ines and Jonas rotate to keys Kai never gets, and keep decoding each other.
      await host.page.clickButton(`Actions for ${third.name}`, STEP_TIMEOUT);
      await host.page.clickButton('Remove', STEP_TIMEOUT);
      const remaining = [host, fox];
      await waitFor('both remaining participants to rotate their keys', STEP_TIMEOUT, async (note) => {
        const now = await Promise.all(remaining.map(e2eeOf));
        note(JSON.stringify(now.map((n) => n.state)));
        return now.every((n, i) => n.state.epoch > before[i]!.state.epoch && n.state.status === 'encrypted') ? true : undefined;
      }, 250);
      for (const p of remaining) await waitUntilDecoding(p, 'after the removal');
      const after = await Promise.all(remaining.map(e2eeOf));
      const seenAfter = verdicts(await tap(TAP_MS), tags);
      for (const [i, p] of remaining.entries()) {
        const v = seenAfter.get(`${after[i]!.id}/video`);
        assert.ok(v && v.sealed > 0 && v.plain === 0, `${p.name}'s video after the removal: ${JSON.stringify(v && { ...v, epochs: [...v.epochs] })}`);
        assert.ok(Math.min(...v.epochs) > before[i]!.state.epoch, `${p.name} still sends under an epoch Kai knew: ${[...v.epochs]} vs ${before[i]!.state.epoch}`);
      }
      console.log(`epochs before → after the removal: ${before.slice(0, 2).map((b, i) => `${b.state.epoch} → ${after[i]!.state.epoch}`).join(', ')}`);
    });
    await dismiss(third);
  });

  test('a participant who cannot encrypt turns the meeting to clear while present, and encryption resumes after', { timeout: 300_000 }, async () => {
    assert.ok(host && fox, 'the first test did not open the room');
    await withDiagnostics('e2ee-downgrade', async () => {
      // The removal locked the room.
      await host.page.clickButton('Unlock meeting', STEP_TIMEOUT);
      await waitFor('the host to see the room unlocked', STEP_TIMEOUT, async () => ((await host.page.findByRole('button', 'Lock meeting')).length > 0 ? true : undefined), 250);
      const bot = await Bot.join({ url: e2e.server.url, roomId: room.roomId, name: 'Loadbot', timeoutMs: 30_000, video: { packetsPerSecond: 50, framesPerSecond: 25, payloadBytes: 1100, keyframeIntervalMs: 60_000 } });
      try {
        for (const p of [host, fox]) await waitForStatus(p, 'not-encrypted');
        const read = await e2eeOf(fox);
        assert.equal(read.state.blockers.length, 1, `blockers: ${JSON.stringify(read.state.blockers)}`);
        await fox.screenshot(`${RESULTS}/e2ee-not-encrypted-${fox.engine}.png`);
        // The control for the check above: the browsers now send plain VP8, and the tap says so.
        const tags = new Set([(await e2eeOf(host)).keyTag!, read.keyTag!]);
        await sleep(1000);
        const seen = verdicts(await tap(TAP_MS), tags);
        const hostVideo = seen.get(`${(await e2eeOf(host)).id}/video`);
        assert.ok(hostVideo && hostVideo.plain > 0 && hostVideo.sealed === 0, `the host's video while a bot is present: ${JSON.stringify(hostVideo && { ...hostVideo, epochs: [...hostVideo.epochs] })}`);
      } finally {
        bot.leave();
      }
      for (const p of [host, fox]) await waitForStatus(p, 'encrypted');
      for (const p of [host, fox]) await waitUntilDecoding(p, 'after encryption resumed');
    });
  });
});
