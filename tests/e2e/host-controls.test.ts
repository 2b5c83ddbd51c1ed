// Browser end-to-end for host controls: a host (Chromium, host link) removes a participant (Firefox ESR), who
// is told so in plain words; the removal locks the room, so a new guest (Chromium) is turned away with the
// "locked" message until the host unlocks, and then gets in. Real server, real browsers, loopback only (run
// by scripts/run-e2e.mjs inside a private network namespace).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CreateGroupResponse, RoomSettingsUpdate } from '@treff/protocol';
import { e2eHarness, RESULTS } from './harness.js';
import type { Participant } from './participant.js';
import { waitForText, waitUntilConnected } from './page-waits.js';
import { waitFor } from './wait.js';

// Generous: a 2-core machine runs the server and three browsers at once.
const NAV_TIMEOUT = 60_000;
const STEP_TIMEOUT = 60_000;

const e2e = e2eHarness();
const { participants, chromiumParticipant, firefoxParticipant, dismiss, withDiagnostics } = e2e;
const createRoom = (settings: RoomSettingsUpdate = {}) => e2e.createRoom({ title: 'Host controls', settings });

async function waitUntilListed(viewer: Participant, name: string, listed: boolean): Promise<void> {
  await viewer.openParticipantList(STEP_TIMEOUT);
  await waitFor(`${viewer.name} to ${listed ? 'list' : 'no longer list'} ${name}`, STEP_TIMEOUT, async () => ((await viewer.listsParticipant(name)) === listed ? true : undefined), 250);
}

/** Page function: whether the SDK room's microphone is on. */
const microphoneOn = (): boolean | null => {
  const room = (globalThis as unknown as { treff?: { room: { microphoneEnabled: boolean } } }).treff?.room;
  return room ? room.microphoneEnabled : null;
};

test('a host removes a participant, who sees why; the room stays locked for a new guest until the host unlocks it', { timeout: 400_000 }, async () => {
  const room = await createRoom();
  const host = await chromiumParticipant('Hana');
  const removed = await firefoxParticipant('Rolf');
  await withDiagnostics('host-controls', async () => {
    assert.equal(await host.join(room.hostUrl, NAV_TIMEOUT), 200);
    await waitForText(host, 'the host controls', /End meeting for all/);
    assert.equal(await removed.join(room.roomUrl, NAV_TIMEOUT), 200);
    await waitUntilListed(host, removed.name, true);

    // Remove, from the participant's menu in the host's list.
    await host.page.clickButton(`Actions for ${removed.name}`, STEP_TIMEOUT);
    await host.page.clickButton('Remove', STEP_TIMEOUT);
    const told = await waitForText(removed, 'that they were removed', /You were removed from the meeting/);
    assert.match(told, /host removed you/i);
    assert.doesNotMatch(told, /Rejoin/, 'a removed participant is not offered to rejoin');
    await removed.screenshot(`${RESULTS}/host-controls-removed-${removed.engine}.png`);
    await waitUntilListed(host, removed.name, false);

    // Removing locked the room: everyone sees it, the host can unlock.
    await waitFor('the host to see the room locked', STEP_TIMEOUT, async () => ((await host.page.findByRole('button', 'Unlock meeting')).length > 0 ? true : undefined), 250);

    const guest = await chromiumParticipant('Gina');
    assert.equal(await guest.join(room.roomUrl, NAV_TIMEOUT), 200);
    await waitForText(guest, 'the locked message', /This meeting is locked/);
    const state = await guest.sdkRemotes();
    assert.notEqual(state?.state, 'connected', 'the guest got in while the room was locked');
    await guest.screenshot(`${RESULTS}/host-controls-locked-${guest.engine}.png`);
    assert.ok(!(await host.listsParticipant(guest.name)), 'the host lists the guest while the room is locked');

    await host.page.clickButton('Unlock meeting', STEP_TIMEOUT);
    await waitFor('the host to see the room unlocked', STEP_TIMEOUT, async () => ((await host.page.findByRole('button', 'Lock meeting')).length > 0 ? true : undefined), 250);
    // The guest tries again from the same screen (the name is kept).
    await guest.page.clickButton('Join', STEP_TIMEOUT);
    await waitUntilListed(host, guest.name, true);
    await waitFor(`${guest.name} to be connected`, STEP_TIMEOUT, async (note) => {
      const sdk = await guest.sdkRemotes();
      note(`state ${sdk?.state}`);
      return sdk?.state === 'connected' && sdk.remotes.some((r) => r.name === host.name) ? true : undefined;
    }, 250);
    await host.screenshot(`${RESULTS}/host-controls-host-${host.engine}.png`);
  });
  await dismiss(...participants);
});

