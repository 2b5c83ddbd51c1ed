import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kidOf } from './key-id.js';
import { FrameEncryptor, KeyRing, type DecryptResult } from './key-ring.js';
import { newSenderKey, ratchet, rotate, type SenderKey } from './sender-key.js';
import { decodeSFrameHeader } from './sframe.js';

const TAG = 0x1234_5678;
// A VP8 key frame (tag, start code, 640x360) and picture data, and a delta frame.
const KEY_FRAME = new Uint8Array([0x50, 0x2d, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01, ...Array.from({ length: 60 }, (_, i) => i)]);
const DELTA_FRAME = new Uint8Array([0x31, 0x04, 0x00, ...Array.from({ length: 40 }, (_, i) => 255 - i)]);
const OPUS_FRAME = new Uint8Array([0x78, ...Array.from({ length: 30 }, (_, i) => i * 3)]);

async function encryptorWith(key: SenderKey, tag = TAG): Promise<FrameEncryptor> {
  const encryptor = new FrameEncryptor(tag);
  await encryptor.setKey(key);
  return encryptor;
}

async function ringWith(key: SenderKey, tag = TAG): Promise<KeyRing> {
  const ring = new KeyRing();
  await ring.set(tag, key);
  return ring;
}

async function ratchetTimes(key: SenderKey, times: number): Promise<SenderKey> {
  let next = key;
  for (let i = 0; i < times; i++) next = await ratchet(next);
  return next;
}

function assertDecrypted(result: DecryptResult, frame: Uint8Array, epoch: number): void {
  assert.equal(result.ok, true, `expected a decrypted frame, got ${result.ok ? '' : result.reason}`);
  if (result.ok) {
    assert.deepEqual(result.frame, frame);
    assert.equal(result.epoch, epoch);
    assert.equal(result.keyTag, TAG);
  }
}

function assertRefused(result: DecryptResult, reason: string): void {
  assert.equal(result.ok, false, 'expected the frame to be refused');
  if (!result.ok) assert.equal(result.reason, reason);
}

test('frames round trip for audio, VP8 key and delta frames, with the clear prefix in clear', async () => {
  const key = newSenderKey();
  const encryptor = await encryptorWith(key);
  const ring = await ringWith(key);
  assert.equal(encryptor.epoch, 0);
  for (const [kind, frame, clear] of [['video', KEY_FRAME, 10], ['video', DELTA_FRAME, 3], ['audio', OPUS_FRAME, 0]] as const) {
    const wire = await encryptor.encryptFrame(kind, frame);
    assert.deepEqual(wire.subarray(0, clear), frame.subarray(0, clear));
    const header = decodeSFrameHeader(wire, clear);
    assert.equal(header?.kid, kidOf(TAG, 0));
    assert.notDeepEqual(wire.subarray(clear + (header?.length ?? 0), clear + (header?.length ?? 0) + 8), frame.subarray(clear, clear + 8));
    assertDecrypted(await ring.decryptFrame(kind, wire), frame, 0);
  }
});

test('frames shorter than their clear prefix, and empty frames, round trip', async () => {
  const key = newSenderKey();
  const encryptor = await encryptorWith(key);
  const ring = await ringWith(key);
  const frames: Array<['audio' | 'video', Uint8Array]> = [
    ['video', KEY_FRAME.subarray(0, 5)],
    ['video', KEY_FRAME.subarray(0, 10)],
    ['video', DELTA_FRAME.subarray(0, 2)],
    ['video', DELTA_FRAME.subarray(0, 3)],
    ['video', new Uint8Array(0)],
    ['audio', new Uint8Array(0)],
    ['audio', OPUS_FRAME.subarray(0, 1)],
  ];
  for (const [kind, frame] of frames) {
    for (let i = 0; i < 20; i++) assertDecrypted(await ring.decryptFrame(kind, await encryptor.encryptFrame(kind, frame)), frame, 0);
  }
});

