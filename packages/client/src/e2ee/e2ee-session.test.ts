import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatMessage, ClientMessage, ParticipantInfo } from '@treff/protocol';
import { LocalFrames } from '../testing/local-frames.js';
import { E2eeSession } from './e2ee-session.js';

interface Member {
  id: string;
  session: E2eeSession;
  frames: LocalFrames | null;
  info: ParticipantInfo;
  /** A dropped socket: what the server sends meanwhile is lost. */
  offline: boolean;
}

/**
 * Stands in for the server's part in E2EE: participant lists and join/leave announcements in the
 * server's order, and relaying `e2ee-keys` / `e2ee-key-request` to recipients present (others are skipped).
 */
class Relay {
  readonly members = new Map<string, Member>();
  readonly sent: { from: string; message: ClientMessage }[] = [];
  requireE2ee = false;

  async join(id: string, options: { e2ee?: boolean; supported?: boolean } = {}): Promise<Member> {
    const frames = options.supported === false ? null : new LocalFrames();
    const session = new E2eeSession({ frames, enabled: options.e2ee !== false, send: (message) => this.#relay(id, message) });
    const identity = await session.identity();
    const info: ParticipantInfo = { id, name: id, role: 'guest', media: { audio: true, video: true }, joinedAt: 1, e2ee: identity };
    const member: Member = { id, session, frames, info, offline: false };
    const others = [...this.members.values()];
    this.members.set(id, member);
    for (const other of others) if (!other.offline) other.session.participant(info);
    session.joined(info, others.map((o) => o.info), this.requireE2ee, false);
    await this.settle();
    return member;
  }

  async leave(id: string): Promise<void> {
    this.members.delete(id);
    for (const other of this.members.values()) if (!other.offline) other.session.left(id);
    await this.settle();
  }

  /** The member's socket comes back: the server answers its resume with everyone present now. */
  async resume(id: string): Promise<void> {
    const member = this.members.get(id)!;
    member.offline = false;
    member.session.joined(member.info, [...this.members.values()].filter((m) => m.id !== id).map((m) => m.info), this.requireE2ee, true);
    await this.settle();
  }

  /** Lets every session and frame transform finish what it was handed, until nothing moves any more. */
  async settle(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const before = this.sent.length;
      for (const m of this.members.values()) {
        await m.session.idle();
        await m.frames?.idle();
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (this.sent.length === before) return;
    }
  }

  #relay(from: string, message: ClientMessage): boolean {
    this.sent.push({ from, message });
    if (message.type === 'e2ee-keys') {
      for (const { to, sealed } of message.keys) {
        const recipient = this.members.get(to);
        if (recipient && !recipient.offline) recipient.session.keyReceived(from, sealed);
      }
    } else if (message.type === 'e2ee-key-request') {
      for (const to of message.from) {
        const recipient = this.members.get(to);
        if (recipient && !recipient.offline) recipient.session.keyRequested(from);
      }
    }
    return true;
  }
}

const frame = (n: number) => Uint8Array.from({ length: 48 }, (_, i) => (i * 13 + n) & 0xff);

/** Whether `to` decrypts a frame `from` sends now. */
async function decodes(from: Member, to: Member, n = 1): Promise<boolean> {
  const sent = await from.frames!.send(frame(n));
  assert.ok(sent, `${from.id} sends`);
  assert.notDeepEqual(sent, frame(n), `${from.id} encrypts`);
  const out = await to.frames!.receive(sent);
  return out !== null && Buffer.from(out).equals(Buffer.from(frame(n)));
}

test('three join one after another: all encrypted, everyone decodes everyone, and each join ratcheted the present', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const c = await relay.join('c');
  for (const m of [a, b, c]) assert.equal(m.session.state.status, 'encrypted');
  assert.deepEqual([a, b, c].map((m) => m.session.state.epoch), [2, 1, 0]);
  for (const [x, y] of [[a, b], [a, c], [b, a], [b, c], [c, a], [c, b]] as const) assert.ok(await decodes(x, y), `${y.id} decodes ${x.id}`);
});

test('a newcomer cannot decrypt frames sent before it joined', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const early = (await a.frames!.send(frame(7)))!;
  assert.ok(await b.frames!.receive(early));
  const c = await relay.join('c');
  assert.equal(await c.frames!.receive(early), null);
  assert.ok(await decodes(a, c), 'but what is sent after it joined');
});

