import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from './events.js';

type Events = { ping: number; pong: string };

test('delivers payloads to the listeners of that event only', () => {
  const e = new Emitter<Events>();
  const pings: number[] = [];
  const pongs: string[] = [];
  e.on('ping', (n) => pings.push(n));
  e.on('pong', (s) => pongs.push(s));
  e.emit('ping', 1);
  e.emit('pong', 'a');
  e.emit('ping', 2);
  assert.deepEqual(pings, [1, 2]);
  assert.deepEqual(pongs, ['a']);
});

test('on() returns an unsubscribe function; once() fires once', () => {
  const e = new Emitter<Events>();
  const seen: number[] = [];
  const off = e.on('ping', (n) => seen.push(n));
  e.once('ping', (n) => seen.push(n * 100));
  e.emit('ping', 1);
  off();
  e.emit('ping', 2);
  assert.deepEqual(seen, [1, 100]);
});

test('a throwing listener does not stop the others', async () => {
  const e = new Emitter<Events>();
  const seen: number[] = [];
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.prependListener('uncaughtException', onUncaught);
  // The test runner fails the test on uncaught errors; take its handlers out while we catch ours.
  const others = process.listeners('uncaughtException').filter((l) => l !== onUncaught);
  for (const l of others) process.removeListener('uncaughtException', l);
  try {
    e.on('ping', () => {
      throw new Error('boom');
    });
    e.on('ping', (n) => seen.push(n));
    e.emit('ping', 7);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.removeListener('uncaughtException', onUncaught);
    for (const l of others) process.on('uncaughtException', l);
  }
  assert.deepEqual(seen, [7]);
  assert.equal((uncaught[0] as Error).message, 'boom', 'the error is still reported, just later');
});

test('listeners added or removed during emit do not affect the current round', () => {
  const e = new Emitter<Events>();
  const seen: string[] = [];
  const offB = e.on('pong', () => seen.push('b'));
  e.on('pong', () => {
    seen.push('a');
    offB();
    e.on('pong', () => seen.push('c'));
  });
  e.emit('pong', 'x');
  assert.deepEqual(seen, ['b', 'a']);
  seen.length = 0;
  e.emit('pong', 'y');
  assert.deepEqual(seen, ['a', 'c']);
});
