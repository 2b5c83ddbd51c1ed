import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Slot } from '@treff/protocol';
import { SlotMap } from './slot-map.js';

const send = (mid: string, kind: 'audio' | 'video'): Slot => ({ mid, kind, direction: 'send' });
const recv = (mid: string, kind: 'audio' | 'video', participantId: string | null): Slot => ({ mid, kind, direction: 'recv', participantId });

test('first offer: send mids by kind, every recv slot starts', () => {
  const map = new SlotMap();
  const c = map.apply([send('0', 'audio'), send('1', 'video'), recv('2', 'audio', 'bob'), recv('3', 'video', 'bob')]);
  assert.deepEqual(c.send, { audio: { mid: '0', simulcast: null }, video: { mid: '1', simulcast: null } });
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

test('slots may carry nobody; slot-sources switch them, ending the old source before starting the new one', () => {
  const map = new SlotMap();
  const first = map.apply([send('0', 'audio'), recv('2', 'audio', null), recv('3', 'video', 'bob'), recv('4', 'video', null)]);
  assert.deepEqual(first.started.map((b) => `${b.mid}:${b.participantId}`), ['3:bob']);
  assert.equal(first.recvSetChanged, true);
  assert.deepEqual(map.recvSlots('video').map((s) => s.mid), ['3', '4']);

  // A swap: 3 goes bob -> carol, 4 nobody -> bob, 2 nobody -> dave; unknown mids are ignored.
  const swap = map.setSources([{ mid: '3', participantId: 'carol' }, { mid: '4', participantId: 'bob' }, { mid: '2', participantId: 'dave' }, { mid: '9', participantId: 'erin' }]);
  assert.deepEqual(swap.ended.map((b) => `${b.mid}:${b.participantId}`), ['3:bob']);
  assert.deepEqual(swap.started.map((b) => `${b.mid}:${b.participantId}:${b.kind}`), ['2:dave:audio', '3:carol:video', '4:bob:video']);
  assert.equal(map.find('bob', 'video')?.mid, '4');

  const off = map.setSources([{ mid: '3', participantId: null }, { mid: '4', participantId: 'bob' }]);
  assert.deepEqual(off.ended.map((b) => `${b.mid}:${b.participantId}`), ['3:carol']);
  assert.deepEqual(off.started, [], 'an unchanged source is no change');
  assert.equal(map.find('carol', 'video'), undefined);

  // An offer with the same m-lines (sources as the server has them now) changes nothing and adds no slots.
  const again = map.apply([send('0', 'audio'), recv('2', 'audio', 'dave'), recv('3', 'video', null), recv('4', 'video', 'bob')]);
  assert.deepEqual([again.started, again.ended, again.recvSetChanged], [[], [], false]);
});

test('a simulcast send slot keeps its rids', () => {
  const map = new SlotMap();
  const c = map.apply([send('0', 'audio'), { mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'm', 'h'] }]);
  assert.deepEqual(c.send.video, { mid: '1', simulcast: ['l', 'm', 'h'] });
  assert.deepEqual(map.send.audio, { mid: '0', simulcast: null });
});

test('screen slots: send slots by source, recv slots carry their source, a participant\'s camera and screen are told apart', () => {
  const map = new SlotMap();
  const c = map.apply([
    send('0', 'audio'), send('1', 'video'),
    { mid: '5', kind: 'video', direction: 'send', source: 'screen' }, { mid: '6', kind: 'audio', direction: 'send', source: 'screen' },
    recv('2', 'video', 'bob'), { mid: '3', kind: 'video', direction: 'recv', participantId: 'bob', source: 'screen' },
    { mid: '4', kind: 'audio', direction: 'recv', participantId: 'bob', source: 'screen' },
  ]);
  assert.deepEqual(c.send, { audio: { mid: '0', simulcast: null }, video: { mid: '1', simulcast: null } }, 'the camera slots stay where they were');
  assert.deepEqual(c.screenSend, { video: { mid: '5', simulcast: null }, audio: { mid: '6', simulcast: null } });
  assert.deepEqual(map.sendSlots('screen').video, { mid: '5', simulcast: null });
  assert.equal(map.find('bob', 'video')?.mid, '2');
  assert.equal(map.find('bob', 'video', 'screen')?.mid, '3');
  assert.equal(map.find('bob', 'audio', 'screen')?.mid, '4');
  assert.equal(map.find('bob', 'audio'), undefined, 'screen audio is not their microphone');
  assert.deepEqual(c.started.map((b) => `${b.mid}:${b.source}`), ['2:camera', '3:screen', '4:screen']);

  // The share stops: its recv slots go to nothing, our own screen send slots leave the next offer.
  const stopped = map.setSources([{ mid: '3', participantId: null }, { mid: '4', participantId: null }]);
  assert.deepEqual(stopped.ended.map((b) => `${b.mid}:${b.source}`), ['3:screen', '4:screen']);
  const next = map.apply([send('0', 'audio'), send('1', 'video'), recv('2', 'video', 'bob')]);
  assert.deepEqual(next.screenSend, {});
  assert.deepEqual(map.sendSlots('screen'), {});
});
