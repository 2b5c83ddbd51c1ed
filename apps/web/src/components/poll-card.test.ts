import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Room } from '@treff/client';
import type { Poll } from '@treff/protocol';
import { PollCard } from './poll-card.js';
import { PollsPanel } from './polls-panel.js';

const poll = (over: Partial<Poll> = {}): Poll => ({
  id: 'p1',
  question: 'Lunch?',
  options: [{ text: 'Pizza', votes: 2 }, { text: 'Soup', votes: 1 }],
  multiple: false,
  anonymous: true,
  closed: false,
  createdBy: 'Ana',
  at: 0,
  voterCount: 3,
  myChoices: null,
  ...over,
});

function fakeRoom(isModerator: boolean, polls: readonly Poll[] = [], status: 'encrypted' | 'not-encrypted' = 'not-encrypted') {
  return { isModerator, polls, e2ee: { status }, vote: () => true, closePoll: () => true, createPoll: () => true } as unknown as Room;
}

const card = (room: Room, p: Poll) => renderToString(h(PollCard, { room, poll: p }));

test('before voting a participant gets a ballot (radio buttons, or checkboxes for several choices) and no results', () => {
  const single = card(fakeRoom(false), poll());
  assert.equal(single.match(/type="radio"/g)?.length, 2);
  assert.match(single, />Vote<\/button>/);
  assert.doesNotMatch(single, /votes?, \d+%/, 'results shown before voting');
  assert.doesNotMatch(single, /Close poll/);
  assert.equal(card(fakeRoom(false), poll({ multiple: true })).match(/type="checkbox"/g)?.length, 2);
});

test('after voting: results with counts, percentages and our choice, and no second ballot', () => {
  const html = card(fakeRoom(false), poll({ myChoices: [0] }));
  assert.doesNotMatch(html, />Vote<\/button>/);
  assert.match(html, /Pizza<\/span><span class="muted"> \(your choice\)<\/span><span class="poll-count">2 votes, 67%/);
  assert.match(html, /1 vote, 33%/);
  assert.match(html, /3 people voted/);
  assert.match(html, /style="width: ?67%;?"/);
});

test('a named poll lists who voted for what; moderators see results and can close an open poll; closed polls say so', () => {
  const named = card(fakeRoom(true), poll({ anonymous: false, options: [{ text: 'Pizza', votes: 2, voters: ['Bo', 'Cy'] }, { text: 'Soup', votes: 0, voters: [] }], voterCount: 2 }));
  assert.match(named, /Voted: Bo and Cy/);
  assert.match(named, />Vote<\/button>/, 'a moderator may vote too');
  assert.match(named, />Close poll<\/button>/);
  const closed = card(fakeRoom(true), poll({ closed: true }));
  assert.match(closed, /<span class="badge">Closed<\/span>/);
  assert.doesNotMatch(closed, /Close poll|>Vote</);
  assert.match(closed, /2 votes, 67%/);
});

test('the panel: newest poll first, New poll only for moderators, and the not-end-to-end-encrypted note in encrypted meetings', () => {
  const panel = (room: Room) => renderToString(h(PollsPanel, { room, onClose: () => undefined }));
  const html = panel(fakeRoom(false, [poll({ id: 'old', question: 'First?' }), poll({ id: 'new', question: 'Second?' })]));
  assert.ok(html.indexOf('Second?') < html.indexOf('First?'));
  assert.doesNotMatch(html, /New poll/);
  assert.doesNotMatch(html, /not end-to-end encrypted/);
  assert.match(panel(fakeRoom(true)), />New poll<\/button>[\s\S]*No polls yet/);
  assert.match(panel(fakeRoom(false, [], 'encrypted')), /Polls are not end-to-end encrypted: the server counts the votes/);
});
