import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientMessage, DocName, ParticipantInfo } from '@treff/protocol';
import { LIMITS } from '@treff/protocol';
import * as Y from 'yjs';
import { toBase64url } from './e2ee/base64url.js';
import { E2eeSession } from './e2ee/e2ee-session.js';
import type { Timers } from './signal-client.js';
import { COALESCE_MS, HOLD_MS, SharedDocs, SYNC_TIMEOUT_MS, type DocMessage } from './shared-docs.js';
import { LocalFrames } from './testing/local-frames.js';

/** Virtual time for the SDK's timers: `advance` runs what falls due, in order. */
class Clock implements Timers {
  now = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}

interface Node {
  id: string;
  info: ParticipantInfo;
  session: E2eeSession;
  frames: LocalFrames | null;
  docs: SharedDocs;
  outbox: ClientMessage[];
  /** Everything it sent (the outbox is emptied as messages are carried). */
  log: ClientMessage[];
  /** What the "server" delivered to this node, doc messages only. */
  inbox: DocMessage[];
  online: boolean;
}

/**
 * Participants wired together the way the server relays (docs/shared-docs.md), with their real key schedules
 * (sealed when `encrypted`) and a shared virtual clock.
 */
class Meeting {
  readonly clock = new Clock();
  readonly nodes: Node[] = [];
  #joinedAt = 1000;
  /** Doc messages the "server" dropped on the way (a filter returns false to drop). */
  filter: (from: Node, message: ClientMessage) => boolean = () => true;
  /** What the next nodes draw to pick whom they ask first (0: the longest present). */
  random = () => 0;

  constructor(readonly options: { encrypted?: boolean; required?: boolean } = {}) {}

  async add(id: string, join = true, e2ee = this.options.encrypted === true): Promise<Node> {
    const outbox: ClientMessage[] = [];
    const log: ClientMessage[] = [];
    const frames = e2ee ? new LocalFrames() : null;
    const node = { id, outbox, log, inbox: [], frames, online: true } as unknown as Node;
    const send = (m: ClientMessage) => node.online && (outbox.push(m), log.push(m), true);
    node.session = new E2eeSession({ frames, enabled: frames !== null, send });
    const random = this.random;
    node.docs = new SharedDocs({ send, e2ee: node.session, timers: this.clock, now: () => this.clock.now, random });
    node.info = { id, name: id, role: 'guest', media: { audio: false, video: false }, joinedAt: this.#joinedAt++, e2ee: await node.session.identity() };
    if (join) this.join(node);
    return node;
  }

  join(node: Node, resumed = false): void {
    const others = this.nodes.filter((n) => n !== node);
    node.session.joined(node.info, others.map((n) => n.info), this.options.required === true, resumed);
    node.docs.joined(node.info, others.map((n) => n.info), resumed);
    if (!this.nodes.includes(node)) {
      for (const n of others) {
        n.session.participant(node.info);
        n.docs.participant(node.info);
      }
      this.nodes.push(node);
    }
  }

  leave(node: Node): void {
    this.nodes.splice(this.nodes.indexOf(node), 1);
    for (const n of this.nodes) {
      n.session.left(node.id);
      n.docs.left(node.id);
    }
  }

  #deliver(to: Node | undefined, message: DocMessage): void {
    if (!to || !to.online) return;
    to.inbox.push(message);
    to.docs.receive(message);
  }

  /**
   * Carries messages (and lets WebCrypto and timers of `ms` run) until nothing moves. Bounded by rounds, not
   * wall-clock time: every seal and open runs on a session's queue, so its idle() is when the crypto is done.
   */
  async settle(ms = 0): Promise<void> {
    let quiet = 0;
    for (let round = 0; round < 200 && quiet < 3; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const n of this.nodes) await n.session.idle();
      let moved = false;
      for (const from of [...this.nodes]) {
        for (const m of from.outbox.splice(0)) {
          moved = true;
          if (!this.filter(from, m)) continue;
          const find = (id: string) => this.nodes.find((n) => n.id === id);
          if (m.type === 'e2ee-keys') for (const k of m.keys) find(k.to)?.session.keyReceived(from.id, k.sealed);
          if (m.type === 'e2ee-key-request') for (const id of m.from) find(id)?.session.keyRequested(from.id);
          if (m.type === 'doc-update') for (const n of this.nodes) if (n !== from) this.#deliver(n, { ...m, from: from.id });
          if (m.type === 'doc-sync-request') this.#deliver(find(m.to), { type: 'doc-sync-request', doc: m.doc, from: from.id });
          if (m.type === 'doc-state') {
            const { to, ...rest } = m;
            this.#deliver(find(to), { ...rest, from: from.id });
          }
        }
      }
      if (!moved && ms > 0) {
        this.clock.advance(ms);
        ms = 0;
        moved = true;
      }
      quiet = moved ? 0 : quiet + 1;
    }
  }
}