test('on leave every remaining epoch changes and the departed cannot decrypt what is sent after', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const c = await relay.join('c');
  const d = await relay.join('d');
  const before = [a, b, c].map((m) => m.session.state.epoch);
  const mark = relay.sent.length;
  await relay.leave('d');
  const after = [a, b, c].map((m) => m.session.state.epoch);
  after.forEach((epoch, i) => assert.equal(epoch, before[i]! + 1, 'rotated'));
  for (const [x, y] of [[a, b], [b, c], [c, a]] as const) assert.ok(await decodes(x, y), `${y.id} decodes ${x.id} after the leave`);
  for (const x of [a, b, c]) {
    const sent = (await x.frames!.send(frame(9)))!;
    assert.equal(await d.frames!.receive(sent), null, `d cannot decrypt ${x.id}`);
    assert.equal((await d.frames!.ring.decryptFrame('audio', sent)).ok, false);
  }
  // Each remaining member sent its new key to the two others in one message, and nobody to d.
  const rekeys = relay.sent.slice(mark).map((s) => s.message).filter((m) => m.type === 'e2ee-keys');
  assert.equal(rekeys.length, 3);
  for (const m of rekeys) assert.deepEqual(m.keys.map((k) => k.to).sort().length, 2);
  assert.ok(rekeys.every((m) => m.keys.every((k) => k.to !== 'd')));
});

test('resume: a member who missed a join asks for keys, re-keys, and decodes again both ways', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  b.offline = true;
  const c = await relay.join('c');
  assert.equal(await c.frames!.receive((await b.frames!.send(frame(1)))!), null, 'c never got b’s key');
  await relay.resume('b');
  assert.ok(relay.sent.some((s) => s.from === 'b' && s.message.type === 'e2ee-key-request'));
  assert.ok(await decodes(b, c));
  assert.ok(await decodes(c, b));
  assert.ok(await decodes(a, b));
  assert.equal(b.session.state.epoch, 1, 'b ratcheted for the newcomer it missed');
});

test('resume after someone left meanwhile rotates', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const c = await relay.join('c');
  b.offline = true;
  await relay.leave('c');
  const epoch = b.session.state.epoch;
  await relay.resume('b');
  assert.equal(b.session.state.epoch, epoch + 1);
  const sent = (await b.frames!.send(frame(3)))!;
  assert.equal(await c.frames!.receive(sent), null);
  assert.ok(await a.frames!.receive(sent));
});

test('keys from someone not present, that do not open, or of an older epoch are ignored', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  // Eve seals a key for a properly, but is not in the room.
  const eveKeys: string[] = [];
  const eve = new E2eeSession({ frames: new LocalFrames(), enabled: true, send: (m) => (m.type === 'e2ee-keys' && eveKeys.push(m.keys[0]!.sealed), true) });
  const eveIdentity = (await eve.identity())!;
  eve.joined({ ...b.info, id: 'eve', e2ee: eveIdentity }, [a.info], false, false);
  await eve.idle();
  assert.equal(eveKeys.length, 1);
  a.session.keyReceived('eve', eveKeys[0]!);
  a.session.keyReceived('b', eveKeys[0]!); // sealed with eve's pairwise key: does not open as b's
  a.session.keyReceived('b', 'AAAA');
  await relay.settle();
  assert.equal(a.frames!.ring.has(eveIdentity.keyTag), false);
  assert.ok(await decodes(b, a), 'b’s real key still works');
  // An old key of b, replayed after b rotated, does not roll a back.
  const oldKey = relay.sent.find((s) => s.from === 'b' && s.message.type === 'e2ee-keys')!.message as Extract<ClientMessage, { type: 'e2ee-keys' }>;
  await relay.join('c');
  await relay.leave('c');
  const newest = a.frames!.ring.newestEpoch(b.info.e2ee!.keyTag);
  a.session.keyReceived('b', oldKey.keys[0]!.sealed);
  await relay.settle();
  assert.equal(a.frames!.ring.newestEpoch(b.info.e2ee!.keyTag), newest);
  assert.ok(await decodes(b, a));
});