test('a receiver follows the sender ratchet on demand to its next epochs', async () => {
  const k0 = newSenderKey();
  const ring = await ringWith(k0);
  const k1 = await ratchet(k0);
  assertDecrypted(await ring.decryptFrame('video', await (await encryptorWith(k1)).encryptFrame('video', KEY_FRAME)), KEY_FRAME, 1);
  assert.equal(ring.newestEpoch(TAG), 1);
  const k4 = await ratchetTimes(k1, 3);
  assertDecrypted(await ring.decryptFrame('audio', await (await encryptorWith(k4)).encryptFrame('audio', OPUS_FRAME)), OPUS_FRAME, 4);
  assert.equal(ring.newestEpoch(TAG), 4);
});

test('the ratchet is one-way: a newcomer given epoch e+1 cannot decrypt frames of epoch e', async () => {
  const k0 = newSenderKey();
  const k1 = await ratchet(k0);
  const newcomer = await ringWith(k1);
  const before = await (await encryptorWith(k0)).encryptFrame('video', KEY_FRAME);
  assertRefused(await newcomer.decryptFrame('video', before), 'unknown-key');
  assertDecrypted(await newcomer.decryptFrame('video', await (await encryptorWith(k1)).encryptFrame('video', KEY_FRAME)), KEY_FRAME, 1);
  assert.equal(await newcomer.chatKey(kidOf(TAG, 0)), null, 'nor read chat of epoch e');
});

test('after a rotation, a ring holding only the old keys (the removed participant) cannot decrypt new frames', async () => {
  const k0 = newSenderKey();
  const removed = await ringWith(k0);
  const remaining = await ringWith(k0);
  const k1 = rotate(k0);
  await remaining.set(TAG, k1);
  const encryptor = await encryptorWith(k1);
  for (const [kind, frame] of [['video', KEY_FRAME], ['video', DELTA_FRAME], ['audio', OPUS_FRAME]] as const) {
    const wire = await encryptor.encryptFrame(kind, frame);
    assertRefused(await removed.decryptFrame(kind, wire), 'unknown-key');
    assertDecrypted(await remaining.decryptFrame(kind, wire), frame, 1);
  }
  assert.equal(removed.newestEpoch(TAG), 0, 'a failed ratchet guess is not taken');
  // Later ratchets of the rotated key stay out of reach too.
  const k2 = await ratchet(k1);
  assertRefused(await removed.decryptFrame('video', await (await encryptorWith(k2)).encryptFrame('video', KEY_FRAME)), 'unknown-key');
  assertDecrypted(await remaining.decryptFrame('video', await (await encryptorWith(k2)).encryptFrame('video', KEY_FRAME)), KEY_FRAME, 2);
});

test('frames of the previous 2 epochs still decrypt; older ones do not', async () => {
  const k0 = newSenderKey();
  const k1 = rotate(k0);
  const k2 = rotate(k1);
  const k3 = rotate(k2);
  const ring = await ringWith(k0);
  await ring.set(TAG, k1);
  await ring.set(TAG, k2);
  const inFlight = await Promise.all([k0, k1, k2].map(async (key) => (await encryptorWith(key)).encryptFrame('video', DELTA_FRAME)));
  for (const [epoch, wire] of inFlight.entries()) assertDecrypted(await ring.decryptFrame('video', wire), DELTA_FRAME, epoch);
  await ring.set(TAG, k3);
  assertRefused(await ring.decryptFrame('video', inFlight[0] as Uint8Array), 'unknown-key');
  assertDecrypted(await ring.decryptFrame('video', inFlight[1] as Uint8Array), DELTA_FRAME, 1);
});

test('a ratchet gap of up to 8 epochs is followed; a gap of 9 is unknown-key', async () => {
  const k0 = newSenderKey();
  const k9 = await ratchetTimes(k0, 9);
  const ring = await ringWith(k0);
  assertRefused(await ring.decryptFrame('video', await (await encryptorWith(k9)).encryptFrame('video', KEY_FRAME)), 'unknown-key');
  assert.equal(ring.newestEpoch(TAG), 0);
  const k8 = await ratchetTimes(k0, 8);
  assertDecrypted(await ring.decryptFrame('video', await (await encryptorWith(k8)).encryptFrame('video', KEY_FRAME)), KEY_FRAME, 8);
  assertDecrypted(await ring.decryptFrame('video', await (await encryptorWith(k9)).encryptFrame('video', KEY_FRAME)), KEY_FRAME, 9);
});

