// Screen sharing through the real server and SFU, with bots publishing a synthetic "screen": everyone
// else receives the share on slots of its own (source `screen`) with unbroken sequence numbers; a
// second share is refused until a host allows several; a moderator stops a share (the sharer is told,
// forwarding stops, the slots carry nothing), a guest may not; leaving ends a share; and screen audio
// reaches everyone although more microphones than the audio top-N are louder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { BotRefusedError, sleep, waitUntil, type Bot } from '@treff/load';
import { closeWhenDone, roomForBots, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

/** One microphone heard at a time: every bot talks loudly, so screen audio must come on its own. */
const TOP_N = 1;
const LOUD = 0;

test('screen sharing', async (t) => {
  server = await startTestServer({ audioTopN: TOP_N });
  // Cameras off: the screen is the only video, which keeps two CPU cores unhurried.
  const { hostSecret, join } = await roomForBots(server, 'screens', bots, { publish: { audio: true, video: false }, audio: { level: LOUD } });
  const host = await join('Hana', { hostSecret });
  const ana = await join('Ana');
  const ben = await join('Ben');
  const cleo = await join('Cleo');
  const everyone = [host, ana, ben, cleo];
  const others = (sharer: Bot) => everyone.filter((b) => b !== sharer && b.signalingConnected);
  /** Screen slots of `bot` that carry `sharer` now. */
  const screenSlotsOf = (bot: Bot, sharer: Bot) => bot.recvSlots('screen').filter((s) => s.direction === 'recv' && s.participantId === sharer.participantId);
  const refusal = async (bot: Bot, message: Parameters<Bot['send']>[0]) => {
    const before = bot.errors.length;
    bot.send(message);
    await waitUntil(() => bot.errors.length > before, { timeoutMs: 5000, what: `${bot.name}'s refusal of ${message.type}` });
    return bot.errors[before]!;
  };

  await t.test('a share reaches everyone else on screen slots, with unbroken sequence numbers', async () => {
    await ana.startScreenShare({ audio: true });
    await waitUntil(() => others(ana).every((b) => b.participants.get(ana.participantId)?.screen === true), { timeoutMs: 5000, what: 'everyone sees Ana sharing' });
    for (const bot of others(ana)) await bot.waitForScreenPackets(ana.participantId, 'video', 100, 15_000);
    for (const bot of others(ana)) {
      const video = bot.screenStatsOf(ana.participantId, 'video')!;
      assert.equal(video.lost, 0, `${bot.name} lost screen packets`);
      assert.ok(video.keyframes >= 1, `${bot.name} got no keyframe of the screen`);
      assert.equal(screenSlotsOf(bot, ana).filter((s) => s.kind === 'video').length, 1);
      // Carried on the screen slot only, never on a camera slot.
      assert.equal(bot.packetsFrom(ana.participantId, 'video'), 0);
      for (const stream of bot.inboundStats().filter((s) => s.participantId === ana.participantId && s.kind === 'video')) {
        assert.equal(stream.lost, 0);
        assert.equal(stream.duplicates, 0);
      }
    }
    // The sharer is offered screen send slots and gets no screen slot for its own share.
    assert.deepEqual(ana.currentSlots().filter((s) => s.direction === 'send' && s.source === 'screen').map((s) => s.kind).sort(), ['audio', 'video']);
    assert.equal(ana.screenPacketsFrom(ana.participantId, 'video'), 0);
    assert.equal(ana.recvSlots('screen').some((s) => s.direction === 'recv' && s.participantId !== null), false);
  });

  await t.test('screen audio reaches everyone, outside the loudest-N microphones', async () => {
    for (const bot of others(ana)) await bot.waitForScreenPackets(ana.participantId, 'audio', 100, 10_000);
    for (const bot of others(ana)) {
      // Three other loud microphones compete for one audio slot; the screen's sound has its own.
      const mics = bot.recvSlots('camera').filter((s) => s.kind === 'audio' && s.participantId !== null);
      assert.ok(mics.length <= TOP_N, `${bot.name} hears ${mics.length} microphones`);
      assert.equal(screenSlotsOf(bot, ana).filter((s) => s.kind === 'audio').length, 1);
      assert.equal(bot.screenStatsOf(ana.participantId, 'audio')!.lost, 0);
    }
  });

  await t.test('a second share is refused while the room allows one; allowed once a host allows several', async () => {
    await assert.rejects(ben.startScreenShare(), (err: unknown) => {
      assert.ok(err instanceof BotRefusedError);
      assert.equal(err.code, 'bad-request');
      assert.equal(err.message, 'Ana is sharing their screen; this meeting allows one screen share at a time');
      return true;
    });
    // Moderators too: they stop the other share first.
    const hostRefused = await refusal(host, { type: 'screen-share', on: true });
    assert.equal(hostRefused.code, 'bad-request');
    assert.equal(ben.sharingScreen, false);

    const guestSettings = await refusal(cleo, { type: 'update-settings', settings: { multipleScreenShares: true } });
    assert.equal(guestSettings.code, 'forbidden');
    host.send({ type: 'update-settings', settings: { multipleScreenShares: true } });
    await waitUntil(() => everyone.every((b) => b.room?.settings.multipleScreenShares === true), { timeoutMs: 5000, what: 'the setting reaches everyone' });
    await ben.startScreenShare();
    for (const bot of others(ben)) await bot.waitForScreenPackets(ben.participantId, 'video', 50, 15_000);
    // Ana's share goes on beside it; Ben shares no sound, so nobody gets screen audio from him.
    await cleo.waitForScreenPackets(ana.participantId, 'video', cleo.screenPacketsFrom(ana.participantId, 'video') + 50, 10_000);
    assert.equal(screenSlotsOf(cleo, ben).some((s) => s.kind === 'audio'), false);
    assert.equal(cleo.screenStatsOf(ben.participantId, 'video')!.lost, 0);
  });

  await t.test('a guest may not stop someone else’s share', async () => {
    const refused = await refusal(cleo, { type: 'stop-screen-share', participantId: ana.participantId });
    assert.equal(refused.code, 'forbidden');
    assert.equal(ana.screenShareStops.length, 0);
    const notSharing = await refusal(host, { type: 'stop-screen-share', participantId: cleo.participantId });
    assert.equal(notSharing.code, 'bad-request');
    assert.match(notSharing.message, /Cleo is not sharing/);
  });

  await t.test('a moderator stops a share: the sharer is told, forwarding stops, slots carry nothing', async () => {
    host.send({ type: 'stop-screen-share', participantId: ana.participantId });
    await waitUntil(() => ana.screenShareStops.length === 1, { timeoutMs: 5000, what: 'Ana told her share was stopped' });
    assert.equal(ana.screenShareStops[0]!.by, host.participantId);
    await waitUntil(() => others(ana).every((b) => b.participants.get(ana.participantId)?.screen === false), { timeoutMs: 5000, what: 'everyone sees Ana stop' });
    await waitUntil(() => others(ana).every((b) => screenSlotsOf(b, ana).length === 0), { timeoutMs: 5000, what: 'screen slots freed of Ana' });
    await sleep(300);
    const before = cleo.screenPacketsFrom(ana.participantId, 'video');
    await sleep(1000);
    assert.equal(cleo.screenPacketsFrom(ana.participantId, 'video'), before, 'Ana’s screen still flows');
    assert.equal(ana.sharingScreen, false);
    assert.deepEqual(ana.screenOutboundStats(), []);
    // Ben's share is untouched.
    await cleo.waitForScreenPackets(ben.participantId, 'video', cleo.screenPacketsFrom(ben.participantId, 'video') + 25, 5000);
  });

  await t.test('leaving ends a share; a freed slot carries the next share', async () => {
    ben.leave();
    bots.splice(bots.indexOf(ben), 1);
    everyone.splice(everyone.indexOf(ben), 1);
    await waitUntil(() => everyone.every((b) => b.recvSlots('screen').every((s) => s.direction !== 'recv' || s.participantId === null)), {
      timeoutMs: 5000,
      what: 'every screen slot empty after Ben left',
    });
    const slotsBefore = cleo.recvSlots('screen').length;
    // The one-at-a-time rule counts who is still here: Ana may share again.
    await ana.startScreenShare();
    await cleo.waitForScreenPackets(ana.participantId, 'video', cleo.screenPacketsFrom(ana.participantId, 'video') + 50, 15_000);
    assert.equal(cleo.recvSlots('screen').length, slotsBefore, 'a new slot was added although one was free');
    ana.stopScreenShare();
    await waitUntil(() => others(ana).every((b) => screenSlotsOf(b, ana).length === 0), { timeoutMs: 5000, what: 'slots freed after Ana stopped' });
    assert.equal(ana.screenShareStops.length, 1, 'stopping one’s own share is no moderator’s stop');
  });
});
