import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@treff/protocol';
import { PollBook } from './polls.js';
import { RoomError } from './room-error.js';

const draft = { question: 'Lunch?', options: ['Pizza', 'Soup', 'Salad'], multiple: false, anonymous: false };

function refusal(code: string, pattern: RegExp): (err: unknown) => boolean {
  return (err) => err instanceof RoomError && err.code === code && pattern.test(err.message);
}

test('votes count once per participant; each sees their own choices; named polls list voters by name', () => {
  const book = new PollBook();
  const id = book.create(draft, 'Host', 1000);
  book.vote(id, 'a', 'Ana', [1]);
  book.vote(id, 'b', 'Ben', [1]);
  assert.throws(() => book.vote(id, 'a', 'Ana', [0]), refusal('bad-request', /already voted/));
  const seenByAna = book.view(id, 'a');
  assert.deepEqual(seenByAna.options, [
    { text: 'Pizza', votes: 0, voters: [] },
    { text: 'Soup', votes: 2, voters: ['Ana', 'Ben'] },
    { text: 'Salad', votes: 0, voters: [] },
  ]);
  assert.deepEqual(seenByAna.myChoices, [1]);
  assert.equal(seenByAna.voterCount, 2);
  assert.equal(seenByAna.createdBy, 'Host');
  assert.equal(seenByAna.at, 1000);
  assert.equal(book.view(id, 'c').myChoices, null);
});

test('anonymous polls give counts only: no voter names, nobody else learns anyone’s choices', () => {
  const book = new PollBook();
  const id = book.create({ ...draft, anonymous: true, multiple: true }, 'Host');
  book.vote(id, 'a', 'Ana', [2, 0]);
  const seenByHost = book.view(id, 'host');
  assert.deepEqual(seenByHost.options, [{ text: 'Pizza', votes: 1 }, { text: 'Soup', votes: 0 }, { text: 'Salad', votes: 1 }]);
  assert.equal(seenByHost.myChoices, null);
  assert.equal(JSON.stringify(seenByHost).includes('Ana'), false);
  assert.deepEqual(book.view(id, 'a').myChoices, [0, 2]);
});

test('bad votes are refused and change nothing', () => {
  const book = new PollBook();
  const single = book.create(draft, 'Host');
  const multiple = book.create({ ...draft, multiple: true }, 'Host');
  assert.throws(() => book.vote(single, 'a', 'Ana', [0, 1]), refusal('bad-request', /single choice/));
  assert.throws(() => book.vote(single, 'a', 'Ana', [3]), refusal('bad-request', /no option 3/));
  assert.throws(() => book.vote(multiple, 'a', 'Ana', [1, 1]), refusal('bad-request', /only once/));
  assert.throws(() => book.vote(multiple, 'a', 'Ana', []), refusal('bad-request', /at least one/));
  assert.throws(() => book.vote('nope', 'a', 'Ana', [0]), refusal('not-found', /no such poll/));
  assert.equal(book.view(single, 'a').voterCount, 0);
  assert.equal(book.view(multiple, 'a').voterCount, 0);
  book.vote(multiple, 'a', 'Ana', [0, 2]);
  assert.deepEqual(book.view(multiple, 'a').myChoices, [0, 2]);
});

test('a closed poll refuses votes and keeps its results; closing twice is refused', () => {
  const book = new PollBook();
  const id = book.create(draft, 'Host');
  book.vote(id, 'a', 'Ana', [0]);
  book.close(id);
  assert.throws(() => book.vote(id, 'b', 'Ben', [0]), refusal('bad-request', /this poll is closed/));
  assert.throws(() => book.close(id), refusal('bad-request', /already closed/));
  const view = book.view(id, 'b');
  assert.equal(view.closed, true);
  assert.equal(view.options[0]!.votes, 1);
});

test('a meeting keeps at most LIMITS.polls polls, oldest first; options must differ', () => {
  const book = new PollBook();
  assert.throws(() => book.create({ ...draft, options: ['Yes', 'yes'] }, 'Host'), refusal('bad-request', /must be different/));
  const ids = Array.from({ length: LIMITS.polls }, (_, i) => book.create({ ...draft, question: `Q${i}` }, 'Host'));
  assert.throws(() => book.create(draft, 'Host'), refusal('bad-request', new RegExp(`has ${LIMITS.polls} polls`)));
  assert.deepEqual(book.viewsFor('a').map((p) => p.id), ids);
  assert.equal(book.viewsFor('a')[0]!.question, 'Q0');
});
