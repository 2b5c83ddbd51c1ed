import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@treff/protocol';
import { fromBase64url, toBase64url } from './base64url.js';
import { openChat, openPrivateChat, sealChat, sealPrivateChat } from './chat-seal.js';
import { openDocState, openDocUpdate, sealDocState, sealDocUpdate } from './doc-seal.js';
import { IdentityKeyPair } from './identity.js';
import { KeyRing } from './key-ring.js';
import { newSenderKey, ratchet, rotate } from './sender-key.js';

const TAG = 0x1234_0007;
const bytes = (...values: number[]) => new Uint8Array(values);

async function ringWith(tag: number, key: Parameters<KeyRing['set']>[1]): Promise<KeyRing> {
  const ring = new KeyRing();
  await ring.set(tag, key);
  return ring;
}

test('a doc update opens for everyone holding the sender key, under the same document only', async () => {
  const key = newSenderKey(2);
  const ring = await ringWith(TAG, key);
  const update = bytes(1, 2, 3, 250, 0);
  const sealed = await sealDocUpdate(key, TAG, 'notes', update);
  assert.deepEqual(await openDocUpdate(ring, sealed, TAG, 'notes'), update);
  assert.equal(await openDocUpdate(ring, sealed, TAG, 'whiteboard'), null, 'an edit of the notes is no edit of the whiteboard');
  assert.equal(await openDocUpdate(ring, sealed, TAG + 1, 'notes'), null, 'not as someone else’s');
  assert.equal(await openDocUpdate(await ringWith(TAG, rotate(key)), sealed, TAG, 'notes'), null, 'not with another key');
  assert.notEqual(await sealDocUpdate(key, TAG, 'notes', update), sealed, 'a fresh iv each time');
});

test('a doc update and a chat message never open as one another', async () => {
  const key = newSenderKey();
  const ring = await ringWith(TAG, key);
  const text = 'ship it';
  const chat = await sealChat(key, TAG, text);
  assert.equal(await openDocUpdate(ring, chat, TAG, 'notes'), null);
  const update = await sealDocUpdate(key, TAG, 'notes', new TextEncoder().encode(text));
  assert.equal(await openChat(ring, update, TAG), null);
});

test('a doc update sealed under a ratcheted key opens and moves the ring on', async () => {
  const k0 = newSenderKey();
  const ring = await ringWith(TAG, k0);
  const k2 = await ratchet(await ratchet(k0));
  assert.deepEqual(await openDocUpdate(ring, await sealDocUpdate(k2, TAG, 'whiteboard', bytes(9)), TAG, 'whiteboard'), bytes(9));
  assert.equal(ring.newestEpoch(TAG), 2);
});

test('the largest doc update that fits a message still does once sealed', async () => {
  const key = newSenderKey();
  const plainMax = Math.floor((LIMITS.docUpdate * 3) / 4) - 34;
  const sealed = await sealDocUpdate(key, TAG, 'notes', new Uint8Array(plainMax));
  assert.ok(sealed.length <= LIMITS.docUpdate, `${sealed.length} characters`);
});

test('malformed sealed updates open as null, never throw', async () => {
  const key = newSenderKey();
  const ring = await ringWith(TAG, key);
  const good = fromBase64url(await sealDocUpdate(key, TAG, 'notes', bytes(1)));
  const flipped = good.slice();
  flipped[flipped.length - 1]! ^= 1;
  for (const bad of ['', 'AAAA', '!!!!', `${toBase64url(good)}=`, toBase64url(good.subarray(0, 20)), toBase64url(flipped)]) {
    assert.equal(await openDocUpdate(ring, bad, TAG, 'notes'), null, bad);
  }
  await assert.rejects(sealDocUpdate(newSenderKey(0), 0, 'notes', bytes(1)), RangeError, 'KID 0 is reserved');
});

test('a doc state opens only for its recipient, from its sender, as its document', async () => {
  const [alice, bob, carol] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const [a, b, c] = [alice.publicKey, bob.publicKey, carol.publicKey];
  const state = bytes(0, 1, 2, 3, 4, 5);
  const sealed = await sealDocState(await alice.pairwise(b), a, b, 'notes', state);
  assert.deepEqual(await openDocState(await bob.pairwise(a), a, b, 'notes', sealed), state);
  assert.equal(await openDocState(await bob.pairwise(a), a, b, 'whiteboard', sealed), null, 'bound to the document');
  assert.equal(await openDocState(await bob.pairwise(a), b, a, 'notes', sealed), null, 'reflected back it does not open');
  assert.equal(await openDocState(await carol.pairwise(a), a, c, 'notes', sealed), null, 'not for anyone else');
  for (const bad of ['', '%%%', 'AAAAAAAA']) assert.equal(await openDocState(await bob.pairwise(a), a, b, 'notes', bad), null, bad);
});

test('a doc state and a private chat message never open as one another', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const [a, b] = [alice.publicKey, bob.publicKey];
  const pairwise = await alice.pairwise(b);
  const chat = await sealPrivateChat(pairwise, a, b, 'hi');
  assert.equal(await openDocState(await bob.pairwise(a), a, b, 'notes', chat), null);
  // A private chat seal is KID 0 || pairwise seal: prefix a state the same way and it still does not open.
  const state = fromBase64url(await sealDocState(pairwise, a, b, 'notes', new TextEncoder().encode('hi')));
  assert.equal(await openPrivateChat(await bob.pairwise(a), a, b, toBase64url(new Uint8Array([0, 0, 0, 0, 0, 0, ...state]))), null);
});
