// Browser end-to-end for breakout rooms: a host in Chromium, a guest in Firefox and a guest in Chromium, all
// with cameras. The host opens two rooms and puts the guests in different ones: neither guest then shows a
// tile of anyone (nor does the host, left in the main room), and each header names the guest's room. Moved
// into the same room, the two guests decode each other's video; a broadcast reaches both; closing the rooms
// brings everyone back to the main room, where all three see each other again. Real server, real browsers,
// loopback only (run by scripts/run-e2e.mjs inside a private network namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, RESULTS } from './harness.js';
import type { Participant } from './participant.js';
import { waitForText, waitUntilConnected } from './page-waits.js';
import { waitFor } from './wait.js';

// Generous: a 2-core machine runs the server and three browsers at once.
const NAV_TIMEOUT = 60_000;
const STEP_TIMEOUT = 90_000;

const e2e = e2eHarness();
const { chromiumParticipant, firefoxParticipant, dismiss, withDiagnostics } = e2e;

/**
 * Page function: picks the option reading `option` in the select named `label`, as a person would (the
 * driver clicks buttons and fills text fields only). Returns whether both were found.
 */
const pick = ({ label, option }: { label: string; option: string }): boolean => {
  type Option = { value: string; textContent: string | null };
  type Select = { value: string; options: ArrayLike<Option>; getAttribute(name: string): string | null; dispatchEvent(event: unknown): boolean };
  const g = globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<Select> }; Event: new (type: string, init: object) => unknown };
  const select = Array.from(g.document.querySelectorAll('select')).find((s) => s.getAttribute('aria-label') === label);
  const found = select && Array.from(select.options).find((o) => (o.textContent ?? '').trim() === option);
  if (!select || !found) return false;
  select.value = found.value;
  select.dispatchEvent(new g.Event('change', { bubbles: true }));
  return true;
};

/** Picks `room` for `who` in the host's breakout panel, waiting for the select to be there. */
async function move(host: Participant, who: string, room: string): Promise<void> {
  await waitFor(`${host.name} to put ${who} in ${room}`, STEP_TIMEOUT, async () => ((await host.page.evaluate(pick, { label: `Room for ${who}`, option: room })) ? true : undefined), 250);
}

/** Waits until `viewer` shows no tile of any of `names` (media is per room: they are elsewhere). */
async function waitForNoTiles(viewer: Participant, names: readonly string[]): Promise<void> {
  await waitFor(`${viewer.name} (${viewer.engine}) to show no tile of ${names.join(', ')}`, STEP_TIMEOUT, async (note) => {
    const shown: string[] = [];
    for (const name of names) if ((await viewer.tiles(name)).length > 0) shown.push(name);
    note(`still shown: ${shown.join(', ') || '(none)'}`);
    return shown.length === 0 ? true : undefined;
  }, 250);
}

/** Waits until `p`'s header names its room: the badge button "Your room: <room>". */
async function waitForRoomBadge(p: Participant, room: string): Promise<void> {
  await waitFor(`${p.name} (${p.engine}) to show "${room}" in the header`, STEP_TIMEOUT, async () => ((await p.page.findByRole('button', `Your room: ${room}`)).length > 0 ? true : undefined), 250);
}

/** What `p` has received on all its receiving slots so far: video frames decoded and audio packets. */
async function received(p: Participant): Promise<{ videoFrames: number; audioPackets: number }> {
  const stats = (await p.inboundStats()) ?? [];
  return {
    videoFrames: stats.filter((s) => s.kind === 'video').reduce((sum, s) => sum + s.framesDecoded, 0),
    audioPackets: stats.filter((s) => s.kind === 'audio').reduce((sum, s) => sum + s.packetsReceived, 0),
  };
}

