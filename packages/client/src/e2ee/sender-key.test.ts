import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hkdfSync } from 'node:crypto';
import { decodeSenderKey, encodeSenderKey, hkdfSha256, newSenderKey, ratchet, rotate } from './sender-key.js';

test('a new key has 16 random bytes and starts at epoch 0 unless told', () => {
  const a = newSenderKey();
  const b = newSenderKey(5);
  assert.equal(a.epoch, 0);
  assert.equal(b.epoch, 5);
  assert.equal(a.baseKey.length, 16);
  assert.notDeepEqual(a.baseKey, b.baseKey);
  assert.throws(() => newSenderKey(-1), RangeError);
  assert.throws(() => newSenderKey(2 ** 32), RangeError);
});

test('ratchet is HKDF-SHA256 of the base key with the ratchet label, one epoch on', async () => {
  const key = { epoch: 41, baseKey: Uint8Array.from({ length: 16 }, (_, i) => i) };
  const next = await ratchet(key);
  const expected = new Uint8Array(hkdfSync('sha256', key.baseKey, new Uint8Array(0), 'Treff E2EE ratchet v1', 16));
  assert.equal(next.epoch, 42);
  assert.deepEqual(next.baseKey, expected);
  assert.deepEqual((await ratchet(key)).baseKey, next.baseKey, 'deterministic: receivers follow the sender');
  assert.notDeepEqual((await ratchet(next)).baseKey, key.baseKey);
  await assert.rejects(ratchet({ epoch: 2 ** 32 - 1, baseKey: key.baseKey }), RangeError);
});

test('rotation gives a fresh key one epoch on, unrelated to the ratchet', async () => {
  const key = newSenderKey(3);
  const rotated = rotate(key);
  assert.equal(rotated.epoch, 4);
  assert.notDeepEqual(rotated.baseKey, key.baseKey);
  assert.notDeepEqual(rotated.baseKey, (await ratchet(key)).baseKey);
});

test('hkdfSha256 matches RFC 5869 expansion with an empty salt', async () => {
  const ikm = new Uint8Array(22).fill(0x0b);
  const info = new TextEncoder().encode('some info');
  assert.deepEqual(await hkdfSha256(ikm, info, 42), new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), info, 42)));
});

test('sender keys encode as epoch (uint32 BE) and base key, and decode back', () => {
  const key = { epoch: 0x01020304, baseKey: new Uint8Array(16).fill(0xaa) };
  const bytes = encodeSenderKey(key);
  assert.deepEqual(bytes.subarray(0, 4), new Uint8Array([1, 2, 3, 4]));
  assert.deepEqual(decodeSenderKey(bytes), key);
  const inLargerBuffer = new Uint8Array(30);
  inLargerBuffer.set(bytes, 3);
  assert.deepEqual(decodeSenderKey(inLargerBuffer.subarray(3, 23)), key);
  assert.equal(decodeSenderKey(bytes.subarray(0, 19)), null);
  assert.equal(decodeSenderKey(new Uint8Array(21)), null);
  assert.throws(() => encodeSenderKey({ epoch: 1, baseKey: new Uint8Array(15) }), RangeError);
});
