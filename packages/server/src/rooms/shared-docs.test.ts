import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@treff/protocol';
import { may } from './permissions.js';
import { RoomError } from './room-error.js';
import { DOC_RATE, DOC_REQUEST_TTL_MS, DocBudget, OpenDocRequests, relayDocState, relayDocSyncRequest, relayDocUpdate } from './shared-docs.js';
import { e2eeTicket, enter, identityKey, openRoomTestBed, ticket, type Inbox } from './test-room.js';

const bed = await openRoomTestBed();

function refusal(code: string, pattern: RegExp): (err: unknown) => boolean {
  return (err) => err instanceof RoomError && err.code === code && pattern.test(err.message);
}

async function meeting(names: string[], settings: { requireE2ee?: boolean } = {}) {
  const room = await bed.openRoom(settings);
  const sinks: Inbox[] = [];
  const people = names.map((name, i) => {
    const t = settings.requireE2ee ? e2eeTicket(name, identityKey(i + 1), i === 0) : ticket(name);
    sinks.push(t.sink);
    return enter(room, t);
  });
  return { room, people, sinks };
}

test('everyone may edit the shared documents', async () => {
  for (const role of ['host', 'cohost', 'guest'] as const) assert.equal(may(role, 'edit-docs'), true);
});

test('an update goes, as it came, to everyone else in the meeting — breakout rooms too — and not back', async () => {
  const { room, people, sinks } = await meeting(['ada', 'bob', 'cy']);
  const [ada, , cy] = people;
  room.moveToBreakout(cy!, 'b1');
  relayDocUpdate(room, ada!, 'notes', { update: 'AQID' });
  relayDocUpdate(room, ada!, 'whiteboard', { sealed: 'c2VhbGVk' });
  assert.deepEqual(sinks[0]!.of('doc-update'), []);
  for (const sink of sinks.slice(1)) {
    assert.deepEqual(sink.of('doc-update'), [
      { type: 'doc-update', doc: 'notes', from: ada!.id, update: 'AQID' },
      { type: 'doc-update', doc: 'whiteboard', from: ada!.id, sealed: 'c2VhbGVk' },
    ]);
  }
  room.end('meeting-ended', 'done');
});

test('a room that requires E2EE takes sealed updates and states only', async () => {
  const { room, people, sinks } = await meeting(['ada', 'bob'], { requireE2ee: true });
  const [ada, bob] = people;
  assert.throws(() => relayDocUpdate(room, ada!, 'notes', { update: 'AQID' }), refusal('bad-request', /end-to-end encrypted shared documents/));
  relayDocSyncRequest(room, bob!, 'notes', ada!.id);
  assert.throws(() => relayDocState(room, ada!, 'notes', bob!.id, { state: 'AQID' }), refusal('bad-request', /end-to-end encrypted/));
  relayDocState(room, ada!, 'notes', bob!.id, { sealed: 'AQID' });
  assert.deepEqual(sinks[1]!.of('doc-state'), [{ type: 'doc-state', doc: 'notes', from: ada!.id, sealed: 'AQID' }]);
  relayDocUpdate(room, ada!, 'notes', { sealed: 'AQID' });
  assert.equal(sinks[1]!.of('doc-update').length, 1);
  room.end('meeting-ended', 'done');
});

test('a sync request goes to the one asked; unknown or oneself is refused', async () => {
  const { room, people, sinks } = await meeting(['ada', 'bob']);
  const [ada, bob] = people;
  relayDocSyncRequest(room, bob!, 'whiteboard', ada!.id);
  assert.deepEqual(sinks[0]!.of('doc-sync-request'), [{ type: 'doc-sync-request', doc: 'whiteboard', from: bob!.id }]);
  assert.deepEqual(sinks[1]!.of('doc-sync-request'), []);
  assert.throws(() => relayDocSyncRequest(room, bob!, 'notes', 'nobody'), refusal('not-found', /not in this meeting/));
  assert.throws(() => relayDocSyncRequest(room, bob!, 'notes', bob!.id), refusal('bad-request', /yourself/));
  assert.throws(() => relayDocState(room, ada!, 'notes', 'nobody', { state: 'AQID' }), refusal('not-found', /not in this meeting/));
  assert.throws(() => relayDocState(room, ada!, 'notes', ada!.id, { state: 'AQID' }), refusal('bad-request', /yourself/));
  room.end('meeting-ended', 'done');
});