test('a wrong key for the epoch is auth-failed; an unknown sender is unknown-key; garbage is not-sframe', async () => {
  const key = newSenderKey();
  const wire = await (await encryptorWith(key)).encryptFrame('video', KEY_FRAME);
  assertRefused(await (await ringWith(newSenderKey())).decryptFrame('video', wire), 'auth-failed');
  const stranger = await ringWith(key, TAG + 1);
  const unknown = await stranger.decryptFrame('video', wire);
  assertRefused(unknown, 'unknown-key');
  assert.equal(unknown.keyTag, TAG);
  const ring = await ringWith(key);
  const garbage = await ring.decryptFrame('video', KEY_FRAME.subarray(0, 12));
  assertRefused(garbage, 'not-sframe');
  assert.equal(garbage.keyTag, null);
  assertRefused(await ring.decryptFrame('audio', new Uint8Array(0)), 'not-sframe');
});

test('tampering with any byte of an encrypted frame fails', async () => {
  const key = newSenderKey();
  const encryptor = await encryptorWith(key);
  const ring = await ringWith(key);
  for (const [kind, frame] of [['video', KEY_FRAME], ['video', DELTA_FRAME], ['audio', OPUS_FRAME]] as const) {
    const wire = await encryptor.encryptFrame(kind, frame);
    for (let i = 0; i < wire.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const tampered = wire.slice();
        tampered[i] = (tampered[i] as number) ^ flip;
        assert.equal((await ring.decryptFrame(kind, tampered)).ok, false, `${kind} byte ${i} ^ ${flip}`);
      }
    }
    assert.equal((await ring.decryptFrame(kind, wire.subarray(0, wire.length - 1))).ok, false, 'truncated');
    assert.equal((await ring.decryptFrame(kind, new Uint8Array([...wire, 0]))).ok, false, 'extended');
  }
});

test('the frame counter never repeats under one key, also when frames overlap or the key is set again', async () => {
  const key = newSenderKey();
  const encryptor = await encryptorWith(key);
  const counters = async (count: number): Promise<number[]> => {
    const wires = await Promise.all(Array.from({ length: count }, () => encryptor.encryptFrame('audio', OPUS_FRAME)));
    return wires.map((wire) => decodeSFrameHeader(wire, 0)?.ctr ?? -1);
  };
  const first = await counters(300);
  await encryptor.setKey(key);
  const second = await counters(300);
  const all = [...first, ...second];
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.every((ctr) => ctr >= 0));
  await encryptor.setKey(rotate(key));
  assert.ok(((await counters(1))[0] as number) > Math.max(...all), 'a new key does not restart the counter either');
});

test('set ignores older epochs, replaces the same epoch, and forget drops the sender', async () => {
  const k0 = newSenderKey();
  const k1 = rotate(k0);
  const ring = await ringWith(k1);
  await ring.set(TAG, k0);
  assert.equal(ring.newestEpoch(TAG), 1);
  const frame1 = await (await encryptorWith(k1)).encryptFrame('video', KEY_FRAME);
  assertDecrypted(await ring.decryptFrame('video', frame1), KEY_FRAME, 1);
  const replacement = newSenderKey(1);
  await ring.set(TAG, replacement);
  assertRefused(await ring.decryptFrame('video', frame1), 'auth-failed');
  assertDecrypted(await ring.decryptFrame('video', await (await encryptorWith(replacement)).encryptFrame('video', KEY_FRAME)), KEY_FRAME, 1);
  assert.equal(ring.has(TAG), true);
  ring.forget(TAG);
  assert.equal(ring.has(TAG), false);
  assert.equal(ring.newestEpoch(TAG), null);
  assertRefused(await ring.decryptFrame('video', frame1), 'unknown-key');
  await assert.rejects(ring.set(-1, k0), RangeError);
  await assert.rejects(ring.set(TAG, { epoch: 0, baseKey: new Uint8Array(15) }), RangeError);
  assert.throws(() => new FrameEncryptor(2 ** 32), RangeError);
  await assert.rejects(new FrameEncryptor(TAG).encryptFrame('audio', OPUS_FRAME), /no sender key/);
});