const sent = (node: Node, type: ClientMessage['type']) => node.log.filter((m) => m.type === type);
const text = (node: Node) => node.docs.notes.toString();
/** Whom `node` asked for `doc`, in order. */
const askedFor = (node: Node, doc: DocName) => node.log.flatMap((m) => (m.type === 'doc-sync-request' && m.doc === doc ? [m.to] : []));
const syncs = (docs: SharedDocs) => {
  const seen: string[] = [];
  docs.events.on('sync', ({ doc, state }) => seen.push(`${doc} ${state}`));
  return seen;
};

test('alone in the meeting both documents are synced at once; the API gives the documents and their types', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada', false);
  assert.equal(ada.docs.sync('notes'), 'syncing');
  const seen = syncs(ada.docs);
  meeting.join(ada);
  assert.deepEqual(seen, ['notes synced', 'whiteboard synced']);
  assert.equal(ada.docs.notes, ada.docs.doc('notes').getText('notes'));
  assert.equal(ada.docs.strokes, ada.docs.doc('whiteboard').getArray('strokes'));
  assert.equal(sent(ada, 'doc-sync-request').length, 0);
  assert.ok(ada.docs.maxBytes > 100_000 && ada.docs.maxBytes < LIMITS.docState);
  assert.ok(ada.docs.bytes('notes') <= 4);
});

test('typing goes out as one merged update per 50 ms, never echoed into our own document', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  ada.log.length = 0;
  for (const ch of 'hello') ada.docs.notes.insert(ada.docs.notes.length, ch);
  assert.equal(sent(ada, 'doc-update').length, 0, 'not before the window closes');
  meeting.clock.advance(COALESCE_MS);
  await ada.session.idle();
  assert.equal(sent(ada, 'doc-update').length, 1);
  await meeting.settle();
  assert.equal(text(bob), 'hello');
  assert.equal(text(ada), 'hello');
  assert.equal(sent(bob, 'doc-update').length, 0, 'applying a remote update sends nothing');
  // A transaction with an origin of the app's own is a local edit too.
  bob.docs.doc('whiteboard').transact(() => bob.docs.strokes.push([{ id: 's1' }]), 'my-ui');
  await meeting.settle(COALESCE_MS);
  assert.deepEqual(ada.docs.strokes.toJSON(), [{ id: 's1' }]);
});

test('concurrent edits of three participants converge, in clear and sealed', async () => {
  for (const encrypted of [false, true]) {
    const meeting = new Meeting({ encrypted });
    const nodes = [await meeting.add('ada'), await meeting.add('bob'), await meeting.add('cy')];
    await meeting.settle();
    // Everyone edits before anyone's edit arrives.
    nodes.forEach((n, i) => {
      n.docs.notes.insert(0, `${n.id} was here. `);
      n.docs.strokes.push([i]);
    });
    await meeting.settle(COALESCE_MS);
    const [first, ...rest] = nodes.map((n) => [text(n), JSON.stringify(n.docs.strokes.toJSON())]);
    for (const other of rest) assert.deepEqual(other, first, encrypted ? 'sealed' : 'clear');
    for (const id of ['ada', 'bob', 'cy']) assert.ok(first![0]!.includes(`${id} was here.`));
    if (encrypted) {
      const updates = nodes.flatMap((n) => n.inbox.filter((m) => m.type === 'doc-update'));
      assert.ok(updates.length >= 6 && updates.every((m) => m.sealed !== undefined && m.update === undefined), 'only sealed updates travelled');
    }
  }
});

