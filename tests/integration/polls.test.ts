// Polls through the real server: only hosts and co-hosts create and close them; everyone votes once and
// sees the results live, each with their own choices; anonymous polls name nobody; a closed poll refuses
// votes; a late joiner gets every poll with their own view; bad input is refused with a clear error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { Bot, waitUntil } from '@treff/load';
import type { ClientMessageInput, Poll } from '@treff/protocol';
import { closeWhenDone, roomForBots, startTestServer, TEST_VIDEO } from './helpers.js';
import { AUDIO_ONLY } from './host-helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

test('polls', async (t) => {
  server = await startTestServer();
  const { roomId, hostSecret, join } = await roomForBots(server, 'polls', bots, { publish: AUDIO_ONLY });
  const host = await join('Hana', { hostSecret });
  const ana = await join('Ana');
  const ben = await join('Ben');
  const everyone = [host, ana, ben];

  /** Sends `message` and resolves with the error it earns (the bot's next one). */
  const refusal = async (bot: Bot, message: ClientMessageInput) => {
    const before = bot.errors.length;
    bot.send(message as Parameters<Bot['send']>[0]);
    await waitUntil(() => bot.errors.length > before, { timeoutMs: 5000, what: `${bot.name}'s refusal of ${message.type}` });
    return bot.errors[before]!;
  };
  const pollOf = (bot: Bot, question: string): Poll | undefined => bot.polls.find((p) => p.question === question);
  const allSee = (what: string, check: (poll: Poll, bot: Bot) => boolean, question: string) =>
    waitUntil(() => everyone.every((b) => { const p = pollOf(b, question); return p !== undefined && check(p, b); }), { timeoutMs: 10_000, what });

  await t.test('a guest may not create a poll; a host may, and everyone sees it', async () => {
    const refused = await refusal(ana, { type: 'poll-create', question: 'Mine?', options: ['a', 'b'], multiple: false, anonymous: false });
    assert.equal(refused.code, 'forbidden');
    host.send({ type: 'poll-create', question: 'Lunch?', options: ['Pizza', 'Soup'], multiple: false, anonymous: false });
    await allSee('the new poll', (p) => !p.closed && p.voterCount === 0 && p.myChoices === null && p.createdBy === 'Hana', 'Lunch?');
    assert.equal(everyone.some((b) => b.polls.some((p) => p.question === 'Mine?')), false);
  });

  await t.test('everyone votes once; results are live for everyone; each sees only their own choices', async () => {
    const id = pollOf(host, 'Lunch?')!.id;
    ana.send({ type: 'poll-vote', pollId: id, choices: [1] });
    await allSee('Ana’s vote', (p) => p.voterCount === 1 && p.options[1]!.votes === 1, 'Lunch?');
    assert.deepEqual(pollOf(ana, 'Lunch?')!.myChoices, [1]);
    assert.equal(pollOf(ben, 'Lunch?')!.myChoices, null);
    assert.deepEqual(pollOf(ben, 'Lunch?')!.options[1]!.voters, ['Ana']);
    const again = await refusal(ana, { type: 'poll-vote', pollId: id, choices: [0] });
    assert.equal(again.code, 'bad-request');
    assert.match(again.message, /already voted/);
    ben.send({ type: 'poll-vote', pollId: id, choices: [0] });
    await allSee('Ben’s vote', (p) => p.voterCount === 2 && p.options[0]!.votes === 1 && p.options[1]!.votes === 1, 'Lunch?');
    assert.deepEqual(pollOf(ben, 'Lunch?')!.myChoices, [0]);
    assert.deepEqual(pollOf(ana, 'Lunch?')!.myChoices, [1]);
  });

  await t.test('an anonymous poll shows counts only, to hosts too', async () => {
    host.send({ type: 'poll-create', question: 'Secret?', options: ['Yes', 'No', 'Maybe'], multiple: true, anonymous: true });
    await allSee('the anonymous poll', () => true, 'Secret?');
    const id = pollOf(host, 'Secret?')!.id;
    ben.send({ type: 'poll-vote', pollId: id, choices: [0, 2] });
    await allSee('Ben’s anonymous vote', (p) => p.voterCount === 1, 'Secret?');
    const seenByHost = pollOf(host, 'Secret?')!;
    assert.deepEqual(seenByHost.options, [{ text: 'Yes', votes: 1 }, { text: 'No', votes: 0 }, { text: 'Maybe', votes: 1 }]);
    assert.equal(JSON.stringify(seenByHost).includes('Ben'), false);
    assert.deepEqual(pollOf(ben, 'Secret?')!.myChoices, [0, 2]);
  });

  await t.test('bad votes and bad polls are refused with a clear error', async () => {
    const id = pollOf(host, 'Lunch?')!.id;
    const single = await join('Cleo');
    everyone.push(single);
    const twoChoices = await refusal(single, { type: 'poll-vote', pollId: id, choices: [0, 1] });
    assert.equal(twoChoices.code, 'bad-request');
    assert.match(twoChoices.message, /single choice/);
    const outOfRange = await refusal(single, { type: 'poll-vote', pollId: id, choices: [5] });
    assert.equal(outOfRange.code, 'bad-request');
    assert.match(outOfRange.message, /no option 5/);
    const duplicate = await refusal(single, { type: 'poll-vote', pollId: pollOf(host, 'Secret?')!.id, choices: [1, 1] });
    assert.equal(duplicate.code, 'bad-request');
    const unknown = await refusal(single, { type: 'poll-vote', pollId: 'no-such-poll', choices: [0] });
    assert.equal(unknown.code, 'not-found');
    const oneOption = await refusal(host, { type: 'poll-create', question: 'Only?', options: ['one'], multiple: false, anonymous: false });
    assert.equal(oneOption.code, 'bad-message');
    assert.match(oneOption.message, /at least 2 options/);
    const empty = await refusal(host, { type: 'poll-create', question: '   ', options: ['a', 'b'], multiple: false, anonymous: false });
    assert.equal(empty.code, 'bad-message');
    const long = await refusal(host, { type: 'poll-create', question: 'x'.repeat(201), options: ['a', 'b'], multiple: false, anonymous: false });
    assert.equal(long.code, 'bad-message');
    assert.equal(pollOf(host, 'Lunch?')!.voterCount, 2);
  });

  await t.test('only moderators close polls; a closed poll refuses votes and keeps its results', async () => {
    const id = pollOf(host, 'Lunch?')!.id;
    const guestClose = await refusal(ana, { type: 'poll-close', pollId: id });
    assert.equal(guestClose.code, 'forbidden');
    host.send({ type: 'poll-close', pollId: id });
    await allSee('the closed poll', (p) => p.closed && p.voterCount === 2, 'Lunch?');
    const late = await refusal(everyone[3]!, { type: 'poll-vote', pollId: id, choices: [0] });
    assert.equal(late.code, 'bad-request');
    assert.match(late.message, /this poll is closed/);
  });

  await t.test('someone waiting in the lobby can neither vote nor see the polls', async () => {
    host.send({ type: 'update-settings', settings: { lobby: true } });
    await waitUntil(() => host.room?.settings.lobby === true, { timeoutMs: 5000, what: 'the lobby on' });
    const knocker = await Bot.knock({ url: server!.url, roomId, name: 'Kim', publish: AUDIO_ONLY, video: TEST_VIDEO, timeoutMs: 20_000 });
    bots.push(knocker);
    const refused = await refusal(knocker, { type: 'poll-vote', pollId: pollOf(host, 'Secret?')!.id, choices: [0] });
    assert.equal(refused.code, 'wrong-state');
    assert.deepEqual(knocker.polls, []);
    assert.equal(pollOf(host, 'Secret?')!.voterCount, 1);
    knocker.close();
    bots.splice(bots.indexOf(knocker), 1);
    host.send({ type: 'update-settings', settings: { lobby: false } });
    await waitUntil(() => host.room?.settings.lobby === false, { timeoutMs: 5000, what: 'the lobby off' });
  });

  await t.test('votes stay counted when the voter leaves; a late joiner gets every poll, oldest first, with their own view', async () => {
    ben.leave();
    bots.splice(bots.indexOf(ben), 1);
    everyone.splice(everyone.indexOf(ben), 1);
    const late = await join('Late');
    const polls = late.joined?.polls ?? [];
    assert.deepEqual(polls.map((p) => p.question), ['Lunch?', 'Secret?']);
    assert.equal(polls[0]!.voterCount, 2);
    assert.equal(polls[0]!.closed, true);
    assert.equal(polls.every((p) => p.myChoices === null), true);
    // Ana, resuming her view through a new socket, would see her choice again: the server keeps it per participant.
    assert.deepEqual(pollOf(ana, 'Lunch?')!.myChoices, [1]);
  });
});
