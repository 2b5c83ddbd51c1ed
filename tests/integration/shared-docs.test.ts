// Shared notes and whiteboard through the real server (docs/shared-docs.md), with the real SDK: `Room`s in
// Node over `ws` sockets, a PeerConnection stand-in (media does not matter here: the server refuses its answer
// as `bad-sdp` and signaling goes on) and, for the sealed path, the frame transforms run in-process. Edits made
// concurrently converge; a late joiner, a resumed participant and one that could not open an update catch
// up; bad input gets the right error and nobody else notices.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { RunningServer } from '@treff/server';
import { createRoom, waitUntil, webSocketUrl } from '@treff/load';
import { LIMITS, MAX_MESSAGE_BYTES, type DocName } from '@treff/protocol';
import { closeWhenDone, startTestServer } from './helpers.js';
import { RawSocket, type Frame } from './host-helpers.js';
import { sdkPerson, type Person as SdkPerson, type SdkRoom } from './sdk-person.js';

interface DocsRoom extends SdkRoom {
  readonly docs: SdkDocs;
  readonly e2ee: { status: 'encrypted' | 'not-encrypted' };
}
interface SdkDocs {
  readonly notes: Y.Text;
  readonly strokes: Y.Array<unknown>;
  doc(name: DocName): Y.Doc;
  sync(name: DocName): 'syncing' | 'synced';
}
type Person = SdkPerson<DocsRoom>;

let server: RunningServer | undefined;
const rooms: { close(): void }[] = [];
const raws: RawSocket[] = [];
closeWhenDone(() => server, rooms, raws);

const person = (roomId: string, name: string, options: { encrypted: boolean; hostSecret?: string }): Promise<Person> =>
  sdkPerson<DocsRoom>(server!, roomId, name, options, rooms);

const notes = (p: Person) => p.room.docs.notes.toString();
const strokes = (p: Person) => JSON.stringify(p.room.docs.strokes.toJSON());

async function converged(people: Person[], what: string): Promise<void> {
  await waitUntil(() => people.every((p) => notes(p) === notes(people[0]!) && strokes(p) === strokes(people[0]!)), {
    timeoutMs: 10_000,
    what,
    describe: () => JSON.stringify(people.map((p) => [p.name, notes(p), strokes(p)])),
  });
}

async function joinRaw(roomId: string, name: string, extra: Record<string, unknown> = {}): Promise<{ socket: RawSocket; id: string }> {
  const socket = await RawSocket.open(server!);
  raws.push(socket);
  socket.join(roomId, { name, ...extra });
  const joined = await socket.next('joined');
  return { socket, id: (joined.self as { id: string }).id };
}

const update = (text: string): string => {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, text);
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64url');
};

