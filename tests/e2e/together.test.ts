// Browser end-to-end for screen sharing and polls: a Chromium participant shares its (fake) screen and a
// Firefox participant shows it large, decoding it, until the share stops (by the sharer, then by a host); a host
// creates a poll in Chromium, Firefox votes, and both see the result live;
// the reaction picker closes on Escape and on a press elsewhere. Real server, real browsers, loopback
// only (run by scripts/run-e2e.mjs inside a private network namespace). Chromium's fake UI answers
// getDisplayMedia with a 1280×720 fake screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eHarness, RESULTS } from './harness.js';
import type { ElementSummary } from './driver.js';
import type { Participant } from './participant.js';
import { waitForText, waitUntilConnected } from './page-waits.js';
import { sleep, waitFor } from './wait.js';

// Generous: a 2-core machine runs the server and two browsers at once.
const NAV_TIMEOUT = 60_000;
const STEP_TIMEOUT = 60_000;

const e2e = e2eHarness();
const { chromiumParticipant, firefoxParticipant, dismiss, withDiagnostics } = e2e;

/** The screen tile's accessible name, as the app's strings say it. */
const screenOf = (name: string) => `${name}’s screen`;

async function waitForButton(p: Participant, name: string): Promise<void> {
  await waitFor(`${p.name} (${p.engine}) to show the button "${name}"`, STEP_TIMEOUT, async () => ((await p.page.findByRole('button', name)).length > 0 ? true : undefined), 250);
}

/**
 * Page function: clicks the checkbox or radio button whose label reads `label` (the driver clicks buttons only).
 * Returns whether one was found.
 */
const clickLabelled = (label: string): boolean => {
  type Input = { click(): void };
  type Label = { textContent: string | null; querySelector(selector: string): Input | null };
  const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<Label> } }).document;
  const found = Array.from(doc.querySelectorAll('label')).find((l) => (l.textContent ?? '').trim() === label);
  const input = found?.querySelector('input');
  input?.click();
  return input !== undefined && input !== null;
};

