import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VideoSubscription } from '@treff/protocol';
import { normalizeSubscriptions, SubscriptionSender } from './video-subscriptions.js';
import { FakeTimers } from './testing/fakes.js';

const tile = (participantId: string, width: number, height: number): VideoSubscription => ({ participantId, width, height });

test('normalize rounds and clamps sizes, keeps the first entry per person, drops oneself, caps at 100', () => {
  assert.deepEqual(normalizeSubscriptions([tile('a', 319.6, 179.4), tile('b', -5, Number.NaN), tile('a', 10, 10), tile('me', 1, 1), tile('c', 1e9, Infinity), tile('', 1, 1)], 'me'), [
    tile('a', 320, 179),
    tile('b', 0, 0),
    tile('c', 16_384, 0),
  ]);
  const many = Array.from({ length: 130 }, (_, i) => tile(`p${i}`, 160, 90));
  assert.equal(normalizeSubscriptions(many).length, 100);
  assert.equal(normalizeSubscriptions(many).at(-1)?.participantId, 'p99', 'the most important are kept');
});

function setup() {
  const timers = new FakeTimers();
  const sent: VideoSubscription[][] = [];
  let online = true;
  const sender = new SubscriptionSender({ timers, send: (video) => online && sent.push(video) > 0 });
  return { timers, sent, sender, setOnline: (o: boolean) => (online = o) };
}

test('changes within 100 ms are coalesced into one message with the latest list', () => {
  const { timers, sent, sender } = setup();
  sender.set([tile('a', 640, 360)]);
  sender.set([tile('a', 650, 366)]);
  sender.set([tile('a', 660, 371), tile('b', 660, 371)]);
  assert.equal(timers.pending.length, 1);
  assert.equal(timers.runNext(), 100);
  assert.deepEqual(sent, [[tile('a', 660, 371), tile('b', 660, 371)]]);
});

test('repeats of what the server has are not sent, and going back within the window sends nothing', () => {
  const { timers, sent, sender } = setup();
  sender.set([tile('a', 640, 360)]);
  timers.runNext();
  sender.set([tile('a', 640, 360)]);
  assert.equal(timers.pending.length, 0, 'same list: nothing scheduled');
  sender.set([tile('a', 320, 180)]);
  sender.set([tile('a', 640, 360)]);
  timers.runNext();
  assert.equal(sent.length, 1);
  sender.set([]);
  timers.runNext();
  assert.deepEqual(sent.at(-1), [], 'an empty list (no video at all) is a real change');
});

test('resend() repeats the list (after a resume or a fresh join); a failed send is retried by it', () => {
  const { timers, sent, sender, setOnline } = setup();
  sender.resend();
  assert.equal(sent.length, 0, 'never asked for anything: the server default stands');
  setOnline(false);
  sender.set([tile('a', 640, 360)]);
  timers.runNext();
  assert.equal(sent.length, 0);
  setOnline(true);
  sender.resend();
  assert.deepEqual(sent, [[tile('a', 640, 360)]]);
  sender.resend();
  assert.equal(sent.length, 2, 'sent again even though unchanged: the server may have lost it');
  sender.set([tile('b', 1, 1)]);
  sender.close();
  assert.equal(timers.pending.length, 0);
});