test('overlapping frames of new epochs all decrypt and leave the ring at the newest', async () => {
  const k0 = newSenderKey();
  const ring = await ringWith(k0);
  const keys = [await ratchetTimes(k0, 1), await ratchetTimes(k0, 2), await ratchetTimes(k0, 3)];
  const wires = await Promise.all(keys.flatMap((key) => [0, 1, 2].map(async () => (await encryptorWith(key)).encryptFrame('audio', OPUS_FRAME))));
  const results = await Promise.all(wires.map((wire) => ring.decryptFrame('audio', wire)));
  for (const result of results) assert.equal(result.ok, true);
  assert.equal(ring.newestEpoch(TAG), 3);
});

test('chat keys: held, ratcheted ahead, kept for earlier epochs, and none for epochs never held', async () => {
  const k0 = newSenderKey();
  const ring = await ringWith(k0);
  let key = k0;
  for (let i = 0; i < 6; i++) await ring.set(TAG, (key = rotate(key)));
  assert.equal(ring.newestEpoch(TAG), 6);
  assert.notEqual(await ring.chatKey(kidOf(TAG, 0)), null, 'earlier chat stays readable for those who had the key');
  assert.notEqual(await ring.chatKey(kidOf(TAG, 6)), null);
  assert.notEqual(await ring.chatKey(kidOf(TAG, 7)), null, 'ratchet ahead');
  assert.equal(await ring.chatKey(kidOf(TAG, 15)), null, 'too far ahead');
  assert.equal(await ring.chatKey(kidOf(TAG + 1, 0)), null, 'unknown sender');
  assert.equal(await ring.chatKey(-1), null);
});

test('awaitsKey: only frames of unknown senders or of epochs ahead may still get a key', async () => {
  const ring = await ringWith(newSenderKey(5));
  assert.equal(ring.awaitsKey(kidOf(TAG + 1, 0)), true, 'unknown sender');
  assert.equal(ring.awaitsKey(kidOf(TAG, 6)), true, 'next epoch (a rotation may be on its way)');
  assert.equal(ring.awaitsKey(kidOf(TAG, 20)), true, 'beyond the ratchet');
  assert.equal(ring.awaitsKey(kidOf(TAG, 5)), false, 'the epoch we hold');
  assert.equal(ring.awaitsKey(kidOf(TAG, 4)), false, 'an earlier epoch: set never goes back');
  assert.equal(ring.awaitsKey(kidOf(TAG, 0)), false);
  await ring.set(TAG, newSenderKey(65537));
  assert.equal(ring.awaitsKey(kidOf(TAG, 65538)), true, 'across the KID wrap');
  assert.equal(ring.awaitsKey(kidOf(TAG, 65535)), false);
});

test('random and truncated input never crashes the ring and never decrypts', async () => {
  const key = newSenderKey();
  const ring = await ringWith(key);
  const wire = await (await encryptorWith(key)).encryptFrame('video', KEY_FRAME);
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let round = 0; round < 400; round++) {
    const kind = round % 2 === 0 ? 'audio' : 'video';
    const data = Uint8Array.from({ length: random() % 64 }, random);
    assert.equal((await ring.decryptFrame(kind, data)).ok, false);
    assert.equal((await ring.decryptFrame('video', wire.subarray(0, random() % wire.length))).ok, false);
  }
});

test('follow takes a ratchet up to 8 epochs ahead (something authenticated under it), and nothing else', async () => {
  const key = newSenderKey();
  const ring = new KeyRing();
  await ring.set(TAG, key);
  await ring.follow(kidOf(TAG, 9));
  assert.equal(ring.newestEpoch(TAG), 0, 'beyond the ratchet');
  await ring.follow(kidOf(TAG + 1, 1));
  assert.equal(ring.has(TAG + 1), false, 'an unknown sender');
  await ring.follow(kidOf(TAG, 8));
  assert.equal(ring.newestEpoch(TAG), 8);
  let k8 = key;
  for (let i = 0; i < 8; i++) k8 = await ratchet(k8);
  const sender = new FrameEncryptor(TAG);
  await sender.setKey(k8);
  const result = await ring.decryptFrame('audio', await sender.encryptFrame('audio', new Uint8Array(20)));
  assert.ok(result.ok && result.epoch === 8);
  await ring.follow(kidOf(TAG, 3));
  assert.equal(ring.newestEpoch(TAG), 8, 'never back');
});
