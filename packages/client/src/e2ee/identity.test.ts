import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS } from '@treff/protocol';
import { fromBase64url, toBase64url } from './base64url.js';
import { IdentityKeyPair, isPublicKey, openSenderKey, sealSenderKey } from './identity.js';
import { newSenderKey } from './sender-key.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

test('the public key is a base64url uncompressed P-256 point, 87 characters', async () => {
  const pair = await IdentityKeyPair.generate();
  assert.equal(pair.publicKey.length, 87);
  assert.match(pair.publicKey, /^[A-Za-z0-9_-]+$/);
  const point = fromBase64url(pair.publicKey);
  assert.equal(point.length, 65);
  assert.equal(point[0], 0x04);
  assert.equal(isPublicKey(pair.publicKey), true);
  assert.notEqual((await IdentityKeyPair.generate()).publicKey, pair.publicKey);
});

test('both sides derive the same pairwise key; a third party cannot open', async () => {
  const [alice, bob, carol] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const aliceToBob = await alice.pairwise(bob.publicKey);
  const bobToAlice = await bob.pairwise(alice.publicKey);
  const sealed = await aliceToBob.seal(text('hello'), 'aad');
  assert.deepEqual(await bobToAlice.open(sealed, 'aad'), text('hello'));
  assert.deepEqual(await aliceToBob.open(await bobToAlice.seal(text('back'), 'aad'), 'aad'), text('back'));
  assert.equal(await (await carol.pairwise(alice.publicKey)).open(sealed, 'aad'), null);
  assert.equal(await (await carol.pairwise(bob.publicKey)).open(sealed, 'aad'), null);
  assert.equal(await (await alice.pairwise(carol.publicKey)).open(sealed, 'aad'), null);
  assert.equal(await bobToAlice.open(sealed, 'other aad'), null, 'the aad is authenticated');
  const tampered = sealed.slice();
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
  assert.equal(await bobToAlice.open(tampered, 'aad'), null);
  assert.equal(await bobToAlice.open(sealed.subarray(0, 27), 'aad'), null, 'shorter than iv and tag');
  assert.notDeepEqual(await aliceToBob.seal(text('hello'), 'aad'), sealed, 'a fresh iv each time');
});

test('sealed sender keys round trip between the pair only, and fit the protocol limit', async () => {
  const [alice, bob, carol] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const key = newSenderKey(7);
  const context = { sender: alice.publicKey, recipient: bob.publicKey, keyTag: 42 };
  const sealed = await sealSenderKey(await alice.pairwise(bob.publicKey), key, context);
  assert.equal(sealed.length, 64);
  assert.ok(sealed.length <= LIMITS.sealedKey);
  assert.deepEqual(await openSenderKey(await bob.pairwise(alice.publicKey), sealed, context), key);
  assert.equal(await openSenderKey(await carol.pairwise(alice.publicKey), sealed, { ...context, recipient: carol.publicKey }), null);
  // Sealed for another purpose (private chat) with the same pair: not a sender key.
  const other = toBase64url(await (await alice.pairwise(bob.publicKey)).seal(new Uint8Array(20), 'Treff E2EE private chat v1'));
  assert.equal(await openSenderKey(await bob.pairwise(alice.publicKey), other, context), null);
});

test('a sealed sender key is bound to its sender, recipient and key tag: reflected or re-labelled it does not open (review 6)', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const key = newSenderKey(3);
  const context = { sender: alice.publicKey, recipient: bob.publicKey, keyTag: 42 };
  const sealed = await sealSenderKey(await alice.pairwise(bob.publicKey), key, context);
  // Alice's entry for Bob, handed back to Alice as Bob's key: the pairwise key is the same, the direction is not.
  assert.equal(await openSenderKey(await alice.pairwise(bob.publicKey), sealed, { sender: bob.publicKey, recipient: alice.publicKey, keyTag: 42 }), null);
  assert.equal(await openSenderKey(await bob.pairwise(alice.publicKey), sealed, { ...context, keyTag: 43 }), null, 'another key tag');
  assert.deepEqual(await openSenderKey(await bob.pairwise(alice.publicKey), sealed, context), key);
});

test('malformed sealed keys give null, never a crash', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const pairwise = await bob.pairwise(alice.publicKey);
  const context = { sender: alice.publicKey, recipient: bob.publicKey, keyTag: 1 };
  const sealed = await sealSenderKey(await alice.pairwise(bob.publicKey), newSenderKey(), context);
  const aad = new Uint8Array([...new TextEncoder().encode('Treff E2EE key v2'), ...fromBase64url(alice.publicKey), ...fromBase64url(bob.publicKey), 0, 0, 0, 1]);
  const wrongLength = toBase64url(await (await alice.pairwise(bob.publicKey)).seal(new Uint8Array(19), aad));
  assert.ok(await pairwise.open(fromBase64url(wrongLength), aad), 'sealed with the right AAD, only the length is wrong');
  for (const bad of ['', 'not base64!', 'A', sealed.slice(0, -1), sealed.slice(0, 20), `${sealed}AA`, `${sealed.slice(0, -2)}AA`, wrongLength, '='.repeat(64)]) {
    assert.equal(await openSenderKey(pairwise, bad, context), null, JSON.stringify(bad));
  }
});

test('malformed public keys are refused with a clear error', async () => {
  const pair = await IdentityKeyPair.generate();
  const offCurve = toBase64url(new Uint8Array([0x04, ...new Uint8Array(64)]));
  const compressed = toBase64url(new Uint8Array([0x02, ...new Uint8Array(32).fill(7)]));
  const wrongPrefix = toBase64url(new Uint8Array([0x05, ...fromBase64url(pair.publicKey).subarray(1)]));
  for (const bad of ['', 'x', 'not base64 at all', `${pair.publicKey}A`, pair.publicKey.slice(0, -1), compressed, wrongPrefix]) {
    assert.equal(isPublicKey(bad), false, bad);
    await assert.rejects(pair.pairwise(bad), { name: 'TypeError', message: /malformed E2EE public key/ }, bad);
  }
  assert.equal(isPublicKey(offCurve), true, 'the form is right');
  await assert.rejects(pair.pairwise(offCurve), { name: 'TypeError', message: /not a P-256 point/ });
});
