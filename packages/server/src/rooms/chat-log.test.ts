import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatLog } from './chat-log.js';

const msg = (id: string, from: string, to: string | null) => ({ id, from, fromName: from, to, text: id, at: 0 });

test('each participant reads public messages and only the private ones they sent or received', () => {
  const log = new ChatLog(10);
  log.add(msg('1', 'a', null));
  log.add(msg('2', 'a', 'b'));
  log.add(msg('3', 'c', 'a'));
  assert.deepEqual(log.visibleTo('a').map((m) => m.id), ['1', '2', '3']);
  assert.deepEqual(log.visibleTo('b').map((m) => m.id), ['1', '2']);
  assert.deepEqual(log.visibleTo('d').map((m) => m.id), ['1']);
});

test('the oldest messages drop out beyond the capacity', () => {
  const log = new ChatLog(3);
  for (let i = 1; i <= 5; i++) log.add(msg(String(i), 'a', null));
  assert.equal(log.size, 3);
  assert.deepEqual(log.visibleTo('a').map((m) => m.id), ['3', '4', '5']);
});