test('a newcomer asks the longest-present participant, then the next after 3 s, and is synced by the first state', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  ada.docs.notes.insert(0, 'agenda');
  await meeting.settle(COALESCE_MS);
  ada.online = false; // ada will not answer
  const cy = await meeting.add('cy', false);
  const seen = syncs(cy.docs);
  meeting.join(cy);
  assert.deepEqual(sent(cy, 'doc-sync-request').map((m) => m.type === 'doc-sync-request' && m.to), ['ada', 'ada']);
  await meeting.settle();
  assert.equal(cy.docs.sync('notes'), 'syncing');
  meeting.clock.advance(SYNC_TIMEOUT_MS);
  assert.deepEqual(sent(cy, 'doc-sync-request').slice(2).map((m) => m.type === 'doc-sync-request' && m.to), ['bob', 'bob']);
  await meeting.settle();
  assert.equal(text(cy), 'agenda');
  assert.deepEqual(seen, ['notes synced', 'whiteboard synced']);
  // Asked again within a second, bob answers once the second is over.
  const answers = sent(bob, 'doc-state').length;
  bob.docs.receive({ type: 'doc-sync-request', doc: 'notes', from: 'cy' });
  bob.docs.receive({ type: 'doc-sync-request', doc: 'notes', from: 'cy' });
  await meeting.settle();
  assert.equal(sent(bob, 'doc-state').length, answers);
  meeting.clock.advance(1000);
  await meeting.settle();
  assert.equal(sent(bob, 'doc-state').length, answers + 1);
});

test('everyone asked leaving ends in synced; the one we wait for leaving moves on at once', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  ada.online = false;
  bob.online = false;
  const cy = await meeting.add('cy');
  meeting.leave(ada);
  assert.deepEqual(sent(cy, 'doc-sync-request').slice(2).map((m) => m.type === 'doc-sync-request' && m.to), ['bob', 'bob'], 'ada left: bob is next');
  meeting.leave(bob);
  assert.equal(cy.docs.sync('notes'), 'synced');
  assert.equal(cy.docs.sync('whiteboard'), 'synced');
});

test('everyone asked staying silent is not synced: the document stays syncing, `unanswered` fires, a late state syncs it', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  ada.docs.notes.insert(0, 'content nobody sends');
  await meeting.settle(COALESCE_MS);
  ada.online = false;
  bob.online = false;
  const cy = await meeting.add('cy', false);
  const unanswered: DocName[] = [];
  cy.docs.events.on('unanswered', ({ doc }) => unanswered.push(doc));
  meeting.join(cy);
  meeting.leave(ada); // left: bob is next; bob stays silent
  meeting.clock.advance(SYNC_TIMEOUT_MS);
  assert.equal(cy.docs.sync('notes'), 'syncing');
  assert.equal(cy.docs.sync('whiteboard'), 'syncing');
  assert.deepEqual(unanswered, ['notes', 'whiteboard']);
  bob.online = true;
  cy.docs.receive({ type: 'doc-state', doc: 'notes', from: 'bob', state: toBase64url(Y.encodeStateAsUpdate(bob.docs.doc('notes'))) });
  await meeting.settle();
  assert.equal(cy.docs.sync('notes'), 'synced');
  assert.equal(text(cy), 'content nobody sends');
});

test('a document grown past one message by concurrent pastes: a newcomer is told nobody answered, never synced empty', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  // Each paste is within maxBytes (its sender checks only its own edits); together they are not.
  ada.docs.notes.insert(0, 'a'.repeat(Math.floor(ada.docs.maxBytes * 0.6)));
  bob.docs.notes.insert(0, 'b'.repeat(Math.floor(bob.docs.maxBytes * 0.6)));
  await meeting.settle(COALESCE_MS);
  assert.ok(ada.docs.bytes('notes') > ada.docs.maxBytes && text(ada) === text(bob));
  const cy = await meeting.add('cy', false);
  const unanswered: DocName[] = [];
  cy.docs.events.on('unanswered', ({ doc }) => unanswered.push(doc));
  meeting.join(cy);
  await meeting.settle();
  meeting.clock.advance(SYNC_TIMEOUT_MS);
  await meeting.settle();
  meeting.clock.advance(SYNC_TIMEOUT_MS);
  await meeting.settle();
  assert.deepEqual(askedFor(cy, 'notes'), ['ada', 'bob']);
  assert.equal(cy.docs.sync('notes'), 'syncing', 'not synced with an empty document');
  assert.deepEqual(unanswered, ['notes']);
  assert.equal(cy.docs.sync('whiteboard'), 'synced', 'the small document came');
});

