// Raised hands form one queue, in raise order, that everyone sees; hosts and co-hosts lower anyone's
// hand, guests are refused; leaving takes one's hand down. Reactions reach everyone; a reaction outside
// the allowed set, or too many too fast, is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, waitUntil, type Bot } from '@treff/load';
import type { ClientMessage } from '@treff/protocol';
import { closeWhenDone, roomForBots, startTestServer } from './helpers.js';
import { AUDIO_ONLY } from './host-helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

test('hands and reactions', async (t) => {
  server = await startTestServer();
  const { hostSecret, join } = await roomForBots(server, 'hands', bots, { publish: AUDIO_ONLY });
  const host = await join('host', { hostSecret });
  const a = await join('a');
  const b = await join('b');
  const c = await join('c');
  const everyone = [host, a, b, c];
  const allSee = (queue: string[], what: string) =>
    waitUntil(() => everyone.filter((x) => !!x.signalingConnected).every((x) => JSON.stringify(x.hands) === JSON.stringify(queue)), { timeoutMs: 10_000, what });

  await t.test('hands queue in the order they were raised, for everyone and for newcomers', async () => {
    b.send({ type: 'raise-hand', raised: true });
    await allSee([b.participantId], 'b’s hand');
    a.send({ type: 'raise-hand', raised: true });
    await allSee([b.participantId, a.participantId], 'a’s hand after b’s');
    // Raising again keeps one's place.
    b.send({ type: 'raise-hand', raised: true });
    c.send({ type: 'raise-hand', raised: true });
    await allSee([b.participantId, a.participantId, c.participantId], 'c’s hand last');
    const late = await join('late');
    assert.deepEqual(late.joined?.hands, [b.participantId, a.participantId, c.participantId]);
    late.close();
    bots.splice(bots.indexOf(late), 1);
  });

  await t.test('a guest may not lower someone else’s hand; a host may', async () => {
    a.send({ type: 'lower-hand', participantId: b.participantId });
    await waitUntil(() => a.errors.length === 1, { timeoutMs: 5000, what: 'the guest’s refusal' });
    assert.equal(a.errors[0]?.code, 'forbidden');
    assert.equal(a.errors[0]?.fatal, false);
    host.send({ type: 'lower-hand', participantId: b.participantId });
    await allSee([a.participantId, c.participantId], 'b’s hand lowered by the host');
    host.send({ type: 'lower-hand', participantId: 'nobody-here' });
    await waitUntil(() => host.errors.length === 1, { timeoutMs: 5000, what: 'the unknown-participant error' });
    assert.equal(host.errors[0]?.code, 'not-found');
  });

  await t.test('lowering one’s own hand, and leaving, take it out of the queue', async () => {
    a.send({ type: 'raise-hand', raised: false });
    await allSee([c.participantId], 'a’s own lowering');
    c.leave();
    await allSee([], 'c’s hand gone with c');
  });

  await t.test('a reaction reaches everyone, the sender too', async () => {
    a.send({ type: 'reaction', emoji: '🎉' });
    await waitUntil(() => [host, a, b].every((x) => x.reactions.some((r) => r.from === a.participantId && r.emoji === '🎉')), { timeoutMs: 10_000, what: 'the reaction' });
  });

  await t.test('a reaction outside the allowed set, or a flood of them, is refused; nothing else breaks', async () => {
    const before = b.errors.length;
    b.send({ type: 'reaction', emoji: '💩' } as unknown as ClientMessage);
    await waitUntil(() => b.errors.length === before + 1, { timeoutMs: 5000, what: 'the bad-emoji error' });
    assert.equal(b.errors.at(-1)?.code, 'bad-message');
    assert.match(b.errors.at(-1)!.message, /reaction must be one of/);

    await sleep(2000);
    const reactionsBefore = host.reactions.filter((r) => r.from === b.participantId).length;
    for (let i = 0; i < 10; i++) b.send({ type: 'reaction', emoji: '👍' });
    await waitUntil(() => b.errors.length >= before + 1 + 4, { timeoutMs: 5000, what: 'rate-limited reactions' });
    assert.ok(b.errors.slice(before + 1).every((e) => e.code === 'rate-limited' && !e.fatal));
    b.send({ type: 'raise-hand', raised: true });
    await allSee([b.participantId], 'b’s hand after the flood');
    const through = host.reactions.filter((r) => r.from === b.participantId).length - reactionsBefore;
    assert.ok(through >= 5 && through <= 6, `${through} reactions of a flood of 10 got through`);
    assert.equal(b.signalingConnected, true);
  });
});
