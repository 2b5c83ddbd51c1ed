import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameCrypto, HOLD_FRAMES, HOLD_MS, HOLD_TOTAL_BYTES, HOLD_TOTAL_FRAMES, MISSING_KEY_EVERY_MS, REPLAY_WINDOW, TRACK_SWITCH_MS, type FrameKeyEvent } from './frame-crypto.js';
import { kidOf } from './key-id.js';
import { concat, encodeSFrameHeader } from './sframe.js';
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

test('one forged frame with a future epoch does not hold up the genuine frames of its sender (review 7)', async () => {
  const { sender, receiver, delivered, receive, advance, key } = await encryptingSender();
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  await receive((await sender.outgoing('audio', opus(0)))!);
  await receive(concat(encodeSFrameHeader(kidOf(TAG, 3), 5), new Uint8Array(40)));
  for (let i = 1; i <= 300; i++) {
    advance(20);
    await receive((await sender.outgoing('audio', opus(i)))!);
  }
  assert.equal(delivered.length, 301, 'every genuine frame delivered');
  assert.deepEqual(delivered.at(-1), opus(300));
  assert.equal(receiver.held.frames, 0, 'the forged frame expired');
  assert.equal(receiver.stats().failedFrames, 1);
});

test('held frames of a later epoch are released when its key arrives even behind a frame that still waits', async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  const rotated = rotate(key);
  await receive(concat(encodeSFrameHeader(kidOf(TAG, 5), 1), new Uint8Array(40)));
  await sender.setOwnKey(TAG, rotated);
  await receive((await sender.outgoing('audio', opus(1)))!);
  await receive((await sender.outgoing('audio', opus(2)))!);
  assert.equal(receiver.held.frames, 3);
  await receiver.setKey(TAG, rotated);
  assert.deepEqual(delivered, [opus(1), opus(2)]);
  assert.equal(receiver.held.frames, 1, 'the forged epoch-5 frame still waits, until it expires');
});

test('held frames are bounded over all senders and expire on a timer though no frame comes (review 9)', async () => {
  let now = 0;
  const timers: (() => void)[] = [];
  const receiver = new FrameCrypto({ ring: new KeyRing(), now: () => now, schedule: (callback) => timers.push(callback) });
  receiver.setMode('encrypt');
  for (let i = 0; i < 2000; i++) {
    now += 1;
    await receiver.incoming('video', concat(encodeSFrameHeader(kidOf(100_000 + i, 0), 1), new Uint8Array(50_000)), () => undefined);
    assert.ok(receiver.held.frames <= HOLD_TOTAL_FRAMES && receiver.held.bytes <= HOLD_TOTAL_BYTES);
  }
  assert.ok(receiver.held.bytes > 0);
  now += HOLD_MS + 1;
  while (timers.length > 0) timers.shift()!();
  assert.deepEqual(receiver.held, { frames: 0, bytes: 0 });
  assert.equal(receiver.stats().heldFrames, 2000);
  assert.equal(receiver.stats().failedFrames, 2000);
});

test('only key tags of present participants are waited for, and missing keys of present ones are reported at most once a second', async () => {
  const events: FrameKeyEvent[] = [];
  const { sender } = await encryptingSender();
  const watched = new FrameCrypto({ ring: new KeyRing(), now: () => 0, onKeyEvent: (e) => events.push(e) });
  watched.setMode('encrypt');
  watched.setSenders([TAG]);
  let now = 0;
  const timed = new FrameCrypto({ ring: new KeyRing(), now: () => now, onKeyEvent: (e) => events.push(e) });
  timed.setMode('encrypt');
  timed.setSenders([TAG]);
  const stranger = concat(encodeSFrameHeader(kidOf(TAG + 1, 0), 1), new Uint8Array(40));
  await watched.incoming('audio', stranger, () => undefined);
  assert.equal(watched.held.frames, 0, 'nobody present has that tag');
  for (let i = 0; i < 5; i++) {
    now += 100;
    await timed.incoming('audio', (await sender.outgoing('audio', opus(i)))!, () => undefined);
  }
  assert.equal(timed.held.frames, 5);
  assert.deepEqual(events, [{ type: 'missing-key', keyTag: TAG }]);
  now += MISSING_KEY_EVERY_MS;
  await timed.incoming('audio', (await sender.outgoing('audio', opus(9)))!, () => undefined);
  assert.equal(events.length, 2);
  timed.setSenders([]);
  assert.equal(timed.held.frames, 0, 'a sender who left is no longer waited for');
});