test('someone who cannot encrypt keeps the meeting in clear and is named a blocker; requireE2ee never sends clear', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b', { supported: false });
  assert.deepEqual(a.session.state, { supported: true, status: 'not-encrypted', blockers: ['b'], epoch: 0, required: false, identityChanged: [] });
  assert.deepEqual(b.session.state.blockers, ['b']);
  assert.equal(b.session.state.supported, false);
  const plain = frame(1);
  assert.equal(await a.frames!.send(plain), plain, 'in clear for b');
  await relay.leave('b');
  assert.equal(a.session.state.status, 'encrypted');

  const strict = new Relay();
  strict.requireE2ee = true;
  const x = await strict.join('x');
  await strict.join('y', { e2ee: false });
  assert.equal(x.session.state.status, 'not-encrypted');
  assert.equal(x.session.state.required, true);
  const sent = await x.frames!.send(plain);
  assert.ok(sent && !Buffer.from(sent).equals(Buffer.from(plain)), 'still encrypted');
  assert.equal(x.session.sealsChat, true);
});

test('chat: public messages seal with the sender key, private ones pairwise; a newcomer cannot read the history', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const msg = (id: string, from: Member, body: { text: string } | { sealed: string }, to: string | null = null): ChatMessage => ({ id, from: from.id, fromName: from.id, to, at: 1, ...body });
  const pub = await a.session.sealChat('hello all', undefined);
  assert.ok('sealed' in pub);
  assert.equal(pub.sealed.includes('hello'), false);
  const priv = await a.session.sealChat('just you', 'b');
  assert.ok('sealed' in priv);
  assert.deepEqual(await b.session.openChat(msg('1', a, pub)), { id: '1', from: 'a', fromName: 'a', to: null, at: 1, text: 'hello all', encrypted: true });
  assert.equal((await b.session.openChat(msg('2', a, priv, 'b'))).text, 'just you');
  assert.equal((await a.session.openChat(msg('1', a, pub))).text, 'hello all', 'our own echo');
  assert.equal((await a.session.openChat(msg('2', a, priv, 'b'))).text, 'just you', 'our own private echo');
  const c = await relay.join('c');
  assert.deepEqual(await c.session.openChat(msg('1', a, pub)), { id: '1', from: 'a', fromName: 'a', to: null, at: 1, text: null, encrypted: true });
  assert.equal((await c.session.openChat(msg('2', a, priv, 'b'))).text, null);
  const later = await a.session.sealChat('welcome c', undefined);
  assert.equal((await c.session.openChat(msg('3', a, later))).text, 'welcome c');
  assert.equal((await b.session.openChat(msg('3', a, later))).text, 'welcome c', 'b ratchets a’s key on demand');
  assert.deepEqual(await c.session.openChat(msg('4', b, { text: 'plain' })), { id: '4', from: 'b', fromName: 'b', to: null, at: 1, text: 'plain', encrypted: false });
});

test('safety codes match on both sides and are null without an identity', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const c = await relay.join('c', { e2ee: false });
  const ab = await a.session.safetyCode('b');
  assert.match(ab ?? '', /^\d{5}( \d{5}){7}$/);
  assert.equal(await b.session.safetyCode('a'), ab);
  assert.notEqual(await a.session.safetyCode('b'), await c.session.safetyCode('a'));
  assert.equal(await a.session.safetyCode('c'), null);
  assert.equal(await c.session.safetyCode('a'), null);
});

const chat = (id: string, from: string, sealed: string, to: string | null = null): ChatMessage => ({ id, from, fromName: from, to, at: 1, sealed });

function keysSent(relay: Relay, mark: number): Extract<ClientMessage, { type: 'e2ee-keys' }>[] {
  return relay.sent.slice(mark).map((s) => s.message).filter((m): m is Extract<ClientMessage, { type: 'e2ee-keys' }> => m.type === 'e2ee-keys');
}

test('an identity swapped for a known participant is not believed: no key for it, the meeting stays encrypted, and it is flagged (review 1)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const rogue = new E2eeSession({ frames: new LocalFrames(), enabled: true, send: () => true });
  const rogueIdentity = (await rogue.identity())!;
  const mark = relay.sent.length;
  const states: string[][] = [];
  a.session.events.on('state', (state) => states.push([...state.identityChanged]));
  a.session.participant({ ...b.info, e2ee: rogueIdentity });
  a.session.joined(a.info, [{ ...b.info, e2ee: rogueIdentity }], false, true);
  await relay.settle();
  for (const keys of keysSent(relay, mark).filter((m) => relay.sent.find((s) => s.message === m)?.from === 'a')) {
    for (const { sealed } of keys.keys) {
      rogue.joined({ ...b.info, e2ee: rogueIdentity }, [a.info], false, false);
      await rogue.idle();
      rogue.keyReceived('a', sealed);
    }
  }
  await rogue.idle();
  assert.deepEqual(a.session.state.identityChanged, ['b']);
  assert.deepEqual(states[0], ['b'], 'an e2ee event says so');
  assert.equal(a.session.state.status, 'encrypted');
  const pub = await a.session.sealChat('only for the meeting', undefined);
  assert.ok('sealed' in pub);
  assert.equal((await rogue.openChat(chat('m', 'a', pub.sealed))).text, null, 'the rogue key never got our sender key');
  assert.equal((await b.session.openChat(chat('m', 'a', pub.sealed))).text, 'only for the meeting', 'the real b still reads');
  // A downgrade to "no e2ee" for a known id is not believed either: nothing goes out in clear.
  a.session.participant({ ...b.info, e2ee: null });
  assert.equal(a.session.state.status, 'encrypted');
  assert.ok(await decodes(a, b));
  assert.equal(await a.session.safetyCode('b'), await b.session.safetyCode('a'), 'the code is of the pinned key');
});