test('a newcomer asks one of the three longest present first, at random, then the rest in order', async () => {
  for (const [random, first] of [[0, 'ada'], [0.5, 'bob'], [0.99, 'cy']] as const) {
    const meeting = new Meeting();
    for (const id of ['ada', 'bob', 'cy', 'dan']) await meeting.add(id);
    await meeting.settle();
    for (const n of meeting.nodes) n.online = false;
    meeting.random = () => random;
    const eve = await meeting.add('eve');
    const asked = askedFor(eve, 'notes');
    assert.deepEqual(asked, [first]);
    for (let i = 0; i < 3; i++) meeting.clock.advance(SYNC_TIMEOUT_MS);
    const all = askedFor(eve, 'notes');
    assert.deepEqual(all, [first, ...['ada', 'bob', 'cy', 'dan'].filter((id) => id !== first)]);
  }
});

test('a resumed participant catches up on what it missed and sends what it wrote while away', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  bob.online = false;
  ada.docs.notes.insert(0, 'while you were away. ');
  bob.docs.notes.insert(0, 'offline note. ');
  await meeting.settle(COALESCE_MS);
  assert.equal(text(bob), 'offline note. ');
  meeting.clock.advance(5000);
  bob.online = true;
  const seen = syncs(bob.docs);
  meeting.join(bob, true);
  await meeting.settle(COALESCE_MS);
  assert.equal(text(bob), text(ada));
  assert.ok(text(ada).includes('offline note.') && text(ada).includes('while you were away.'));
  assert.deepEqual(seen, [], 'a resume does not go back to syncing');
});

test('a sealed update whose key has not come is held and opens when the key arrives', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  // Keys from ada to bob are held back; her edit arrives first.
  const held: ClientMessage[] = [];
  meeting.filter = (from, m) => (from === ada && m.type === 'e2ee-keys' ? (held.push(m), false) : true);
  meeting.leave(await meeting.add('cy')); // ada rotates her key twice: bob cannot guess it
  await meeting.settle();
  ada.docs.notes.insert(0, 'after the rotation');
  await meeting.settle(COALESCE_MS);
  assert.equal(text(bob), '');
  bob.log.length = 0;
  meeting.filter = () => true;
  for (const m of held) if (m.type === 'e2ee-keys') for (const k of m.keys) if (k.to === 'bob') bob.session.keyReceived('ada', k.sealed);
  await meeting.settle();
  assert.equal(text(bob), 'after the rotation');
  assert.equal(sent(bob, 'doc-sync-request').filter((m) => m.type === 'doc-sync-request' && m.to === 'ada').length, 0, 'no state needed');
});

test('a sealed update that never opens: after 2 s its sender is asked for the whole document', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  meeting.filter = (from, m) => !(from === ada && m.type === 'e2ee-keys');
  meeting.leave(await meeting.add('cy'));
  await meeting.settle();
  ada.docs.notes.insert(0, 'lost key');
  ada.docs.notes.insert(0, 'then more: ');
  await meeting.settle(COALESCE_MS);
  assert.equal(text(bob), '');
  bob.log.length = 0;
  meeting.clock.advance(HOLD_MS);
  assert.deepEqual(sent(bob, 'doc-sync-request'), [{ type: 'doc-sync-request', doc: 'notes', to: 'ada' }]);
  await meeting.settle();
  assert.equal(text(bob), 'then more: lost key');
  const state = bob.inbox.find((m) => m.type === 'doc-state');
  assert.ok(state?.type === 'doc-state' && state.sealed !== undefined && state.state === undefined, 'the state came sealed');
});

test('an edit past maxBytes is undone, `full` is emitted, and later edits still reach everyone', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  const full: DocName[] = [];
  ada.docs.events.on('full', ({ doc }) => full.push(doc));
  ada.docs.notes.insert(0, 'keep me. ');
  await meeting.settle(COALESCE_MS);
  const huge = 'x'.repeat(ada.docs.maxBytes);
  ada.docs.notes.insert(9, huge);
  await meeting.settle(COALESCE_MS);
  assert.deepEqual(full, ['notes']);
  assert.equal(text(ada), 'keep me. ', 'the refused edit is undone locally');
  assert.ok(ada.docs.bytes('notes') < 1000, `${ada.docs.bytes('notes')} bytes`);
  const carried = bob.inbox.filter((m) => m.type === 'doc-update').reduce((n, m) => n + (m.type === 'doc-update' ? (m.update?.length ?? 0) : 0), 0);
  assert.ok(carried < 2000, `the refused text never travelled (${carried} characters)`);
  ada.docs.notes.insert(text(ada).length, 'and this');
  await meeting.settle(COALESCE_MS);
  assert.equal(text(bob), 'keep me. and this', 'no gap in our updates at the others');
  assert.equal(bob.docs.doc('notes').store.pendingStructs, null);
});

