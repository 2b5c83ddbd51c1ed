import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Slot } from '@treff/protocol';
import { SlotMap } from './slot-map.js';

const send = (mid: string, kind: 'audio' | 'video'): Slot => ({ mid, kind, direction: 'send' });
const recv = (mid: string, kind: 'audio' | 'video', participantId: string): Slot => ({ mid, kind, direction: 'recv', participantId });

test('first offer: send mids by kind, every recv slot starts', () => {
  const map = new SlotMap();
  const c = map.apply([send('0', 'audio'), send('1', 'video'), recv('2', 'audio', 'bob'), recv('3', 'video', 'bob')]);
  assert.deepEqual(c.send, { audio: '0', video: '1' });
  assert.deepEqual(c.ended, []);
  assert.deepEqual(c.started.map((b) => `${b.mid}:${b.participantId}:${b.kind}`), ['2:bob:audio', '3:bob:video']);
  assert.equal(map.find('bob', 'video')?.mid, '3');
});

test('an unchanged offer reports no changes', () => {
  const map = new SlotMap();
  const slots = [send('0', 'audio'), recv('2', 'audio', 'bob')];
  map.apply(slots);
  const c = map.apply(slots);
  assert.deepEqual([c.started, c.ended], [[], []]);
});

test('a participant leaving ends their slots; a recycled mid ends the old owner and starts the new one', () => {
  const map = new SlotMap();
  map.apply([send('0', 'audio'), recv('2', 'audio', 'bob'), recv('3', 'video', 'bob'), recv('4', 'audio', 'carol')]);
  const left = map.apply([send('0', 'audio'), recv('4', 'audio', 'carol')]);
  assert.deepEqual(left.ended.map((b) => `${b.mid}:${b.participantId}`), ['2:bob', '3:bob']);
  assert.deepEqual(left.started, []);
  assert.equal(map.find('bob', 'audio'), undefined);

  const recycled = map.apply([send('0', 'audio'), recv('2', 'audio', 'dave'), recv('4', 'audio', 'erin')]);
  assert.deepEqual(recycled.ended.map((b) => `${b.mid}:${b.participantId}`), ['4:carol']);
  assert.deepEqual(recycled.started.map((b) => `${b.mid}:${b.participantId}`), ['2:dave', '4:erin']);
});

test('clear() returns every binding so its tracks can be ended', () => {
  const map = new SlotMap();
  map.apply([send('0', 'audio'), recv('2', 'audio', 'bob')]);
  assert.deepEqual(map.clear().map((b) => b.mid), ['2']);
  assert.deepEqual(map.send, {});
  assert.deepEqual(map.bindings(), []);
});
