import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lobby } from './lobby.js';

test('knocks wait in order with their names and times, up to the capacity', () => {
  let now = 1000;
  const lobby = new Lobby<string>(2, () => now);
  const a = lobby.add('Ann', 'ticket-a');
  now = 2000;
  const b = lobby.add('Bo', 'ticket-b');
  assert.ok(a && b);
  assert.notEqual(a.entry.id, b.entry.id);
  assert.equal(lobby.add('Cy', 'ticket-c'), null, 'a full lobby takes nobody');
  assert.deepEqual(lobby.waiting, [
    { id: a.entry.id, name: 'Ann', since: 1000 },
    { id: b.entry.id, name: 'Bo', since: 2000 },
  ]);
});

test('take is all or nothing: an unknown id takes nobody', () => {
  const lobby = new Lobby<number>(10);
  const a = lobby.add('Ann', 1)!;
  const b = lobby.add('Bo', 2)!;
  assert.deepEqual(lobby.take([a.entry.id, 'nobody']), { missing: ['nobody'] });
  assert.equal(lobby.size, 2);
  const result = lobby.take([b.entry.id, a.entry.id]);
  assert.ok('taken' in result);
  assert.deepEqual(result.taken.map((k) => k.ticket), [1, 2], 'oldest first');
  assert.equal(lobby.size, 0);
});

test('take all empties the lobby; remove takes one that left', () => {
  const lobby = new Lobby<number>(10);
  const a = lobby.add('Ann', 1)!;
  lobby.add('Bo', 2);
  assert.equal(lobby.remove(a.entry.id)?.ticket, 1);
  assert.equal(lobby.remove(a.entry.id), undefined);
  assert.equal(lobby.has(a.entry.id), false);
  const result = lobby.take('all');
  assert.ok('taken' in result);
  assert.deepEqual(result.taken.map((k) => k.ticket), [2]);
  assert.deepEqual(lobby.waiting, []);
});
