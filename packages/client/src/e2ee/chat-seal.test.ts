import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@treff/protocol';
import { fromBase64url, toBase64url } from './base64url.js';
import { isPrivateSeal, openChat, openPrivateChat, sealChat, sealPrivateChat } from './chat-seal.js';
import { IdentityKeyPair } from './identity.js';
import { deriveChatKey, KeyRing } from './key-ring.js';
import { newSenderKey, ratchet, rotate } from './sender-key.js';

const TAG = 0xabcd_0001;

async function ringWith(tag: number, ...keys: Parameters<KeyRing['set']>[1][]): Promise<KeyRing> {
  const ring = new KeyRing();
  for (const key of keys) await ring.set(tag, key);
  return ring;
}

test('public chat round trips for everyone holding the sender key', async () => {
  const key = newSenderKey(3);
  const ring = await ringWith(TAG, key);
  for (const text of ['hello', 'Grüße 👋 — ünïcödé', 'x'.repeat(LIMITS.chatText)]) {
    const sealed = await sealChat(key, TAG, text);
    assert.equal(isPrivateSeal(sealed), false);
    assert.deepEqual(fromBase64url(sealed).subarray(0, 6), new Uint8Array([0xab, 0xcd, 0x00, 0x01, 0x00, 0x03]), 'starts with the KID');
    assert.equal(await openChat(ring, sealed, TAG), text);
  }
  const longest = await sealChat(key, TAG, '😀'.repeat(LIMITS.chatText / 2));
  assert.ok(longest.length <= LIMITS.sealedChat, `${longest.length} characters`);
  assert.equal(await openChat(ring, longest, TAG), '😀'.repeat(LIMITS.chatText / 2));
  assert.notEqual(await sealChat(key, TAG, 'hello'), await sealChat(key, TAG, 'hello'), 'a fresh iv each time');
});

test('a newcomer cannot open messages of earlier epochs; ratcheted epochs open', async () => {
  const k0 = newSenderKey();
  const k1 = await ratchet(k0);
  const before = await sealChat(k0, TAG, 'before you came');
  const after = await sealChat(k1, TAG, 'welcome');
  const newcomer = await ringWith(TAG, k1);
  assert.equal(await openChat(newcomer, before, TAG), null);
  assert.equal(await openChat(newcomer, after, TAG), 'welcome');
  const present = await ringWith(TAG, k0);
  assert.equal(await openChat(present, before, TAG), 'before you came');
  assert.equal(await openChat(present, after, TAG), 'welcome', 'followed by ratchet');
});

test('a removed participant cannot open messages sealed after rotation; those present still read earlier ones', async () => {
  const k0 = newSenderKey();
  const k1 = rotate(k0);
  const removed = await ringWith(TAG, k0);
  const remaining = await ringWith(TAG, k0, k1);
  const earlier = await sealChat(k0, TAG, 'earlier');
  const later = await sealChat(k1, TAG, 'after removal');
  assert.equal(await openChat(removed, later, TAG), null);
  assert.equal(await openChat(remaining, later, TAG), 'after removal');
  assert.equal(await openChat(remaining, earlier, TAG), 'earlier');
});

test('a ring without the sender, or with another key, cannot open', async () => {
  const key = newSenderKey();
  const sealed = await sealChat(key, TAG, 'secret');
  assert.equal(await openChat(new KeyRing(), sealed, TAG), null);
  assert.equal(await openChat(await ringWith(TAG, newSenderKey()), sealed, TAG), null);
  assert.equal(await openChat(await ringWith(TAG + 1, key), sealed, TAG + 1), null);
});

