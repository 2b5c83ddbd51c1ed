import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fromBase64url } from './base64url.js';
import { IdentityKeyPair } from './identity.js';
import { safetyCode } from './safety-code.js';

test('the same code for (A, B) and (B, A), in four groups of five digits', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const code = await safetyCode(alice.publicKey, bob.publicKey);
  assert.match(code, /^\d{5} \d{5} \d{5} \d{5}$/);
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

test('the code is the documented mapping of SHA-256 over the label and the sorted keys', async () => {
  const [alice, bob] = await Promise.all([IdentityKeyPair.generate(), IdentityKeyPair.generate()]);
  const keys = [fromBase64url(alice.publicKey), fromBase64url(bob.publicKey)].sort((x, y) => Buffer.compare(x, y));
  const digest = createHash('sha256').update('Treff E2EE safety v1').update(keys[0] as Uint8Array).update(keys[1] as Uint8Array).digest();
  const bits = BigInt(`0x${digest.subarray(0, 10).toString('hex')}`);
  const groups = [3, 2, 1, 0].map((i) => String(Number((bits >> BigInt(i * 20)) & 0xfffffn) % 100000).padStart(5, '0'));
  assert.equal(await safetyCode(alice.publicKey, bob.publicKey), groups.join(' '));
});

test('malformed keys are a clear error', async () => {
  const alice = await IdentityKeyPair.generate();
  await assert.rejects(safetyCode(alice.publicKey, 'nope'), { name: 'TypeError', message: /malformed E2EE public key/ });
  await assert.rejects(safetyCode('', alice.publicKey), TypeError);
});
