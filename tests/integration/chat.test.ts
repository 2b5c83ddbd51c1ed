// Chat: public messages reach everyone, private ones only their recipient and sender; the meeting's
// history (in memory only) reaches people who join later or resume; oversized, empty and flooding
// messages get clear errors without disturbing anyone else; knockers in the lobby can neither chat nor read;
// the history ends with the meeting.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { Bot, sleep, waitUntil } from '@treff/load';
import { LIMITS } from '@treff/protocol';
import { closeWhenDone, roomForBots, startTestServer, TEST_VIDEO } from './helpers.js';
import { AUDIO_ONLY, http } from './host-helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

const texts = (bot: Bot): string[] => bot.chatMessages.flatMap((m) => (m.text === undefined ? [] : [m.text]));
const lastError = (bot: Bot) => bot.errors.at(-1);

test('chat', async (t) => {
  server = await startTestServer({ reconnectGraceMs: 10_000 });
  const { roomId, hostSecret, join } = await roomForBots(server, 'chat', bots, { publish: AUDIO_ONLY });
  const host = await join('host', { hostSecret });
  const alice = await join('alice');
  const bob = await join('bob');

  await t.test('a public message reaches everyone, the sender too, with who sent it', async () => {
    alice.send({ type: 'chat', text: 'hello all' });
    await waitUntil(() => [host, alice, bob].every((b) => texts(b).includes('hello all')), { timeoutMs: 10_000, what: 'the public message' });
    const got = bob.chatMessages.find((m) => m.text === 'hello all')!;
    assert.equal(got.from, alice.participantId);
    assert.equal(got.fromName, 'alice');
    assert.equal(got.to, null);
    assert.equal(typeof got.id, 'string');
    assert.ok(Math.abs(got.at - Date.now()) < 10_000);
  });

  await t.test('a private message reaches only its recipient and the sender; a third participant gets nothing', async () => {
    alice.send({ type: 'chat', text: 'psst bob', to: bob.participantId });
    await waitUntil(() => texts(bob).includes('psst bob') && texts(alice).includes('psst bob'), { timeoutMs: 10_000, what: 'the private message' });
    assert.equal(bob.chatMessages.find((m) => m.text === 'psst bob')?.to, bob.participantId);
    // A later public message proves the host's socket delivered everything sent before it.
    alice.send({ type: 'chat', text: 'after the secret' });
    await waitUntil(() => texts(host).includes('after the secret'), { timeoutMs: 10_000, what: 'the marker message' });
    assert.deepEqual(texts(host), ['hello all', 'after the secret']);
  });

  await t.test('someone joining later gets the public history, not others’ private messages', async () => {
    const late = await join('late');
    assert.deepEqual(late.joined?.chat?.map((m) => m.text), ['hello all', 'after the secret']);
    assert.equal(late.joined?.chat?.[0]?.fromName, 'alice');
  });

  await t.test('a participant that resumes gets what was said while its socket was down, its own private messages included', async () => {
    bob.dropSignaling();
    await waitUntil(() => !bob.signalingConnected, { timeoutMs: 5000, what: 'bob’s socket to close' });
    host.send({ type: 'chat', text: 'while bob was away' });
    await waitUntil(() => texts(alice).includes('while bob was away'), { timeoutMs: 10_000, what: 'the message during the outage' });
    const joined = await bob.resume();
    assert.deepEqual(joined.chat?.map((m) => m.text), ['hello all', 'psst bob', 'after the secret', 'while bob was away']);
  });

  await t.test('bad messages get clear errors; others keep chatting', async () => {
    const before = texts(host).length;
    const errorsBefore = alice.errors.length;
    alice.send({ type: 'chat', text: 'x'.repeat(LIMITS.chatText + 1) });
    await waitUntil(() => alice.errors.length === errorsBefore + 1, { timeoutMs: 5000, what: 'the oversize error' });
    assert.equal(lastError(alice)?.code, 'bad-message');
    assert.match(lastError(alice)!.message, /at most 2000 characters/);
    assert.equal(lastError(alice)?.fatal, false);

    alice.send({ type: 'chat', text: '  \n\t ' });
    await waitUntil(() => alice.errors.length === errorsBefore + 2, { timeoutMs: 5000, what: 'the empty-message error' });
    assert.equal(lastError(alice)?.code, 'bad-message');
    assert.match(lastError(alice)!.message, /must not be empty/);

    alice.send({ type: 'chat', text: 'to nobody', to: 'no-such-participant' });
    await waitUntil(() => alice.errors.length === errorsBefore + 3, { timeoutMs: 5000, what: 'the unknown-recipient error' });
    assert.equal(lastError(alice)?.code, 'not-found');

    // A message of exactly the limit is fine.
    alice.send({ type: 'chat', text: 'y'.repeat(LIMITS.chatText) });
    await waitUntil(() => texts(host).length === before + 1, { timeoutMs: 5000, what: 'the longest allowed message' });

    // 5 per second with a burst of 10: a flood of 20 gets through 10 (or 11), the rest are rate-limited.
    await sleep(2100); // refill the bucket after the message above
    const floodErrors = alice.errors.length;
    for (let i = 0; i < 20; i++) alice.send({ type: 'chat', text: `flood ${i}` });
    await waitUntil(() => alice.errors.length - floodErrors >= 9, { timeoutMs: 5000, what: 'rate-limited errors' });
    const limited = alice.errors.slice(floodErrors);
    assert.ok(limited.every((e) => e.code === 'rate-limited' && !e.fatal), JSON.stringify(limited));
    bob.send({ type: 'chat', text: 'bob is still here' });
    await waitUntil(() => texts(host).includes('bob is still here'), { timeoutMs: 5000, what: 'bob’s message after the flood' });
    const flooded = texts(host).filter((x) => x.startsWith('flood '));
    assert.ok(flooded.length >= 10 && flooded.length <= 11, `${flooded.length} flood messages got through`);
    assert.equal(flooded.length + limited.length, 20);
    assert.equal(host.errors.length, 0);
    assert.equal(bob.signalingConnected && alice.signalingConnected, true);
  });

  await t.test('a knocker in the lobby cannot chat and is not shown the history', async () => {
    const patched = await http(server!, 'PATCH', `/api/rooms/${roomId}/settings`, { secret: hostSecret, body: { lobby: true } });
    assert.equal(patched.status, 200);
    const knocker = await Bot.knock({ url: server!.url, roomId, name: 'knocker', publish: AUDIO_ONLY, video: TEST_VIDEO, timeoutMs: 20_000 });
    bots.push(knocker);
    assert.equal(knocker.inLobby, true);
    knocker.send({ type: 'chat', text: 'let me in' });
    await waitUntil(() => knocker.errors.length === 1, { timeoutMs: 5000, what: 'the knocker’s error' });
    assert.equal(knocker.errors[0]?.code, 'wrong-state');
    host.send({ type: 'chat', text: 'inside only' });
    await waitUntil(() => texts(alice).includes('inside only'), { timeoutMs: 5000, what: 'the inside message' });
    await sleep(300);
    assert.deepEqual(knocker.chatMessages, []);
    assert.equal(texts(host).includes('let me in'), false);
  });

  await t.test('the history ends with the meeting: the next meeting in the room starts with none', async () => {
    host.send({ type: 'end-meeting' });
    await waitUntil(() => host.ended !== null && alice.ended !== null, { timeoutMs: 10_000, what: 'the meeting to end' });
    const next = await join('next', { hostSecret });
    assert.deepEqual(next.joined?.chat, []);
    assert.deepEqual(next.joined?.hands, []);
  });
});