test('tampered or malformed public seals give null', async () => {
  const key = newSenderKey();
  const ring = await ringWith(TAG, key);
  const bytes = fromBase64url(await sealChat(key, TAG, 'hello'));
  for (let i = 0; i < bytes.length; i++) {
    const tampered = bytes.slice();
    tampered[i] = (tampered[i] as number) ^ 0x40;
    assert.equal(await openChat(ring, toBase64url(tampered), TAG), null, `byte ${i}`);
  }
  // Authentic but not UTF-8: sealed by hand with the same chat key.
  const kidBytes = fromBase64url(await sealChat(key, TAG, 'x')).subarray(0, 6);
  const iv = new Uint8Array(12);
  const aad = new Uint8Array([...new TextEncoder().encode('Treff E2EE chat v1'), ...kidBytes]);
  const notUtf8 = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, await deriveChatKey(key.baseKey), new Uint8Array([0xff, 0xfe])));
  assert.equal(await openChat(ring, toBase64url(new Uint8Array([...kidBytes, ...iv, ...notUtf8])), TAG), null, 'not UTF-8');
  for (const bad of ['', 'AAAA', '!!!!', toBase64url(bytes.subarray(0, 33)), `${toBase64url(bytes)}=`]) assert.equal(await openChat(ring, bad, TAG), null, bad);
  await assert.rejects(sealChat(newSenderKey(0), 0, 'x'), RangeError, 'KID 0 is the private marker');
  const tagZero = newSenderKey(1);
  assert.equal(await openChat(await ringWith(0, tagZero), await sealChat(tagZero, 0, 'tag 0 at epoch 1'), 0), 'tag 0 at epoch 1');
});

test('private chat round trips between the pair; the wrong recipient cannot open', async () => {
  const [alice, bob, carol] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const [a, b] = [alice.publicKey, bob.publicKey];
  const sealed = await sealPrivateChat(await alice.pairwise(b), a, b, 'just for you ✓');
  assert.equal(isPrivateSeal(sealed), true);
  assert.equal(await openPrivateChat(await bob.pairwise(a), a, b, sealed), 'just for you ✓');
  assert.equal(await openPrivateChat(await alice.pairwise(b), a, b, sealed), 'just for you ✓', 'the sender reads its own');
  assert.equal(await openPrivateChat(await carol.pairwise(a), a, carol.publicKey, sealed), null);
  assert.equal(await openPrivateChat(await carol.pairwise(b), b, carol.publicKey, sealed), null);
  assert.equal(await openChat(await ringWith(TAG, newSenderKey()), sealed, TAG), null, 'not a public seal');
  const publicSeal = await sealChat(newSenderKey(), TAG, 'hi');
  assert.equal(await openPrivateChat(await bob.pairwise(a), a, b, publicSeal), null, 'not a private seal');
  for (const bad of ['', 'AAAAAAAA', '%%%']) {
    assert.equal(isPrivateSeal(bad), false);
    assert.equal(await openPrivateChat(await bob.pairwise(a), a, b, bad), null);
  }
});

test('a public seal opens only as a message of the key tag it was sealed under (review 3)', async () => {
  // The server says who sent a message; a seal of B's key passed off as C's must not open as C's.
  const bKey = newSenderKey();
  const ring = await ringWith(TAG, bKey);
  await ring.set(TAG + 1, newSenderKey());
  const sealed = await sealChat(bKey, TAG, 'I resign');
  assert.equal(await openChat(ring, sealed, TAG), 'I resign');
  assert.equal(await openChat(ring, sealed, TAG + 1), null);
});

test('a private message opens only in the direction it was sent: reflected back to its sender it does not (review 3)', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const [a, b] = [alice.publicKey, bob.publicKey];
  const sealed = await sealPrivateChat(await alice.pairwise(b), a, b, 'my secret to bob');
  // Alice receives her own message back, as if Bob had sent it to her.
  assert.equal(await openPrivateChat(await alice.pairwise(b), b, a, sealed), null);
  assert.equal(await openPrivateChat(await bob.pairwise(a), b, a, sealed), null);
  assert.equal(await openPrivateChat(await bob.pairwise(a), a, b, sealed), 'my secret to bob');
});

test('a public seal that opens under a ratcheted key moves the ring on, so later ratchets stay in reach', async () => {
  let key = newSenderKey();
  const ring = await ringWith(TAG, key);
  for (let step = 0; step < 3; step++) {
    for (let i = 0; i < 6; i++) key = await ratchet(key);
    assert.equal(await openChat(ring, await sealChat(key, TAG, `step ${step}`), TAG), `step ${step}`);
  }
  assert.equal(ring.newestEpoch(TAG), 18);
});