test('a state goes through once per request, for that document and pair only; it is forgotten when either leaves', async () => {
  const { room, people, sinks } = await meeting(['ada', 'bob', 'cy']);
  const [ada, bob, cy] = people;
  const unasked = refusal('bad-request', /did not ask you/);
  assert.throws(() => relayDocState(room, ada!, 'notes', bob!.id, { state: 'AQID' }), unasked);
  relayDocSyncRequest(room, bob!, 'notes', ada!.id);
  assert.throws(() => relayDocState(room, ada!, 'whiteboard', bob!.id, { state: 'AQID' }), unasked, 'another document');
  assert.throws(() => relayDocState(room, cy!, 'notes', bob!.id, { state: 'AQID' }), unasked, 'someone not asked');
  assert.throws(() => relayDocState(room, bob!, 'notes', ada!.id, { state: 'AQID' }), unasked, 'the other way round');
  relayDocState(room, ada!, 'notes', bob!.id, { state: 'AQID' });
  assert.deepEqual(sinks[1]!.of('doc-state'), [{ type: 'doc-state', doc: 'notes', from: ada!.id, state: 'AQID' }]);
  assert.throws(() => relayDocState(room, ada!, 'notes', bob!.id, { state: 'AQID' }), unasked, 'answered already');

  relayDocSyncRequest(room, cy!, 'notes', ada!.id);
  room.leave(cy!, 'left');
  const dan = enter(room, ticket('dan'));
  assert.throws(() => relayDocState(room, ada!, 'notes', cy!.id, { state: 'AQID' }), refusal('not-found', /not in this meeting/));
  relayDocSyncRequest(room, dan, 'notes', bob!.id);
  room.leave(bob!, 'left');
  relayDocSyncRequest(room, dan, 'notes', ada!.id);
  relayDocState(room, ada!, 'notes', dan.id, { state: 'AQID' });
  room.end('meeting-ended', 'done');
});

test('open requests expire after 30 s and are forgotten with either party', async () => {
  let now = 0;
  const open = new OpenDocRequests(() => now);
  open.ask('a', 'b', 'notes');
  now += DOC_REQUEST_TTL_MS - 1;
  open.ask('c', 'b', 'notes');
  assert.equal(open.answer('a', 'b', 'notes'), true);
  open.ask('a', 'b', 'notes');
  now += DOC_REQUEST_TTL_MS;
  assert.equal(open.answer('a', 'b', 'notes'), false, 'expired');
  assert.equal(open.size, 0);
  open.ask('a', 'b', 'notes');
  open.ask('b', 'c', 'whiteboard');
  open.ask('c', 'd', 'notes');
  open.forget('b');
  assert.equal(open.size, 1);
  assert.equal(open.answer('c', 'd', 'notes'), true);
});

test('the documents budget: bursts of typing pass, floods are refused by count, size and sync requests', async () => {
  let now = 0;
  const budget = new DocBudget(() => now);
  const small = { type: 'doc-update', doc: 'notes', update: 'AAAA' } as const;
  // Typing: one update per document every 50 ms for a minute.
  for (let i = 0; i < 1200; i++) {
    now += 50;
    assert.equal(budget.spend(small), true);
    assert.equal(budget.spend({ ...small, doc: 'whiteboard' }), true);
  }
  let passed = 0;
  while (budget.spend(small)) passed++;
  assert.ok(passed >= DOC_RATE.updates.burst - 40 && passed <= DOC_RATE.updates.burst, `${passed}`);
  now += 10_000;
  const large = { type: 'doc-update', doc: 'notes', sealed: 'A'.repeat(LIMITS.docUpdate) } as const;
  let largePassed = 0;
  while (budget.spend(large)) largePassed++;
  assert.equal(largePassed, Math.floor(DOC_RATE.updateChars.burst / LIMITS.docUpdate));
  // Sustained, a sender gets far less than a paste a second: what it sends goes to everyone else.
  now += 1000;
  assert.equal(budget.spend(large), false, 'one second refills a twentieth of a large update');
  assert.ok(DOC_RATE.updateChars.perSecond <= 50_000);
  now += Math.ceil((LIMITS.docUpdate / DOC_RATE.updateChars.perSecond) * 1000);
  assert.equal(budget.spend(large), true, 'refilled');
  const ask = { type: 'doc-sync-request', doc: 'notes', to: 'x' } as const;
  let asks = 0;
  while (budget.spend(ask)) asks++;
  assert.equal(asks, DOC_RATE.syncRequests.burst);
  // Answers have their own allowance: 40 newcomers at once, each asking for both documents.
  const answer = { type: 'doc-state', doc: 'notes', to: 'x', sealed: 'A'.repeat(LIMITS.docState) } as const;
  for (let i = 0; i < 80; i++) assert.equal(budget.spend(answer), true, `answer ${i}`);
  let answers = 80;
  while (budget.spend(answer)) answers++;
  assert.equal(answers, DOC_RATE.states.burst);
});
