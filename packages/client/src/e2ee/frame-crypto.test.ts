import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameCrypto, HOLD_FRAMES, HOLD_MS } from './frame-crypto.js';
import { KeyRing } from './key-ring.js';
import { newSenderKey, ratchet, rotate, type SenderKey } from './sender-key.js';

const TAG = 0x1234;

/** A sender and a receiver, each with its own FrameCrypto, and a clock the test moves. */
function pair() {
  let now = 1000;
  const sender = new FrameCrypto({ ring: new KeyRing() });
  const receiver = new FrameCrypto({ ring: new KeyRing(), now: () => now });
  const delivered: Uint8Array[] = [];
  const receive = (frame: Uint8Array) => receiver.incoming('audio', frame, (out) => delivered.push(out));
  return { sender, receiver, delivered, receive, advance: (ms: number) => (now += ms) };
}

const opus = (n: number) => Uint8Array.from({ length: 40 }, (_, i) => (i * 7 + n) & 0xff);
/** A VP8 key frame: bit 0 of byte 0 clear, start code 9d 01 2a, then size and picture data. */
const vp8Key = () => Uint8Array.from([0x50, 0x12, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, ...Array.from({ length: 50 }, (_, i) => i)]);

async function encryptingSender(key: SenderKey = newSenderKey()) {
  const ctx = pair();
  await ctx.sender.setOwnKey(TAG, key);
  ctx.sender.setMode('encrypt');
  return { ...ctx, key };
}

test('clear mode passes frames through unchanged both ways', async () => {
  const { sender, receiver, delivered, receive } = pair();
  await sender.setOwnKey(TAG, newSenderKey());
  const frame = opus(1);
  assert.equal(await sender.outgoing('audio', frame), frame);
  await receive(frame);
  assert.deepEqual(delivered, [frame]);
  assert.equal(sender.stats().passedThrough, 1);
  assert.deepEqual(receiver.stats(), { encryptedFrames: 0, decryptedFrames: 0, failedFrames: 0, heldFrames: 0, passedThrough: 1 });
});

test('encrypt mode: the frame changes, keeps the VP8 clear prefix, and decrypts with the sender key', async () => {
  const { sender, receiver, delivered, key } = await encryptingSender();
  const frame = vp8Key();
  const sent = await sender.outgoing('video', frame);
  assert.ok(sent);
  assert.deepEqual(sent.subarray(0, 10), frame.subarray(0, 10), 'the key frame header stays readable for the SFU');
  assert.notDeepEqual(sent.subarray(10, frame.length), frame.subarray(10));
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  await receiver.incoming('video', sent, (out) => delivered.push(out));
  assert.deepEqual(delivered, [frame]);
  assert.equal(sender.stats().encryptedFrames, 1);
  assert.equal(receiver.stats().decryptedFrames, 1);
});

test('encrypt mode never sends in clear: without an own key the frame is dropped', async () => {
  const crypto = new FrameCrypto({ ring: new KeyRing() });
  crypto.setMode('encrypt');
  assert.equal(await crypto.outgoing('audio', opus(1)), null);
  assert.equal(crypto.stats().failedFrames, 1);
});

test('frames whose key has not arrived wait and are released in order when it does', async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  receiver.setMode('encrypt');
  const frames = [opus(1), opus(2), opus(3)];
  for (const frame of frames) await receive((await sender.outgoing('audio', frame))!);
  assert.equal(delivered.length, 0);
  assert.equal(receiver.stats().heldFrames, 3);
  await receiver.setKey(TAG, key);
  assert.deepEqual(delivered, frames);
  // A frame after the release goes straight through.
  await receive((await sender.outgoing('audio', opus(4)))!);
  assert.deepEqual(delivered.at(-1), opus(4));
  assert.equal(receiver.stats().decryptedFrames, 4);
});

test('held frames older than the hold time are dropped, younger ones released', async () => {
  const { sender, receiver, delivered, receive, advance, key } = await encryptingSender();
  receiver.setMode('encrypt');
  await receive((await sender.outgoing('audio', opus(1)))!);
  advance(HOLD_MS + 1);
  await receive((await sender.outgoing('audio', opus(2)))!);
  await receiver.setKey(TAG, key);
  assert.deepEqual(delivered, [opus(2)]);
  assert.equal(receiver.stats().failedFrames, 1);
});

test(`at most ${HOLD_FRAMES} frames wait per sender; the oldest make room`, async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  receiver.setMode('encrypt');
  for (let i = 0; i < HOLD_FRAMES + 5; i++) await receive((await sender.outgoing('audio', opus(i)))!);
  await receiver.setKey(TAG, key);
  assert.equal(delivered.length, HOLD_FRAMES);
  assert.deepEqual(delivered[0], opus(5));
  assert.equal(receiver.stats().failedFrames, 5);
});

test('a rotated key: frames of the new epoch wait (the ratcheted guess fails) until the rotated key arrives', async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  await receive((await sender.outgoing('audio', opus(1)))!);
  const rotated = rotate(key);
  await sender.setOwnKey(TAG, rotated);
  await receive((await sender.outgoing('audio', opus(2)))!);
  assert.deepEqual(delivered, [opus(1)]);
  assert.equal(receiver.stats().heldFrames, 1);
  await receiver.setKey(TAG, rotated);
  assert.deepEqual(delivered, [opus(1), opus(2)]);
});

test('encrypt mode drops frames that do not authenticate and clear frames; clear mode passes them', async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  const tampered = (await sender.outgoing('audio', opus(1)))!;
  tampered[tampered.length - 1]! ^= 1;
  await receive(tampered);
  await receive(Uint8Array.of(0xff, 0xff));
  assert.deepEqual(delivered, []);
  assert.equal(receiver.stats().failedFrames, 2);
  receiver.setMode('clear');
  await receive(tampered);
  assert.deepEqual(delivered, [tampered]);
  // In clear mode a frame with a known key still decrypts (a meeting turning encrypted).
  await receive((await sender.outgoing('audio', opus(2)))!);
  assert.deepEqual(delivered.at(-1), opus(2));
});

test('switching to clear mode releases held frames unchanged; forget drops them', async () => {
  const { sender, receiver, delivered, receive } = await encryptingSender();
  receiver.setMode('encrypt');
  const sent = (await sender.outgoing('audio', opus(1)))!;
  await receive(sent);
  receiver.setMode('clear');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(delivered, [sent]);

  const other = await encryptingSender();
  other.receiver.setMode('encrypt');
  await other.receive((await other.sender.outgoing('audio', opus(1)))!);
  other.receiver.forget(TAG);
  await other.receiver.setKey(TAG, other.key);
  assert.deepEqual(other.delivered, []);
  assert.equal(other.receiver.stats().failedFrames, 1);
});

test('a receiver without the key of a later epoch decrypts frames ratcheted ahead of what it has', async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  await sender.setOwnKey(TAG, await ratchet(key));
  await receive((await sender.outgoing('audio', opus(1)))!);
  assert.deepEqual(delivered, [opus(1)]);
});