test('deleted text is garbage-collected: what was typed and removed does not count towards maxBytes', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  for (let i = 0; i < 5; i++) {
    ada.docs.notes.insert(0, 'y'.repeat(ada.docs.maxBytes / 2));
    ada.docs.notes.delete(0, ada.docs.notes.length);
  }
  ada.docs.notes.insert(0, 'what is left');
  await meeting.settle(COALESCE_MS);
  assert.ok(ada.docs.bytes('notes') < 1000, `${ada.docs.bytes('notes')} bytes`);
  assert.equal(text(bob), 'what is left');
});

test('bad remote content is ignored without throwing; clear content is refused where E2EE is required', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  for (const update of ['', '!!', 'AAAA', toBase64url(new Uint8Array([255, 255, 255, 1, 2, 3]))]) {
    assert.doesNotThrow(() => ada.docs.receive({ type: 'doc-update', doc: 'notes', from: 'bob', update }));
    assert.doesNotThrow(() => ada.docs.receive({ type: 'doc-state', doc: 'whiteboard', from: 'bob', state: update }));
    assert.doesNotThrow(() => ada.docs.receive({ type: 'doc-update', doc: 'notes', from: 'bob', sealed: update }));
  }
  await meeting.settle(HOLD_MS);
  bob.docs.notes.insert(0, 'still works');
  await meeting.settle(COALESCE_MS);
  assert.equal(text(ada), 'still works');

  const strict = new Meeting({ encrypted: true, required: true });
  const cy = await strict.add('cy');
  await strict.add('dan');
  await strict.settle();
  const other = new Y.Doc();
  other.getText('notes').insert(0, 'injected');
  cy.docs.receive({ type: 'doc-update', doc: 'notes', from: 'dan', update: toBase64url(Y.encodeStateAsUpdate(other)) });
  cy.docs.receive({ type: 'doc-state', doc: 'notes', from: 'dan', state: toBase64url(Y.encodeStateAsUpdate(other)) });
  await strict.settle();
  assert.equal(text(cy), '');
});

test('while our edits go sealed (encrypted, not required), clear edits and states are refused: the server made them', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  await meeting.add('bob');
  await meeting.settle();
  assert.equal(ada.session.sealsChat, true);
  assert.equal(ada.session.state.required, false);
  const forged = new Y.Doc();
  forged.getText('notes').insert(0, 'injected');
  const update = toBase64url(Y.encodeStateAsUpdate(forged));
  ada.docs.receive({ type: 'doc-update', doc: 'notes', from: 'bob', update });
  ada.docs.receive({ type: 'doc-state', doc: 'notes', from: 'bob', state: update });
  await meeting.settle();
  assert.equal(text(ada), '');
});

test('the last edits of someone who leaves right after them still open (presence is settled on arrival)', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  ada.docs.notes.insert(0, 'my last words');
  meeting.clock.advance(COALESCE_MS);
  await ada.session.idle();
  await new Promise((resolve) => setTimeout(resolve, 5));
  const update = ada.outbox.splice(0).find((m) => m.type === 'doc-update');
  assert.ok(update?.type === 'doc-update' && update.sealed !== undefined);
  // The update arrives, then ada's leave, before bob's key schedule got to the update.
  bob.docs.receive({ ...update, from: 'ada' });
  meeting.leave(ada);
  await meeting.settle(HOLD_MS);
  assert.equal(text(bob), 'my last words');
});

test('structs waiting for clocks nobody has make us ask each sender once for those clocks, not every 2 s', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  // An update that builds on clocks 0–4 of a client nobody has: they never come.
  const ghost = new Y.Doc();
  ghost.clientID = 4242;
  ghost.getText('notes').insert(0, 'hello');
  const before = Y.encodeStateVector(ghost);
  ghost.getText('notes').insert(5, ' world');
  bob.log.length = 0;
  bob.docs.receive({ type: 'doc-update', doc: 'notes', from: 'ada', update: toBase64url(Y.encodeStateAsUpdate(ghost, before)) });
  await meeting.settle(HOLD_MS);
  assert.notEqual(bob.docs.doc('notes').store.pendingStructs, null);
  const asks = () => sent(bob, 'doc-sync-request').filter((m) => m.type === 'doc-sync-request' && m.doc === 'notes' && m.to === 'ada').length;
  const first = asks();
  assert.equal(first, 1, 'asked ada once');
  // Ada types on; every update of hers restarts the check, the missing clocks stay the same.
  for (let i = 0; i < 5; i++) {
    ada.docs.notes.insert(0, `${i}`);
    await meeting.settle(COALESCE_MS);
    await meeting.settle(HOLD_MS);
  }
  assert.equal(asks(), first, 'not asked again for the same missing clocks');
  assert.ok(text(bob).includes('43210'), 'her edits still arrive');
});