test('a public message opens only as its sender\'s; a private one reflected back to its sender does not open (review 3)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  await relay.join('b');
  await relay.join('c');
  const b = relay.members.get('b')!;
  const pub = await b.session.sealChat('I resign', undefined);
  assert.ok('sealed' in pub);
  assert.equal((await a.session.openChat(chat('m1', 'c', pub.sealed))).text, null, 'b’s seal passed off as c’s');
  assert.equal((await a.session.openChat(chat('m2', 'b', pub.sealed))).text, 'I resign');
  const priv = await a.session.sealChat('my secret to b', 'b');
  assert.ok('sealed' in priv);
  assert.equal((await a.session.openChat(chat('m3', 'b', priv.sealed, 'a'))).text, null, 'reflected as from b');
  assert.equal((await a.session.openChat(chat('m4', 'a', priv.sealed, 'b'))).text, 'my secret to b', 'our own echo');
  assert.equal((await b.session.openChat(chat('m4', 'a', priv.sealed, 'b'))).text, 'my secret to b');
});

test('our own sealed key reflected back as someone else\'s does not install (review 6)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const mark = relay.sent.length;
  a.session.keyRequested('b');
  await relay.settle();
  const [ours] = keysSent(relay, mark);
  assert.ok(ours);
  const before = a.frames!.ring.newestEpoch(b.info.e2ee!.keyTag);
  a.session.keyReceived('b', ours.keys[0]!.sealed);
  await relay.settle();
  assert.equal(a.frames!.ring.newestEpoch(b.info.e2ee!.keyTag), before);
  await relay.join('c');
  assert.ok(await decodes(b, a), 'b’s frames still decrypt after b ratcheted');
  const later = await b.session.sealChat('after', undefined);
  assert.equal((await a.session.openChat(chat('m', 'b', (later as { sealed: string }).sealed))).text, 'after');
});

test('more than 8 joins without a leave: earlier members still read everyone, even those who sent nothing meanwhile (review 8)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  for (let i = 0; i < 12; i++) await relay.join(`c${i}`);
  assert.ok(b.session.state.epoch >= 12);
  const body = await b.session.sealChat('hello', undefined);
  assert.ok('sealed' in body);
  assert.equal((await a.session.openChat(chat('m1', 'b', body.sealed))).text, 'hello');
  assert.ok(await decodes(b, a));
  assert.ok(await decodes(a, b));
  assert.ok(await decodes(relay.members.get('c11')!, a));
});

test('frames of a present participant whose key we lack make us ask them for it, at most once every few seconds (review 8)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  // a lost b's key (as after a worker restart, or keys the server dropped).
  const mark = relay.sent.length;
  a.frames!.forget(b.info.e2ee!.keyTag);
  for (let i = 0; i < 5; i++) await a.frames!.receive((await b.frames!.send(frame(i)))!);
  await relay.settle();
  const requests = relay.sent.slice(mark).filter((s) => s.from === 'a' && s.message.type === 'e2ee-key-request');
  assert.equal(requests.length, 1);
  assert.deepEqual(requests[0]!.message, { type: 'e2ee-key-request', from: ['b'] });
  assert.ok(await decodes(b, a), 'b answered with its key');
});

test('requireE2ee latches for the Room: a later room-updated saying false and a participant without e2ee do not bring clear (review 5)', async () => {
  const relay = new Relay();
  relay.requireE2ee = true;
  const a = await relay.join('a');
  await relay.join('b');
  a.session.requireE2ee(false);
  await relay.join('mallory', { e2ee: false });
  assert.equal(a.session.state.required, true);
  const plain = frame(1);
  const sent = await a.frames!.send(plain);
  assert.ok(sent && !Buffer.from(sent).equals(Buffer.from(plain)));
  assert.equal(a.session.sealsChat, true);
});

