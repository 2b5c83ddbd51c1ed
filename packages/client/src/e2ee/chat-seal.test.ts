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
    assert.equal(await openChat(ring, sealed), text);
  }
  const longest = await sealChat(key, TAG, '😀'.repeat(LIMITS.chatText / 2));
  assert.ok(longest.length <= LIMITS.sealedChat, `${longest.length} characters`);
  assert.equal(await openChat(ring, longest), '😀'.repeat(LIMITS.chatText / 2));
  assert.notEqual(await sealChat(key, TAG, 'hello'), await sealChat(key, TAG, 'hello'), 'a fresh iv each time');
});

test('a newcomer cannot open messages of earlier epochs; ratcheted epochs open', async () => {
  const k0 = newSenderKey();
  const k1 = await ratchet(k0);
  const before = await sealChat(k0, TAG, 'before you came');
  const after = await sealChat(k1, TAG, 'welcome');
  const newcomer = await ringWith(TAG, k1);
  assert.equal(await openChat(newcomer, before), null);
  assert.equal(await openChat(newcomer, after), 'welcome');
  const present = await ringWith(TAG, k0);
  assert.equal(await openChat(present, before), 'before you came');
  assert.equal(await openChat(present, after), 'welcome', 'followed by ratchet');
});

test('a removed participant cannot open messages sealed after rotation; those present still read earlier ones', async () => {
  const k0 = newSenderKey();
  const k1 = rotate(k0);
  const removed = await ringWith(TAG, k0);
  const remaining = await ringWith(TAG, k0, k1);
  const earlier = await sealChat(k0, TAG, 'earlier');
  const later = await sealChat(k1, TAG, 'after removal');
  assert.equal(await openChat(removed, later), null);
  assert.equal(await openChat(remaining, later), 'after removal');
  assert.equal(await openChat(remaining, earlier), 'earlier');
});

test('a ring without the sender, or with another key, cannot open', async () => {
  const key = newSenderKey();
  const sealed = await sealChat(key, TAG, 'secret');
  assert.equal(await openChat(new KeyRing(), sealed), null);
  assert.equal(await openChat(await ringWith(TAG, newSenderKey()), sealed), null);
  assert.equal(await openChat(await ringWith(TAG + 1, key), sealed), null);
});

test('tampered or malformed public seals give null', async () => {
  const key = newSenderKey();
  const ring = await ringWith(TAG, key);
  const bytes = fromBase64url(await sealChat(key, TAG, 'hello'));
  for (let i = 0; i < bytes.length; i++) {
    const tampered = bytes.slice();
    tampered[i] = (tampered[i] as number) ^ 0x40;
    assert.equal(await openChat(ring, toBase64url(tampered)), null, `byte ${i}`);
  }
  // Authentic but not UTF-8: sealed by hand with the same chat key.
  const kidBytes = fromBase64url(await sealChat(key, TAG, 'x')).subarray(0, 6);
  const iv = new Uint8Array(12);
  const aad = new Uint8Array([...new TextEncoder().encode('Treff E2EE chat v1'), ...kidBytes]);
  const notUtf8 = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, await deriveChatKey(key.baseKey), new Uint8Array([0xff, 0xfe])));
  assert.equal(await openChat(ring, toBase64url(new Uint8Array([...kidBytes, ...iv, ...notUtf8]))), null, 'not UTF-8');
  for (const bad of ['', 'AAAA', '!!!!', toBase64url(bytes.subarray(0, 33)), `${toBase64url(bytes)}=`]) assert.equal(await openChat(ring, bad), null, bad);
  await assert.rejects(sealChat(newSenderKey(0), 0, 'x'), RangeError, 'KID 0 is the private marker');
  const tagZero = newSenderKey(1);
  assert.equal(await openChat(await ringWith(0, tagZero), await sealChat(tagZero, 0, 'tag 0 at epoch 1')), 'tag 0 at epoch 1');
});

test('private chat round trips between the pair; the wrong recipient cannot open', async () => {
  const [alice, bob, carol] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const sealed = await sealPrivateChat(await alice.pairwise(bob.publicKey), 'just for you ✓');
  assert.equal(isPrivateSeal(sealed), true);
  assert.equal(await openPrivateChat(await bob.pairwise(alice.publicKey), sealed), 'just for you ✓');
  assert.equal(await openPrivateChat(await alice.pairwise(bob.publicKey), sealed), 'just for you ✓', 'the sender reads its own');
  assert.equal(await openPrivateChat(await carol.pairwise(alice.publicKey), sealed), null);
  assert.equal(await openPrivateChat(await carol.pairwise(bob.publicKey), sealed), null);
  assert.equal(await openChat(await ringWith(TAG, newSenderKey()), sealed), null, 'not a public seal');
  const publicSeal = await sealChat(newSenderKey(), TAG, 'hi');
  assert.equal(await openPrivateChat(await bob.pairwise(alice.publicKey), publicSeal), null, 'not a private seal');
  for (const bad of ['', 'AAAAAAAA', '%%%']) {
    assert.equal(isPrivateSeal(bad), false);
    assert.equal(await openPrivateChat(await bob.pairwise(alice.publicKey), bad), null);
  }
});