test('breakout rooms separate media: guests in different rooms see no one, moved together they see each other, a broadcast reaches both, closing brings everyone back', { timeout: 600_000 }, async () => {
  const room = await e2e.createRoom({ title: 'Workshop' });
  const host = await chromiumParticipant('Hana');
  const finn = await firefoxParticipant('Finn');
  const cleo = await chromiumParticipant('Cleo');
  await withDiagnostics('breakouts', async () => {
    assert.equal(await host.join(room.hostUrl, NAV_TIMEOUT), 200);
    assert.equal(await finn.join(room.roomUrl, NAV_TIMEOUT), 200);
    assert.equal(await cleo.join(room.roomUrl, NAV_TIMEOUT), 200);
    for (const p of [host, finn, cleo]) await waitUntilConnected(p, STEP_TIMEOUT);
    await host.waitForMediaFrom(['Finn', 'Cleo'], STEP_TIMEOUT);

    // Two rooms, people assigned by hand.
    await host.page.clickButton('Breakout rooms', STEP_TIMEOUT);
    await host.page.clickButton('Open breakout rooms', STEP_TIMEOUT);
    await waitForText(host, 'the open rooms', /Close all rooms/, STEP_TIMEOUT);
    await move(host, 'Finn', 'Room 1');
    await waitForText(finn, 'the move toast', /You are now in the breakout room Room 1/, STEP_TIMEOUT);
    await move(host, 'Cleo', 'Room 2');
    await waitForRoomBadge(finn, 'Room 1');
    await waitForRoomBadge(cleo, 'Room 2');
    await waitForNoTiles(finn, ['Hana', 'Cleo']);
    await waitForNoTiles(cleo, ['Hana', 'Finn']);
    await waitForNoTiles(host, ['Finn', 'Cleo']);
    await host.page.screenshot(`${RESULTS}/breakouts-host-panel-${host.engine}.png`);
    const hostSubscriptions = await host.videoSubscriptions();
    assert.deepEqual(hostSubscriptions ?? [], [], 'the host, in the main room, subscribes to no one’s video');
    // Everyone still sees the whole participant list, grouped by room.
    await cleo.openParticipantList(STEP_TIMEOUT);
    assert.ok(await cleo.listsParticipant('Finn'), 'Cleo still lists Finn, who is in another room');
    await cleo.page.screenshot(`${RESULTS}/breakouts-apart-${cleo.engine}.png`);
    // Not only the tiles: each guest is alone in their room, so nothing at all arrives on their slots.
    const apart = [finn, cleo];
    const before = await Promise.all(apart.map(received));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await Promise.all(apart.map(received));
    for (const [i, p] of apart.entries()) {
      console.log(`apart, over 3 s: ${p.name} (${p.engine}, ${before[i]!.videoFrames} frames decoded before) decoded ${after[i]!.videoFrames - before[i]!.videoFrames} video frames, got ${after[i]!.audioPackets - before[i]!.audioPackets} audio packets`);
      assert.equal(after[i]!.videoFrames, before[i]!.videoFrames, `${p.name} decodes video from another room`);
      assert.equal(after[i]!.audioPackets, before[i]!.audioPackets, `${p.name} receives audio from another room`);
    }

    // Together in Room 2: each decodes the other's video (frames advancing).
    await move(host, 'Finn', 'Room 2');
    await waitForRoomBadge(finn, 'Room 2');
    const finnSees = await finn.waitForMediaFrom(['Cleo'], STEP_TIMEOUT);
    const cleoSees = await cleo.waitForMediaFrom(['Finn'], STEP_TIMEOUT);
    console.log(`in Room 2: Finn decodes Cleo at ${finnSees[0]?.videoWidth}×${finnSees[0]?.videoHeight}, Cleo decodes Finn at ${cleoSees[0]?.videoWidth}×${cleoSees[0]?.videoHeight}`);
    await waitForNoTiles(finn, ['Hana']);
    await finn.page.screenshot(`${RESULTS}/breakouts-together-${finn.engine}.png`);

    // A broadcast reaches every room.
    await host.page.fill('Message to all rooms', 'Back in five minutes', STEP_TIMEOUT);
    await host.page.clickButton('Send to all rooms', STEP_TIMEOUT);
    await waitForText(finn, 'the broadcast', /Hana to all rooms[\s\S]*Back in five minutes/, STEP_TIMEOUT);
    await waitForText(cleo, 'the broadcast', /Hana to all rooms[\s\S]*Back in five minutes/, STEP_TIMEOUT);

    // Closing calls everyone back: all three see each other again.
    await host.page.clickButton('Close all rooms', STEP_TIMEOUT);
    await host.page.clickButton('Yes, close all rooms', STEP_TIMEOUT);
    await waitForText(finn, 'the return toast', /You are back in the main room/, STEP_TIMEOUT);
    assert.equal((await finn.page.findByRole('button', 'Your room: Room 2')).length, 0, 'the header badge goes with the rooms');
    await host.waitForMediaFrom(['Finn', 'Cleo'], STEP_TIMEOUT);
    await finn.waitForMediaFrom(['Hana', 'Cleo'], STEP_TIMEOUT);
    await cleo.waitForMediaFrom(['Hana', 'Finn'], STEP_TIMEOUT);
    await host.page.screenshot(`${RESULTS}/breakouts-back-${host.engine}.png`);
  });
  await dismiss(host, finn, cleo);
});