test('lobby: a guest waits until the host admits them; a host mutes them and asks them to unmute, they decide', { timeout: 300_000 }, async () => {
  const room = await createRoom({ lobby: true });
  const host = await chromiumParticipant('Hana');
  const guest = await firefoxParticipant('Wes');
  await withDiagnostics('lobby', async () => {
    assert.equal(await host.join(room.hostUrl, NAV_TIMEOUT), 200);
    await waitForText(host, 'the host controls', /End meeting for all/);
    assert.equal(await guest.join(room.roomUrl, NAV_TIMEOUT), 200);
    await waitForText(guest, 'the lobby screen', /Waiting for a host to let you in/);
    await waitForText(host, 'who is waiting', /Waiting to join \(1\)/);
    await host.page.clickButton(`Admit ${guest.name}`, STEP_TIMEOUT);
    await waitUntilListed(host, guest.name, true);
    await waitUntilConnected(guest, STEP_TIMEOUT);

    await host.page.clickButton(`Actions for ${guest.name}`, STEP_TIMEOUT);
    await host.page.clickButton('Mute their microphone', STEP_TIMEOUT);
    await waitForText(guest, 'who muted them', /Hana turned your microphone off/);
    assert.equal(await guest.page.evaluate(microphoneOn, undefined), false, 'the SDK turned the microphone off');

    await host.page.clickButton(`Actions for ${guest.name}`, STEP_TIMEOUT);
    await host.page.clickButton('Ask them to unmute', STEP_TIMEOUT);
    await waitForText(guest, 'the unmute request', /Hana asks you to turn your microphone on/);
    await guest.screenshot(`${RESULTS}/host-controls-unmute-request-${guest.engine}.png`);
    await guest.page.clickButton('Not now', STEP_TIMEOUT);
    assert.equal(await guest.page.evaluate(microphoneOn, undefined), false, 'a request never turns the microphone on');
  });
  await dismiss(host, guest);
});

test('groups: members join with the invite link and open a group room, which outsiders cannot enter; a removed member loses access', { timeout: 300_000 }, async () => {
  const created = await fetch(new URL('/api/groups', e2e.server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Book club' }) });
  assert.ok(created.ok, `POST /api/groups answered ${created.status}`);
  const group = (await created.json()) as CreateGroupResponse;
  const admin = await chromiumParticipant('Ada');
  const member = await chromiumParticipant('Max');
  const outsider = await chromiumParticipant('Otto');
  await withDiagnostics('groups', async () => {
    assert.equal(await admin.page.goto(group.adminUrl, NAV_TIMEOUT), 200);
    await waitForText(admin, 'the admin view', /You manage this group/);

    assert.equal(await member.page.goto(group.memberInviteUrl, NAV_TIMEOUT), 200);
    await member.page.fill('Your name', member.name, STEP_TIMEOUT);
    await member.page.clickButton('Join the group', STEP_TIMEOUT);
    await waitForText(member, 'the member view', /You are a member as Max/);
    await member.page.clickButton('New group room', STEP_TIMEOUT);
    // The creator lands on the room's host link, then joins it with the member credential this browser keeps.
    await waitForText(member, 'the pre-join screen of the new room', /Your name/);
    await member.page.fill('Your name', member.name, STEP_TIMEOUT);
    await member.page.clickButton('Join', STEP_TIMEOUT);
    await waitForText(member, 'the meeting as its host', /End meeting for all/);
    const roomId = await member.page.evaluate(() => (globalThis as unknown as { treff?: { room: { roomId: string } } }).treff?.room.roomId ?? null, undefined);
    assert.ok(roomId, 'no room id in the member\'s page');

    assert.equal(await outsider.page.goto(new URL(`/r/${roomId}`, e2e.server.url).toString(), NAV_TIMEOUT), 200);
    await outsider.page.fill('Your name', outsider.name, STEP_TIMEOUT);
    await outsider.page.clickButton('Join', STEP_TIMEOUT);
    await waitForText(outsider, 'the members-only message', /for members of its group only/);

    // The admin sees the member and the room, and removes the member: their credential stops working.
    assert.equal(await admin.page.goto(new URL(`/g/${group.groupId}`, e2e.server.url).toString(), NAV_TIMEOUT), 200);
    await waitFor('the admin to see the member and the group room', STEP_TIMEOUT, async (note) => {
      const removeButtons = await admin.page.findByRole('button', `Remove ${member.name}`);
      const roomLinks = await admin.page.findByRole('link', 'Open Untitled meeting');
      note(`${removeButtons.length} remove button(s), ${roomLinks.length} room link(s)`);
      return removeButtons.length === 1 && roomLinks.length === 1 ? true : undefined;
    }, 250);
    await admin.page.clickButton(`Remove ${member.name}`, STEP_TIMEOUT);
    await waitFor('the admin list to drop the member', STEP_TIMEOUT, async () => ((await admin.page.findByRole('button', `Remove ${member.name}`)).length === 0 ? true : undefined), 250);
    assert.equal(await member.page.goto(new URL(`/g/${group.groupId}`, e2e.server.url).toString(), NAV_TIMEOUT), 200);
    await waitForText(member, 'that the removed member has no access', /not a member of this group on this device/);
  });
  await dismiss(admin, member, outsider);
});
