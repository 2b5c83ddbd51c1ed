// Server-enforced mute: a host's mute stops the server forwarding a participant's microphone and
// camera at once, even from a client that ignores `force-mute` and keeps sending; only the participant
// itself turns them back on. Mute-all spares hosts and co-hosts; an unmute request only asks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, waitUntil, type Bot } from '@treff/load';
import type { MediaKind } from '@treff/protocol';
import { closeWhenDone, roomForBots, startTestServer } from './helpers.js';
import { AUDIO_ONLY, http } from './host-helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

/** Whether `from`'s `kind` stopped reaching `to`: nothing new for a second, after a moment to settle. */
async function stoppedReaching(to: Bot, from: Bot, kind: MediaKind): Promise<boolean> {
  await sleep(300);
  const before = to.packetsFrom(from.participantId, kind);
  await sleep(1000);
  return to.packetsFrom(from.participantId, kind) === before;
}

async function keepsReaching(to: Bot, from: Bot, kind: MediaKind): Promise<void> {
  await to.waitForPackets(from.participantId, kind, to.packetsFrom(from.participantId, kind) + 20, 20_000);
}

const sentPackets = (bot: Bot, kind: MediaKind): number => bot.outboundStats().filter((s) => s.kind === kind).reduce((n, s) => n + s.packets, 0);

test('server-enforced mute', async (t) => {
  server = await startTestServer();
  const { roomId, hostSecret, join } = await roomForBots(server, 'mute', bots, { publish: AUDIO_ONLY });
  const host = await join('host', { hostSecret });
  const cohost = await join('cohost');
  const listener = await join('listener');
  const rebel = await join('rebel', { publish: { audio: true, video: true }, ignoreForceMute: true });
  host.send({ type: 'set-role', participantId: cohost.participantId, role: 'cohost' });
  await waitUntil(() => cohost.joined?.self.role === 'cohost', { timeoutMs: 10_000, what: 'the co-host promotion' });
  await listener.waitForPackets(rebel.participantId, 'audio', 25, 30_000);
  await listener.waitForPackets(rebel.participantId, 'video', 25, 30_000);

  await t.test('a muted participant that keeps sending reaches nobody; everyone sees it muted', async () => {
    host.send({ type: 'mute', participantId: rebel.participantId, kinds: ['audio', 'video'] });
    await waitUntil(() => rebel.forceMutes.length === 1, { timeoutMs: 10_000, what: 'force-mute' });
    assert.deepEqual(rebel.forceMutes[0], { type: 'force-mute', kinds: ['audio', 'video'], by: host.participantId });
    await waitUntil(() => listener.participants.get(rebel.participantId)?.media.audio === false, { timeoutMs: 10_000, what: 'the muted state' });
    assert.deepEqual(listener.participants.get(rebel.participantId)?.media, { audio: false, video: false });
    const sentBefore = [sentPackets(rebel, 'audio'), sentPackets(rebel, 'video')];
    assert.equal(await stoppedReaching(listener, rebel, 'audio'), true, 'the rebel’s audio still reaches the listener');
    assert.equal(await stoppedReaching(listener, rebel, 'video'), true, 'the rebel’s video still reaches the listener');
    assert.equal(await stoppedReaching(host, rebel, 'audio'), true, 'the rebel’s audio still reaches the host');
    assert.ok(sentPackets(rebel, 'audio') > sentBefore[0]! + 25, 'the rebel stopped sending audio: the test proves nothing');
    assert.ok(sentPackets(rebel, 'video') > sentBefore[1]! + 25, 'the rebel stopped sending video: the test proves nothing');
    await keepsReaching(listener, host, 'audio');
  });

  await t.test('only the participant can turn it back on, and then it flows again', async () => {
    rebel.setMedia({ audio: true, video: true });
    await keepsReaching(listener, rebel, 'audio');
    await keepsReaching(listener, rebel, 'video');
    await waitUntil(() => listener.participants.get(rebel.participantId)?.media.video === true, { timeoutMs: 10_000, what: 'the unmuted state' });
  });

  await t.test('an unmute request only asks, and only the one asked', async () => {
    cohost.send({ type: 'mute', participantId: listener.participantId, kinds: ['audio'] });
    await waitUntil(() => listener.forceMutes.length === 1, { timeoutMs: 10_000, what: 'the listener’s force-mute' });
    assert.equal(listener.forceMutes[0]?.by, cohost.participantId);
    host.send({ type: 'request-unmute', participantId: listener.participantId, kind: 'audio' });
    await waitUntil(() => listener.unmuteRequests.length === 1, { timeoutMs: 10_000, what: 'the unmute request' });
    assert.deepEqual(listener.unmuteRequests[0], { type: 'unmute-requested', kind: 'audio', by: host.participantId });
    assert.equal(await stoppedReaching(rebel, listener, 'audio'), true, 'the request turned the microphone on');
    assert.equal(host.participants.get(listener.participantId)?.media.audio, false);
    for (const other of [host, cohost, rebel]) assert.deepEqual(other.unmuteRequests, [], `${other.name} got someone else’s request`);
    listener.setMedia({ audio: true, video: false });
    await keepsReaching(rebel, listener, 'audio');
  });

  await t.test('mute all spares hosts and co-hosts; the HTTP API mutes too', async () => {
    const before = new Map(bots.map((b) => [b, b.forceMutes.length]));
    host.send({ type: 'mute', participantId: 'all', kinds: ['audio'] });
    await waitUntil(() => listener.forceMutes.length > before.get(listener)! && rebel.forceMutes.length > before.get(rebel)!, {
      timeoutMs: 10_000,
      what: 'everyone’s force-mute',
    });
    await sleep(300);
    assert.equal(host.forceMutes.length, before.get(host), 'the host was muted');
    assert.equal(cohost.forceMutes.length, before.get(cohost), 'the co-host was muted');
    await keepsReaching(listener, cohost, 'audio');
    assert.equal(await stoppedReaching(cohost, rebel, 'audio'), true);
    await keepsReaching(cohost, rebel, 'video');

    const res = await http(server!, 'POST', `/api/rooms/${roomId}/participants/${rebel.participantId}/mute`, { secret: hostSecret, body: { kinds: ['video'] } });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    await waitUntil(() => rebel.forceMutes.at(-1)?.kinds.includes('video') === true, { timeoutMs: 10_000, what: 'the HTTP mute' });
    assert.equal(rebel.forceMutes.at(-1)?.by, null, 'muted by the HTTP API, nobody in the meeting');
    assert.equal(await stoppedReaching(listener, rebel, 'video'), true);
  });
});