test('a document that held sealed content is never sent whole in clear after the meeting falls back to clear', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  ada.docs.notes.insert(0, 'written under encryption');
  await meeting.settle(COALESCE_MS);
  assert.equal(text(bob), 'written under encryption');
  // Someone without end-to-end encryption joins: the meeting is in clear from now on.
  const eve = await meeting.add('eve', false, false);
  const unanswered: DocName[] = [];
  eve.docs.events.on('unanswered', ({ doc }) => unanswered.push(doc));
  meeting.join(eve);
  await meeting.settle();
  assert.equal(ada.session.sealsChat, false);
  for (let i = 0; i < 2; i++) {
    meeting.clock.advance(SYNC_TIMEOUT_MS);
    await meeting.settle();
  }
  const states = [ada, bob].flatMap((n) => sent(n, 'doc-state')).filter((m) => m.type === 'doc-state' && m.doc === 'notes' && m.to === 'eve');
  assert.deepEqual(states, [], 'neither the writer nor a reader sent it in clear');
  assert.equal(text(eve), '');
  assert.equal(eve.docs.sync('notes'), 'syncing');
  assert.deepEqual(unanswered, ['notes']);
  // The whiteboard never held sealed content: it goes in clear.
  assert.equal(eve.docs.sync('whiteboard'), 'synced');
  // New edits do go in clear now, as everything else in the meeting.
  ada.docs.strokes.push([{ id: 'clear' }]);
  await meeting.settle(COALESCE_MS);
  assert.deepEqual(eve.docs.strokes.toJSON(), [{ id: 'clear' }]);
});

test('mutated and random updates and states never throw, and real edits still arrive after them', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  const bob = await meeting.add('bob');
  await meeting.settle();
  bob.docs.notes.insert(0, 'base');
  bob.docs.strokes.push([{ id: 'x', points: [1, 2] }]);
  await meeting.settle(COALESCE_MS);
  const good = [Y.encodeStateAsUpdate(bob.docs.doc('notes')), Y.encodeStateAsUpdate(bob.docs.doc('whiteboard'))];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 400; i++) {
    const doc: DocName = i % 2 === 0 ? 'notes' : 'whiteboard';
    let bytes: Uint8Array;
    if (i % 4 < 2) {
      bytes = good[i % 2]!.slice();
      for (let k = 0; k <= i % 3; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    } else {
      bytes = Uint8Array.from({ length: Math.floor(random() * 48) }, () => Math.floor(random() * 256));
    }
    const encoded = toBase64url(bytes);
    assert.doesNotThrow(() => ada.docs.receive({ type: 'doc-update', doc, from: 'bob', update: encoded }));
    assert.doesNotThrow(() => ada.docs.receive({ type: 'doc-state', doc, from: 'bob', state: encoded }));
  }
  await meeting.settle(HOLD_MS);
  bob.docs.notes.insert(bob.docs.notes.length, ' and more');
  await meeting.settle(COALESCE_MS);
  assert.ok(text(ada).includes('base and more'), text(ada));
  assert.doesNotThrow(() => ada.docs.strokes.toJSON());
});

test('while encrypted, a document is never sent in clear: someone we hold no identity of gets no answer', async () => {
  const meeting = new Meeting({ encrypted: true });
  const ada = await meeting.add('ada');
  await meeting.add('bob');
  await meeting.settle();
  ada.docs.notes.insert(0, 'secret');
  await meeting.settle(COALESCE_MS);
  const answers = sent(ada, 'doc-state').length;
  ada.docs.receive({ type: 'doc-sync-request', doc: 'notes', from: 'ghost' });
  await meeting.settle();
  assert.equal(sent(ada, 'doc-state').length, answers);
  assert.ok(sent(ada, 'doc-update').every((m) => m.type === 'doc-update' && m.sealed !== undefined && m.update === undefined));
});

test('exportNotes gives the Markdown text ending in a newline', async () => {
  const meeting = new Meeting();
  const ada = await meeting.add('ada');
  assert.equal(ada.docs.exportNotes(), '');
  ada.docs.notes.insert(0, '# Notes\n\n- one');
  assert.equal(ada.docs.exportNotes(), '# Notes\n\n- one\n');
});