/** Page function: presses a key (`keydown` on the focused element) or presses the pointer on the page's body. */
const dismissBy = (how: 'Escape' | 'outside'): void => {
  type Target = { dispatchEvent(event: unknown): boolean };
  const g = globalThis as unknown as {
    document: { activeElement: Target | null; body: Target };
    KeyboardEvent: new (type: string, init: object) => unknown;
    PointerEvent: new (type: string, init: object) => unknown;
  };
  if (how === 'Escape') (g.document.activeElement ?? g.document.body).dispatchEvent(new g.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  else g.document.body.dispatchEvent(new g.PointerEvent('pointerdown', { bubbles: true }));
};

/** Page function: the accessible name (aria-label) of the focused element. */
const focusedLabel = (): string | null =>
  (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label') ?? null;

const area = (e: ElementSummary) => e.width * e.height;

/** Waits until `viewer` shows `sharer`'s screen tile with a decoded picture; returns it and the camera tile. */
async function waitForScreenTile(viewer: Participant, sharer: Participant): Promise<{ screen: ElementSummary; camera: ElementSummary }> {
  return waitFor(`${viewer.name} (${viewer.engine}) to show ${sharer.name}'s screen large`, STEP_TIMEOUT, async (note) => {
    const [screen] = await viewer.page.findByRole('figure', screenOf(sharer.name));
    const [camera] = await viewer.tiles(sharer.name);
    const video = screen?.media.find((m) => m.tag === 'video');
    note(`screen tile ${screen ? `${screen.width}×${screen.height}, video ${video?.videoWidth ?? 0}×${video?.videoHeight ?? 0}` : 'missing'}; camera tile ${camera ? `${camera.width}×${camera.height}` : 'missing'}`);
    return screen && camera && video && video.videoWidth > 0 ? { screen, camera } : undefined;
  }, 250);
}

test('a screen shared in Chromium shows large and decoding in Firefox, a second share is refused until a host allows several, then a switcher picks; the sharer or a host stops it', { timeout: 300_000 }, async () => {
  const room = await e2e.createRoom({ title: 'Screen sharing' });
  const sharer = await chromiumParticipant('Sam');
  const host = await firefoxParticipant('Vera');
  await withDiagnostics('screen-share', async () => {
    assert.equal(await host.join(room.hostUrl, NAV_TIMEOUT), 200);
    assert.equal(await sharer.join(room.roomUrl, NAV_TIMEOUT), 200);
    await host.waitForMediaFrom([sharer.name], STEP_TIMEOUT);

    await sharer.page.clickButton('Share screen', STEP_TIMEOUT);
    await waitForButton(sharer, 'Stop sharing');
    const { screen, camera } = await waitForScreenTile(host, sharer);
    assert.ok(area(screen) > 6 * area(camera), `the screen tile (${screen.width}×${screen.height}) is not much larger than the camera tile (${camera.width}×${camera.height})`);

    // The picture in the screen tile keeps decoding: its own inbound stream, not the camera's.
    const first = await waitFor('an inbound stream for the screen tile', STEP_TIMEOUT, async () => host.tileVideoStats(screenOf(sharer.name)), 250);
    const cameraStats = await host.tileVideoStats(sharer.name);
    assert.notEqual(first.id, cameraStats?.id, 'the screen tile shows the camera stream');
    await sleep(1_500);
    const later = await host.tileVideoStats(screenOf(sharer.name));
    assert.ok(later && later.framesDecoded > first.framesDecoded, `screen frames decoded did not grow (${first.framesDecoded} → ${later?.framesDecoded})`);
    assert.ok(later.frameWidth >= 640, `the screen arrives at ${later.frameWidth}×${later.frameHeight}, smaller than a screen should`);
    await host.screenshot(`${RESULTS}/together-screen-share-${host.engine}.png`);
    await sharer.screenshot(`${RESULTS}/together-screen-share-sharer-${sharer.engine}.png`);

    // One share at a time by default: a second sharer is refused in plain words. Once the host allows several,
    // both are shown, the newest large, with a switcher between them.
    const second = await chromiumParticipant('Rui');
    assert.equal(await second.join(room.roomUrl, NAV_TIMEOUT), 200);
    await waitForButton(second, 'Share screen');
    await second.page.clickButton('Share screen', STEP_TIMEOUT);
    await waitForText(second, 'the refusal', /Screen sharing: Sam is sharing their screen; this meeting allows one screen share at a time/);
    assert.equal((await second.page.findByRole('button', 'Stop sharing')).length, 0, 'a refused share looks as if it were on');
    await host.page.clickButton('Meeting settings', STEP_TIMEOUT);
    // The settings panel's code loads when first opened.
    await waitFor('the setting for several screen shares', STEP_TIMEOUT, async () => ((await host.page.evaluate(clickLabelled, 'Allow several screen shares at once')) ? true : undefined), 250);
    await waitFor('the room to allow several shares', STEP_TIMEOUT, async () =>
      (await second.page.evaluate(() => (globalThis as unknown as { treff?: { room: { info: { settings: { multipleScreenShares: boolean } } | null } } }).treff?.room.info?.settings.multipleScreenShares === true, undefined)) ? true : undefined, 250);
    await second.page.clickButton('Share screen', STEP_TIMEOUT);
    await waitForButton(second, 'Stop sharing');
    await waitForScreenTile(host, second);
    await waitForButton(host, screenOf(sharer.name));
    await host.screenshot(`${RESULTS}/together-two-shares-${host.engine}.png`);
    await host.page.clickButton(screenOf(sharer.name), STEP_TIMEOUT);
    await waitForScreenTile(host, sharer);
    await dismiss(second);
    await waitForButton(sharer, 'Stop sharing');

    await sharer.page.clickButton('Stop sharing', STEP_TIMEOUT);
    await waitForButton(sharer, 'Share screen');
    await waitFor(`${host.name} to drop the screen tile`, STEP_TIMEOUT, async () => ((await host.page.findByRole('figure', screenOf(sharer.name))).length === 0 ? true : undefined), 250);

    // A host stops a share from the participant menu; the sharer is told who did.
    await sharer.page.clickButton('Share screen', STEP_TIMEOUT);
    await waitForScreenTile(host, sharer);
    await host.openParticipantList(STEP_TIMEOUT);
    await host.page.clickButton(`Actions for ${sharer.name}`, STEP_TIMEOUT);
    await host.page.clickButton('Stop screen share', STEP_TIMEOUT);
    await waitForText(sharer, 'who stopped the share', /Vera stopped your screen share/);
    await waitForButton(sharer, 'Share screen');
    await waitFor(`${host.name} to drop the screen tile again`, STEP_TIMEOUT, async () => ((await host.page.findByRole('figure', screenOf(sharer.name))).length === 0 ? true : undefined), 250);
  });
  await dismiss(sharer, host);
});

test('a host creates a poll in Chromium, Firefox votes once, both see the result live, and the host closes it; the reaction picker closes on Escape and outside presses', { timeout: 300_000 }, async () => {
  const room = await e2e.createRoom({ title: 'Polls' });
  const host = await chromiumParticipant('Hana');
  const voter = await firefoxParticipant('Vic');
  await withDiagnostics('polls', async () => {
    assert.equal(await host.join(room.hostUrl, NAV_TIMEOUT), 200);
    await waitForText(host, 'the host controls', /End meeting for all/);
    assert.equal(await voter.join(room.roomUrl, NAV_TIMEOUT), 200);
    await waitUntilConnected(voter, STEP_TIMEOUT);

    await host.page.clickButton('Polls', STEP_TIMEOUT);
    await host.page.clickButton('New poll', STEP_TIMEOUT);
    await host.page.fill('Question', 'Lunch?', STEP_TIMEOUT);
    await host.page.fill('Option 1', 'Pizza', STEP_TIMEOUT);
    await host.page.fill('Option 2', 'Soup', STEP_TIMEOUT);
    assert.ok(await host.page.evaluate(clickLabelled, 'Anonymous: show counts only, never who voted for what'), 'no anonymous checkbox');
    await host.page.clickButton('Start poll', STEP_TIMEOUT);
    await waitForText(host, 'the new poll', /Lunch\?[\s\S]*No votes yet/);

    await waitForText(voter, 'the new poll toast', /Hana started a poll: Lunch\?/);
    await voter.page.clickButton('Polls', STEP_TIMEOUT);
    await waitForButton(voter, 'Vote');
    assert.ok(await voter.page.evaluate(clickLabelled, 'Pizza'), 'no ballot option "Pizza"');
    await voter.page.clickButton('Vote', STEP_TIMEOUT);

    await waitForText(voter, 'the result after voting', /Pizza\s*\(your choice\)\s*1 vote, 100%[\s\S]*Soup\s*0 votes, 0%/);
    assert.equal((await voter.page.findByRole('button', 'Vote')).length, 0, 'the ballot is still offered after voting');
    const seen = await waitForText(host, 'the live result', /1 vote, 100%[\s\S]*Voted: Vic[\s\S]*1 person voted/);
    assert.match(seen, /Soup\s*0 votes, 0%/);
    await host.screenshot(`${RESULTS}/together-poll-host-${host.engine}.png`);
    await voter.screenshot(`${RESULTS}/together-poll-voter-${voter.engine}.png`);

    await host.page.clickButton('Close poll', STEP_TIMEOUT);
    await waitForText(voter, 'that the poll is closed', /Lunch\?\s*Closed/);

    // The reaction picker closes on Escape and on a press elsewhere, and focus goes back to its button.
    for (const how of ['Escape', 'outside'] as const) {
      await voter.page.clickButton('Reactions', STEP_TIMEOUT);
      await waitFor(`${voter.name}'s reaction menu to open`, STEP_TIMEOUT, async () => ((await voter.page.findByRole('button', 'React with 👍')).length > 0 ? true : undefined), 100);
      await voter.page.evaluate(dismissBy, how);
      await waitFor(`${voter.name}'s reaction menu to close (${how})`, STEP_TIMEOUT, async () => ((await voter.page.findByRole('button', 'React with 👍')).length === 0 ? true : undefined), 100);
      if (how === 'Escape') assert.equal(await voter.page.evaluate(focusedLabel, undefined), 'Reactions', 'focus did not return to the Reactions button');
    }
  });
  await dismiss(host, voter);
});
