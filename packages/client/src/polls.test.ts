import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Poll } from '@treff/protocol';
import { closePollMessage, createPollMessage, voteMessage, withPoll } from './polls.js';

const poll = (id: string, extra: Partial<Poll> = {}): Poll => ({
  id, question: 'Lunch?', options: [{ text: 'Pizza', votes: 0 }, { text: 'Soup', votes: 0 }, { text: 'Both', votes: 0 }],
  multiple: false, anonymous: false, closed: false, createdBy: 'Ana', at: 1, voterCount: 0, myChoices: null, ...extra,
});

test('createPollMessage trims texts, defaults the flags and refuses what the server would', () => {
  assert.deepEqual(createPollMessage({ question: ' Lunch? ', options: [' Pizza', 'Soup '] }), {
    type: 'poll-create', question: 'Lunch?', options: ['Pizza', 'Soup'], multiple: false, anonymous: false,
  });
  assert.deepEqual(createPollMessage({ question: 'Q', options: ['a', 'b'], multiple: true, anonymous: true }), {
    type: 'poll-create', question: 'Q', options: ['a', 'b'], multiple: true, anonymous: true,
  });
  const bad = [
    { question: '  ', options: ['a', 'b'] },
    { question: 'x'.repeat(201), options: ['a', 'b'] },
    { question: 'Q', options: ['a'] },
    { question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
    { question: 'Q', options: ['a', ' '] },
    { question: 'Q', options: ['a', 'x'.repeat(101)] },
  ];
  for (const input of bad) assert.throws(() => createPollMessage(input), RangeError, JSON.stringify(input).slice(0, 60));
  assert.doesNotThrow(() => createPollMessage({ question: 'x'.repeat(200), options: Array.from({ length: 10 }, () => 'x'.repeat(100)) }));
});

test('voteMessage checks choices against the poll when known, and against the limits when not', () => {
  assert.deepEqual(voteMessage('p1', [2], poll('p1')), { type: 'poll-vote', pollId: 'p1', choices: [2] });
  assert.deepEqual(voteMessage('p1', [0, 2], poll('p1', { multiple: true })), { type: 'poll-vote', pollId: 'p1', choices: [0, 2] });
  assert.throws(() => voteMessage('p1', [], poll('p1')), RangeError);
  assert.throws(() => voteMessage('p1', [3], poll('p1')), RangeError, 'the poll has 3 options');
  assert.throws(() => voteMessage('p1', [0, 1], poll('p1')), RangeError, 'single choice');
  assert.throws(() => voteMessage('p1', [1, 1], poll('p1', { multiple: true })), RangeError, 'duplicates');
  assert.throws(() => voteMessage('p1', [1.5], null), RangeError);
  assert.throws(() => voteMessage('p1', [-1], null), RangeError);
  assert.throws(() => voteMessage('p1', [10], null), RangeError);
  assert.throws(() => voteMessage('', [0], null), RangeError);
  assert.deepEqual(voteMessage('unknown', [9], null), { type: 'poll-vote', pollId: 'unknown', choices: [9] }, 'an unknown poll is the server\'s to judge');
  assert.deepEqual(closePollMessage('p1'), { type: 'poll-close', pollId: 'p1' });
  assert.throws(() => closePollMessage(''), RangeError);
});

test('withPoll replaces a poll by id in place and appends new ones', () => {
  const list = [poll('a'), poll('b')];
  const voted = poll('a', { voterCount: 1, myChoices: [1], options: [{ text: 'Pizza', votes: 0 }, { text: 'Soup', votes: 1, voters: ['Ada'] }, { text: 'Both', votes: 0 }] });
  const next = withPoll(list, voted);
  assert.deepEqual(next.map((p) => p.id), ['a', 'b']);
  assert.equal(next[0], voted);
  assert.equal(list[0]!.voterCount, 0, 'the old list is left as it was');
  assert.deepEqual(withPoll(next, poll('c')).map((p) => p.id), ['a', 'b', 'c']);
});

test('withPoll keeps at most 20 polls by dropping the oldest closed ones, never an open one', () => {
  let list: Poll[] = [];
  for (let i = 0; i < 20; i++) list = withPoll(list, poll(`p${i}`, { closed: i === 3 || i === 7 }));
  list = withPoll(list, poll('p20'));
  assert.equal(list.length, 20);
  assert.equal(list.some((p) => p.id === 'p3'), false, 'the oldest closed one went');
  assert.equal(list.some((p) => p.id === 'p7'), true);
  const open: Poll[] = Array.from({ length: 20 }, (_, i) => poll(`o${i}`));
  assert.equal(withPoll(open, poll('o20')).length, 21, 'open polls are never dropped here');
});