test('a resume after someone left while our socket was down rotates: the departed cannot read on (review 11)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const c = await relay.join('c');
  a.offline = true;
  await relay.leave('c');
  const epoch = a.session.state.epoch;
  await relay.resume('a');
  assert.equal(a.session.state.epoch, epoch + 1);
  const sent = (await a.frames!.send(frame(3)))!;
  assert.equal(await c.frames!.receive(sent), null, 'c never got the rotated key');
  assert.ok(await decodes(a, b));
  assert.ok(await decodes(b, a));
});

test('a private message to someone without a pairwise key is refused, never sealed for the group (review 12)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  await relay.join('b');
  await assert.rejects(a.session.sealChat('psst', 'gone'), /cannot encrypt a private message/);
  await relay.leave('b');
  await assert.rejects(a.session.sealChat('psst', 'b'), /cannot encrypt a private message/);
});

test('a later participant announcing a key tag already in use (ours or someone\'s) is ignored; the first holder keeps it (review 10)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const copycat = new E2eeSession({ frames: new LocalFrames(), enabled: true, send: () => true });
  const copy = { publicKey: (await copycat.identity())!.publicKey, keyTag: b.info.e2ee!.keyTag };
  const ofA = { publicKey: copy.publicKey, keyTag: a.info.e2ee!.keyTag };
  a.session.participant({ ...b.info, id: 'v', e2ee: copy });
  a.session.participant({ ...b.info, id: 'w', e2ee: ofA });
  await relay.settle();
  await relay.join('c'); // b ratchets and a follows
  assert.ok(await decodes(b, a), 'b’s key still in use');
  const body = await b.session.sealChat('still me', undefined);
  assert.equal((await a.session.openChat(chat('m', 'b', (body as { sealed: string }).sealed))).text, 'still me');
  assert.equal((await a.session.openChat(chat('m2', 'v', (body as { sealed: string }).sealed))).text, null);
});

test('departed participants are pruned beyond a bound; newcomers in a burst share one ratchet (review 13)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const before = a.session.state.epoch;
  const fakes: ParticipantInfo[] = [];
  for (let i = 0; i < 5; i++) {
    const fake = new E2eeSession({ frames: new LocalFrames(), enabled: true, send: () => true });
    fakes.push({ ...a.info, id: `f${i}`, e2ee: (await fake.identity())! });
  }
  for (const info of fakes) a.session.participant(info);
  await relay.settle();
  assert.equal(a.session.state.epoch, before + 1, 'one ratchet for the burst');
  for (const info of fakes) a.session.left(info.id);
  await relay.settle();
  // Far more come and go than are kept: a swapped key for a long-gone id is not remembered any more,
  // but one for a recently departed id still is.
  for (let i = 0; i < 250; i++) {
    a.session.participant({ ...a.info, id: `g${i}`, e2ee: null });
    a.session.left(`g${i}`);
  }
  await relay.settle();
  a.session.participant({ ...fakes[0]!, e2ee: { ...fakes[0]!.e2ee!, keyTag: 7 } });
  assert.deepEqual(a.session.state.identityChanged, [], 'f0 was pruned');
  a.session.participant({ ...a.info, id: 'g249', e2ee: fakes[1]!.e2ee });
  assert.deepEqual(a.session.state.identityChanged, ['g249'], 'g249 is still pinned (it had none)');
});

test('the session tells the frame transforms whose key each receiving m-line carries, from offers and slot sources (review 4)', async () => {
  const relay = new Relay();
  const a = await relay.join('a');
  const b = await relay.join('b');
  const c = await relay.join('c');
  a.session.slotSources([{ mid: '1', participantId: 'b' }, { mid: '2', participantId: 'c' }]);
  await relay.settle();
  const on = async (from: Member, mid: string, n: number) => a.frames!.receive((await from.frames!.send(frame(n)))!, 'audio', mid);
  assert.ok(await on(b, '1', 1));
  assert.equal(await on(c, '1', 2), null, 'c’s frame in b’s m-line waits for an announcement that does not come');
  assert.ok(await on(c, '2', 3));
  a.session.slotSources([{ mid: '1', participantId: 'c' }]);
  await relay.settle();
  assert.ok(await on(c, '1', 4));
});