for (const encrypted of [false, true]) {
  const path = encrypted ? 'sealed' : 'clear';
  test(`shared documents, ${path}`, async (t) => {
    server ??= await startTestServer();
    const { roomId, hostSecret } = await createRoom(server.url, { title: `docs ${path}`, settings: { requireE2ee: encrypted } });
    const ada = await person(roomId, 'Ada', { encrypted, hostSecret });
    const bob = await person(roomId, 'Bob', { encrypted });
    const cy = await person(roomId, 'Cy', { encrypted });
    const everyone = [ada, bob, cy];
    await waitUntil(() => everyone.every((p) => p.room.docs.sync('notes') === 'synced' && p.room.docs.sync('whiteboard') === 'synced'), { timeoutMs: 10_000, what: 'everyone synced' });
    if (encrypted) await waitUntil(() => everyone.every((p) => p.room.e2ee.status === 'encrypted'), { timeoutMs: 10_000, what: 'the meeting encrypted' });

    await t.test('edits made at the same time by three participants converge', async () => {
      // All in one turn of the event loop: nobody has anyone else's edit when making theirs.
      for (const [i, p] of everyone.entries()) {
        p.room.docs.notes.insert(0, `${p.name} writes. `);
        p.room.docs.strokes.push([{ id: `s${i}` }]);
      }
      await converged(everyone, 'three documents equal');
      for (const p of everyone) assert.ok(notes(ada).includes(`${p.name} writes.`), notes(ada));
      assert.equal(ada.room.docs.strokes.length, 3);
      const updates = bob.sent.filter((f) => f.type === 'doc-update');
      assert.ok(updates.length > 0);
      for (const f of updates) assert.equal(f.sealed !== undefined, encrypted, 'sealed exactly when encrypted');
    });

    await t.test('a late joiner gets the whole document from one of the three longest-present participants', async () => {
      ada.room.docs.notes.insert(notes(ada).length, '\n# Agenda');
      await converged(everyone, 'the agenda everywhere');
      const dan = await person(roomId, 'Dan', { encrypted });
      await waitUntil(() => dan.room.docs.sync('notes') === 'synced' && dan.room.docs.sync('whiteboard') === 'synced', { timeoutMs: 10_000, what: 'Dan synced' });
      assert.equal(notes(dan), notes(ada));
      assert.equal(strokes(dan), strokes(ada));
      // Not always the longest present (it would answer every newcomer): one of the three, at random.
      const firstAsked = dan.sent.filter((f) => f.type === 'doc-sync-request').slice(0, 2);
      assert.deepEqual(firstAsked.map((f) => f.doc).sort(), ['notes', 'whiteboard']);
      const longest = everyone.slice(0, 3).map((p) => p.id);
      for (const f of firstAsked) assert.ok(longest.includes(f.to as string), `asked ${String(f.to)} of ${longest.join(', ')}`);
      everyone.push(dan);
    });

    await t.test('a participant whose socket dropped catches up on resume and sends what it wrote meanwhile', async () => {
      const joins = bob.sent.filter((f) => f.type === 'resume').length;
      const seen = bob.received.length;
      bob.offline = true;
      bob.ws!.terminate();
      const updates = ada.sent.length;
      ada.room.docs.notes.insert(0, 'Said while Bob was away. ');
      bob.room.docs.notes.insert(notes(bob).length, ' Bob offline.');
      await waitUntil(() => ada.sent.slice(updates).some((f) => f.type === 'doc-update'), { timeoutMs: 5000, what: 'Ada’s edit sent' });
      await sleep(200);
      bob.offline = false;
      await waitUntil(() => bob.sent.filter((f) => f.type === 'resume').length > joins, { timeoutMs: 10_000, what: 'Bob resumed' });
      await converged(everyone, 'everyone has both edits');
      assert.ok(notes(bob).includes('Said while Bob was away.') && notes(ada).includes('Bob offline.'), notes(ada));
      const after = bob.received.slice(seen);
      assert.ok(after.some((f) => f.type === 'doc-state' && f.doc === 'notes'), 'the notes came as a whole');
      assert.equal(after.some((f) => f.type === 'doc-update' && f.from === ada.id), false, 'not as Ada’s update');
    });

    await t.test('an update that cannot be opened is recovered with a state request to its sender', { skip: !encrypted }, async () => {
      // From now on Eve gets none of Ada's sender keys: Ada's edits stay sealed to her, her whole document does not.
      const eve = await person(roomId, 'Eve', { encrypted });
      eve.drop = (f) => f.type === 'e2ee-key' && f.from === ada.id;
      await waitUntil(() => eve.room.docs.sync('notes') === 'synced', { timeoutMs: 10_000, what: 'Eve synced' });
      everyone.push(eve);
      // Someone leaving makes everyone rotate: Ada's next key is one Eve cannot work out herself.
      const dan = everyone.find((p) => p.name === 'Dan')!;
      dan.room.leave();
      everyone.splice(everyone.indexOf(dan), 1);
      await waitUntil(() => ada.sent.filter((f) => f.type === 'e2ee-keys').some((f) => (f.keys as { to: string }[]).some((k) => k.to === eve.id)), { timeoutMs: 10_000, what: 'Ada re-keyed' });
      const asked = eve.sent.filter((f) => f.type === 'doc-sync-request').length;
      ada.room.docs.notes.insert(0, 'Only sealed for those with my key. ');
      await converged(everyone, 'Eve caught up');
      const requests = eve.sent.filter((f) => f.type === 'doc-sync-request').slice(asked);
      assert.deepEqual(requests.map((f) => [f.to, f.doc]), [[ada.id, 'notes']], 'Eve asked Ada for the notes');
    });

    await t.test('bad input gets the right error and harms nobody', async () => {
      const raw = await joinRaw(roomId, 'Mallory', encrypted ? { e2ee: { publicKey: 'B'.repeat(86) + 'A', keyTag: 0x5151 } } : {});
      const s = raw.socket;
      await s.expectError({ type: 'doc-update', doc: 'notes', update: 'A'.repeat(LIMITS.docUpdate + 4) }, 'bad-message', false);
      await s.expectError({ type: 'doc-update', doc: 'notes', sealed: 'A'.repeat(MAX_MESSAGE_BYTES + 10) }, 'too-large', false);
      await s.expectError({ type: 'doc-update', doc: 'minutes', update: 'AAAA' } as Record<string, unknown>, 'bad-message', false);
      await s.expectError({ type: 'doc-state', doc: 'notes', to: ada.id, state: update('unasked') }, 'bad-request', false);
      await s.expectError({ type: 'doc-state', doc: 'notes', to: ada.id, sealed: 'AAAA' }, 'bad-request', false);
      await s.expectError({ type: 'doc-sync-request', doc: 'notes', to: 'nobody' }, 'not-found', false);
      await s.expectError({ type: 'doc-sync-request', doc: 'notes', to: raw.id }, 'bad-request', false);
      await s.expectError({ type: 'doc-state', doc: 'notes', to: 'nobody', sealed: 'AAAA' }, 'not-found', false);
      if (encrypted) {
        await s.expectError({ type: 'doc-update', doc: 'notes', update: update('in clear') }, 'bad-request', false);
        // A sealed update that opens for nobody reaches everyone and is ignored.
        s.send({ type: 'doc-update', doc: 'notes', sealed: 'A'.repeat(200) });
      } else {
        // Garbage that is base64url but no Yjs update reaches everyone and is ignored.
        s.send({ type: 'doc-update', doc: 'notes', update: 'A'.repeat(200) });
      }
      // Answers come out of the documents' budget, not the socket's general one (60 in a burst): the longest
      // present answers every newcomer. Unasked ones are refused, but each is still charged.
      const answering = s.frames.length;
      for (let i = 0; i < 80; i++) s.send({ type: 'doc-state', doc: i % 2 === 0 ? 'notes' : 'whiteboard', to: ada.id, sealed: 'AAAA' });
      const answerErrors = () => s.frames.slice(answering).filter((f) => f.type === 'error').map((f) => f.code);
      await waitUntil(() => answerErrors().length >= 80, { timeoutMs: 10_000, what: 'every answer refused' });
      assert.deepEqual([...new Set(answerErrors())], ['bad-request'], 'no answer was rate-limited');
      // Typing: 40 updates a second (both documents, one every 50 ms each) for 4 s is more than the socket's
      // general budget would let through, and never refused.
      const typing = s.frames.length;
      for (let i = 0; i < 160; i++) {
        s.send({ type: 'doc-update', doc: i % 2 === 0 ? 'notes' : 'whiteboard', sealed: 'AAAA' });
        await sleep(25);
      }
      await s.expectError({ type: 'doc-sync-request', doc: 'notes', to: raw.id }, 'bad-request', false);
      assert.deepEqual(s.frames.slice(typing).filter((f) => f.type === 'error').map((f) => f.code), ['bad-request'], 'only the deliberate refusal');
      // A flood past the burst is refused, not disconnected (that comes only after 20 refusals).
      const from = s.frames.length;
      for (let i = 0; i < 110; i++) s.send({ type: 'doc-update', doc: 'whiteboard', sealed: 'AAAA' });
      const limited = await s.next('error', from);
      assert.equal(limited.code, 'rate-limited');
      assert.equal(limited.fatal, false);
      await s.expectError({ type: 'doc-sync-request', doc: 'notes', to: raw.id }, 'bad-request', false);
      assert.equal(s.closed, false);

      ada.room.docs.notes.insert(0, 'Still fine. ');
      await converged(everyone, 'everyone still in step');
      assert.ok(notes(cy).startsWith('Still fine. '));
      for (const p of everyone) assert.deepEqual(p.errors, [], `${p.name} saw no error`);
    });

    await t.test('someone waiting in the lobby cannot touch the documents', async () => {
      const locked = await createRoom(server!.url, { title: 'docs lobby', settings: { lobby: true, requireE2ee: false } });
      const host = await joinRaw(locked.roomId, 'Host', { hostSecret: locked.hostSecret });
      const knocker = await RawSocket.open(server!);
      raws.push(knocker);
      knocker.join(locked.roomId, { name: 'Knock' });
      await knocker.next('lobby-waiting');
      await knocker.expectError({ type: 'doc-update', doc: 'notes', update: 'AAAA' }, 'wrong-state', false);
      await knocker.expectError({ type: 'doc-sync-request', doc: 'notes', to: host.id }, 'wrong-state', false);
      await knocker.expectError({ type: 'doc-state', doc: 'notes', to: host.id, state: 'AAAA' }, 'wrong-state', false);
      assert.equal(host.socket.frames.some((f) => f.type.startsWith('doc-')), false);
    });

    for (const p of everyone) p.room.leave();
  });
}
