import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fromBase64url } from './base64url.js';
import { IdentityKeyPair } from './identity.js';
import { fingerprint, FINGERPRINT_ROUNDS, safetyCode } from './safety-code.js';

test('the same code for (A, B) and (B, A), in eight groups of five digits', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const code = await safetyCode(alice.publicKey, bob.publicKey);
  assert.match(code, /^\d{5}( \d{5}){7}$/);
  assert.equal(await safetyCode(bob.publicKey, alice.publicKey), code);
});

test('other pairs get other codes', async () => {
  const pairs = await Promise.all(Array.from({ length: 6 }, () => IdentityKeyPair.generate()));
  const codes = new Set<string>();
  for (let i = 0; i < pairs.length; i++) {
    for (let j = i + 1; j < pairs.length; j++) codes.add(await safetyCode((pairs[i] as IdentityKeyPair).publicKey, (pairs[j] as IdentityKeyPair).publicKey));
  }
  assert.equal(codes.size, 15);
});

test('a fingerprint is the documented iterated SHA-512 of one key; the code is both, the smaller first', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const expected = (publicKey: string): string => {
    const key = fromBase64url(publicKey);
    let hash = createHash('sha512').update('Treff E2EE fingerprint v1').update(key).digest();
    for (let i = 1; i < FINGERPRINT_ROUNDS; i++) hash = createHash('sha512').update(hash).update(key).digest();
    return [0, 1, 2, 3].map((g) => String(hash.readUIntBE(g * 5, 5) % 100000).padStart(5, '0')).join(' ');
  };
  assert.equal(FINGERPRINT_ROUNDS, 1024);
  assert.equal(await fingerprint(alice.publicKey), expected(alice.publicKey));
  const both = [expected(alice.publicKey), expected(bob.publicKey)].sort();
  assert.equal(await safetyCode(alice.publicKey, bob.publicKey), `${both[0]} ${both[1]}`);
});

test('each half of the code depends on one key only, so a man in the middle cannot meet in a birthday search', async () => {
  // Review finding 2: one hash over both keys let a MITM choose M_A, M_B with code(A, M_B) = code(M_A, B)
  // in ~2^33 tries. Now the code of (A, M_B) carries A's own fingerprint, which no choice of M_B changes,
  // and matching B's half means a second preimage of B's fingerprint.
  const [alice, bob, mallory1, mallory2] = await Promise.all(Array.from({ length: 4 }, () => IdentityKeyPair.generate()));
  const aliceFp = await fingerprint(alice!.publicKey);
  const bobFp = await fingerprint(bob!.publicKey);
  const aliceSees = await safetyCode(alice!.publicKey, mallory2!.publicKey);
  const bobSees = await safetyCode(mallory1!.publicKey, bob!.publicKey);
  assert.ok(aliceSees.includes(aliceFp) && !aliceSees.includes(bobFp));
  assert.ok(bobSees.includes(bobFp) && !bobSees.includes(aliceFp));
  assert.notEqual(aliceSees, bobSees);
  assert.ok((await safetyCode(alice!.publicKey, bob!.publicKey)).includes(aliceFp));
});

test('malformed keys are a clear error', async () => {
  const alice = await IdentityKeyPair.generate();
  await assert.rejects(safetyCode(alice.publicKey, 'nope'), { name: 'TypeError', message: /malformed E2EE public key/ });
  await assert.rejects(safetyCode('', alice.publicKey), TypeError);
});
