import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage, ParticipantInfo, Poll } from '@treff/protocol';
import type { ChatEntry } from './e2ee/e2ee-session.js';
import { joinedRoom } from './testing/joined-room.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';
import { PROTOCOL_VERSION } from '@treff/protocol';

const info = (id: string, name: string): ParticipantInfo => ({ id, name, role: 'guest', media: { audio: false, video: false }, joinedAt: 1, e2ee: null });
const chat = (id: string, text: string, to: string | null = null): ChatMessage => ({ id, from: 'bob', fromName: 'Bob', to, text, at: 5 });
const joined = (extra: Record<string, unknown> = {}) => ({
  type: 'joined', v: PROTOCOL_VERSION, room: { id: 'room1', title: 'T', settings: ROOM_SETTINGS, link: null }, self: info('me', 'Ada'), participants: [info('bob', 'Bob')],
  resumeToken: 'tok', resumed: false, activeSpeakerId: null, ...extra,
});

test('the history from joined becomes room.chat; new messages are appended and emitted', async () => {
  const { room, socket } = await joinedRoom(joined({ chat: [chat('1', 'earlier')] }));
  assert.deepEqual(room.chat.map((m) => m.text), ['earlier']);
  const seen: ChatEntry[] = [];
  room.events.on('chat', (m) => seen.push(m));
  socket.deliver({ type: 'chat-message', ...chat('2', 'now', 'me') });
  assert.deepEqual(seen, [{ ...chat('2', 'now', 'me'), encrypted: false }]);
  assert.deepEqual(room.chat.map((m) => m.text), ['earlier', 'now']);
  room.leave();
});

test('a resume replaces the history with the server’s (no duplicates of what we had)', async () => {
  const { room, socket } = await joinedRoom(joined({ chat: [chat('1', 'a')] }));
  socket.deliver({ type: 'chat-message', ...chat('2', 'b') });
  const histories: number[] = [];
  room.events.on('chat-history', (h) => histories.push(h.length));
  socket.deliver(joined({ resumed: true, chat: [chat('1', 'a'), chat('2', 'b'), chat('3', 'c')] }));
  assert.deepEqual(room.chat.map((m) => m.id), ['1', '2', '3']);
  assert.deepEqual(histories, [3]);
  room.leave();
});

test('sendChat sends public and private messages and refuses empty or oversized text', async () => {
  const { room, socket } = await joinedRoom(joined());
  assert.equal(room.sendChat('hi all'), true);
  assert.equal(room.sendChat('hi bob', { to: 'bob' }), true);
  assert.deepEqual(socket.sent.slice(-2), [{ type: 'chat', text: 'hi all' }, { type: 'chat', text: 'hi bob', to: 'bob' }]);
  assert.throws(() => room.sendChat('   '), RangeError);
  assert.throws(() => room.sendChat('x'.repeat(2001)), RangeError);
  room.leave();
});

test('hands: the queue from joined and from updates; raise, lower, react send their messages', async () => {
  const { room, socket } = await joinedRoom(joined({ hands: ['bob'] }));
  assert.deepEqual(room.hands, ['bob']);
  const queues: (readonly string[])[] = [];
  room.events.on('hands', (q) => queues.push(q));
  socket.deliver({ type: 'hands', queue: ['bob', 'me'] });
  socket.deliver({ type: 'hands', queue: ['bob', 'me'] });
  assert.deepEqual(queues, [['bob', 'me']], 'an unchanged queue is not emitted again');
  room.raiseHand();
  room.raiseHand(false);
  room.lowerHand('bob');
  room.react('🎉');
  assert.deepEqual(socket.sent.slice(-4), [
    { type: 'raise-hand', raised: true }, { type: 'raise-hand', raised: false }, { type: 'lower-hand', participantId: 'bob' }, { type: 'reaction', emoji: '🎉' },
  ]);
  assert.throws(() => room.react('<b>'), RangeError);
  const reactions: unknown[] = [];
  room.events.on('reaction', (r) => reactions.push(r));
  socket.deliver({ type: 'reaction', from: 'bob', emoji: '👏' });
  assert.deepEqual(reactions, [{ from: 'bob', emoji: '👏' }]);
  room.leave();
});

const poll = (id: string, extra: Partial<Poll> = {}): Poll => ({
  id, question: 'Lunch?', options: [{ text: 'Pizza', votes: 0 }, { text: 'Soup', votes: 0 }],
  multiple: false, anonymous: true, closed: false, createdBy: 'Bob', at: 1, voterCount: 0, myChoices: null, ...extra,
});

test('polls: the list from joined, each poll update replaces its poll by id or is appended, the whole list emitted', async () => {
  const { room, socket } = await joinedRoom(joined({ polls: [poll('p1')] }));
  assert.deepEqual(room.polls.map((p) => p.id), ['p1']);
  const lists: string[][] = [];
  room.events.on('polls', (list) => lists.push(list.map((p) => `${p.id}:${p.voterCount}:${p.closed}`)));
  socket.deliver({ type: 'poll', poll: poll('p2') });
  socket.deliver({ type: 'poll', poll: poll('p1', { voterCount: 1, myChoices: [0], options: [{ text: 'Pizza', votes: 1 }, { text: 'Soup', votes: 0 }] }) });
  socket.deliver({ type: 'poll', poll: poll('p1', { voterCount: 1, myChoices: [0], closed: true }) });
  assert.deepEqual(lists, [['p1:0:false', 'p2:0:false'], ['p1:1:false', 'p2:0:false'], ['p1:1:true', 'p2:0:false']]);
  assert.deepEqual(room.polls[0]!.myChoices, [0]);
  // A resume brings the server's list, replacing ours.
  socket.deliver(joined({ resumed: true, polls: [poll('p2', { voterCount: 3 })] }));
  assert.deepEqual(room.polls.map((p) => `${p.id}:${p.voterCount}`), ['p2:3']);
  room.leave();
});

test('createPoll, vote and closePoll send their messages; bad input is a RangeError and sends nothing', async () => {
  const { room, socket } = await joinedRoom(joined({ polls: [poll('p1')] }));
  assert.equal(room.createPoll({ question: 'Lunch?', options: ['Pizza', 'Soup'], multiple: true }), true);
  assert.equal(room.vote('p1', [1]), true);
  assert.equal(room.closePoll('p1'), true);
  assert.deepEqual(socket.sent.slice(-3), [
    { type: 'poll-create', question: 'Lunch?', options: ['Pizza', 'Soup'], multiple: true, anonymous: false },
    { type: 'poll-vote', pollId: 'p1', choices: [1] },
    { type: 'poll-close', pollId: 'p1' },
  ]);
  const sent = socket.sent.length;
  assert.throws(() => room.createPoll({ question: 'Only one?', options: ['yes'] }), RangeError);
  assert.throws(() => room.vote('p1', [0, 1]), RangeError, 'p1 is single choice');
  assert.throws(() => room.vote('p1', [2]), RangeError, 'p1 has two options');
  assert.equal(socket.sent.length, sent);
  // The server's refusals are error events like any other action's.
  const errors: string[] = [];
  room.events.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
  socket.deliver({ type: 'error', code: 'bad-request', message: 'you have already voted', fatal: false });
  assert.deepEqual(errors, ['bad-request: you have already voted']);
  room.leave();
  assert.equal(room.vote('p1', [0]), false, 'nothing is sent after leaving');
});
