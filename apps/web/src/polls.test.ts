import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, type Poll } from '@treff/protocol';
import { awaitingVote, newPolls, pollRequest, resultRows } from './polls.js';

const poll = (id: string, over: Partial<Poll> = {}): Poll => ({
  id,
  question: 'Lunch?',
  options: [{ text: 'Pizza', votes: 0 }, { text: 'Soup', votes: 0 }],
  multiple: false,
  anonymous: true,
  closed: false,
  createdBy: 'Ana',
  at: 0,
  voterCount: 0,
  myChoices: null,
  ...over,
});

test('the badge counts open polls we have not voted in', () => {
  assert.equal(awaitingVote([]), 0);
  assert.equal(awaitingVote([poll('a'), poll('b', { myChoices: [1] }), poll('c', { closed: true }), poll('d')]), 2);
});

test('results give each option its share of the voters, our own choices and the names of a named poll', () => {
  const rows = resultRows(poll('a', {
    anonymous: false,
    multiple: true,
    voterCount: 3,
    myChoices: [0, 1],
    options: [{ text: 'Pizza', votes: 2, voters: ['Ana', 'Bo'] }, { text: 'Soup', votes: 1, voters: ['Ana'] }, { text: 'None', votes: 0, voters: [] }],
  }));
  assert.deepEqual(rows.map((r) => [r.text, r.votes, r.percent, r.mine]), [['Pizza', 2, 67, true], ['Soup', 1, 33, true], ['None', 0, 0, false]]);
  assert.deepEqual(rows[0]?.voters, ['Ana', 'Bo']);
  // No votes yet: 0 %, never NaN; an anonymous poll lists no one.
  assert.deepEqual(resultRows(poll('b')).map((r) => [r.percent, r.voters.length]), [[0, 0], [0, 0]]);
});

test('new polls are the ones not seen before', () => {
  assert.deepEqual(newPolls(new Set(['a']), [poll('a'), poll('b')]).map((p) => p.id), ['b']);
});

test('a draft becomes a request with trimmed text and without blank options, or says what is missing', () => {
  const ok = pollRequest({ question: '  Lunch? ', options: [' Pizza ', '', 'Soup', '  '], multiple: true, anonymous: false });
  assert.deepEqual(ok, { ok: true, request: { question: 'Lunch?', options: ['Pizza', 'Soup'], multiple: true, anonymous: false } });
  const problem = (question: string, options: string[]) => {
    const result = pollRequest({ question, options, multiple: false, anonymous: true });
    return result.ok ? null : result.problem;
  };
  assert.equal(problem(' ', ['a', 'b']), 'question-missing');
  assert.equal(problem('x'.repeat(LIMITS.pollQuestion + 1), ['a', 'b']), 'question-too-long');
  assert.equal(problem('q', ['a', ' ']), 'too-few-options');
  assert.equal(problem('q', Array.from({ length: LIMITS.pollOptions + 1 }, (_, i) => `o${i}`)), 'too-many-options');
  assert.equal(problem('q', ['a', 'x'.repeat(LIMITS.pollOption + 1)]), 'option-too-long');
});