test('an authenticated frame that ratchets a sender on is reported', async () => {
  const events: FrameKeyEvent[] = [];
  const key = newSenderKey();
  const sender = new FrameCrypto({ ring: new KeyRing() });
  sender.setMode('encrypt');
  await sender.setOwnKey(TAG, await ratchet(await ratchet(key)));
  const receiver = new FrameCrypto({ ring: new KeyRing(), onKeyEvent: (e) => events.push(e) });
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  await receiver.incoming('audio', (await sender.outgoing('audio', opus(1)))!, () => undefined);
  await receiver.incoming('audio', (await sender.outgoing('audio', opus(2)))!, () => undefined);
  assert.deepEqual(events, [{ type: 'ratcheted', keyTag: TAG, epoch: 2 }]);
});

test('a frame the server sends again, or one far behind the sender\'s counter, is dropped (review 4, replay)', async () => {
  const { sender, receiver, delivered, receive, key } = await encryptingSender();
  await receiver.setKey(TAG, key);
  receiver.setMode('encrypt');
  const first = (await sender.outgoing('audio', opus(1)))!;
  const second = (await sender.outgoing('audio', opus(2)))!;
  await receive(second);
  await receive(first);
  assert.deepEqual(delivered, [opus(2), opus(1)], 'a little out of order is fine');
  await receive(first);
  await receive(second);
  assert.equal(delivered.length, 2, 'the same frames again are not');
  for (let i = 0; i < REPLAY_WINDOW + 1; i++) await sender.outgoing('audio', opus(i));
  const late = (await sender.outgoing('audio', opus(3)))!;
  for (let i = 0; i < REPLAY_WINDOW; i++) await sender.outgoing('audio', opus(i));
  await receive((await sender.outgoing('audio', opus(4)))!);
  await receive(late);
  assert.deepEqual(delivered.at(-1), opus(4), 'a frame more than the window behind is dropped');
  assert.equal(receiver.stats().failedFrames, 3);
});

test('frames are bound to their track: another sender\'s frames on an m-line are dropped, around a switch both are accepted briefly (review 4)', async () => {
  const alice = await encryptingSender();
  const bobKey = newSenderKey();
  const bob = new FrameCrypto({ ring: new KeyRing() });
  bob.setMode('encrypt');
  await bob.setOwnKey(TAG + 1, bobKey);
  const { receiver, delivered, advance } = alice;
  await receiver.setKey(TAG, alice.key);
  await receiver.setKey(TAG + 1, bobKey);
  receiver.setMode('encrypt');
  receiver.setTrackSenders({ '1': TAG, '2': TAG + 1 });
  const on = async (mid: string, from: FrameCrypto, n: number) => receiver.incoming('audio', (await from.outgoing('audio', opus(n)))!, (out) => delivered.push(out), mid);
  await on('1', alice.sender, 1);
  await on('2', bob, 2);
  assert.deepEqual(delivered, [opus(1), opus(2)]);
  // The server puts Bob's frames into Alice's m-line: they never show as hers.
  await on('1', bob, 3);
  advance(TRACK_SWITCH_MS + 1);
  await on('1', alice.sender, 4);
  assert.deepEqual(delivered, [opus(1), opus(2), opus(4)]);
  assert.equal(receiver.stats().failedFrames, 1);
  // A real switch of m-line 1 to Bob: his frames that came just before the announcement wait for it,
  // Alice's frames still in flight are accepted for a moment after it.
  await on('1', bob, 5);
  receiver.setTrackSenders({ '1': TAG + 1, '2': TAG + 1 });
  await on('1', alice.sender, 6);
  await on('1', bob, 7);
  advance(TRACK_SWITCH_MS + 1);
  await on('1', alice.sender, 8);
  assert.deepEqual(delivered.slice(3), [opus(5), opus(6), opus(7)]);
  // M-lines never named are not checked.
  await on('9', alice.sender, 9);
  assert.deepEqual(delivered.at(-1), opus(9));
});
