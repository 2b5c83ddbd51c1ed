import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioSelector } from './audio-selector.js';

const energies = (entries: Record<string, number>) => new Map(Object.entries(entries));

test('the loudest n + 1 are selected; silence never is', () => {
  const selector = new AudioSelector(2);
  assert.deepEqual(selector.update(energies({ a: 5, b: 9, c: 7, d: 1, e: 0 })), ['b', 'c', 'a']);
  assert.deepEqual(selector.for('x'), ['b', 'c'], 'a listener hears n');
  assert.deepEqual(selector.for('b'), ['c', 'a'], 'a selected speaker hears the n others');
});

test('near-equal speakers do not swap places as their energies jitter', () => {
  const selector = new AudioSelector(2);
  selector.update(energies({ a: 10, b: 10, c: 10, d: 9.9 }));
  const first = selector.for('listener');
  for (let i = 0; i < 50; i++) {
    const jitter = (k: number) => 10 + ((i * 7 + k * 3) % 5) * 0.1;
    selector.update(energies({ a: jitter(0), b: jitter(1), c: jitter(2), d: jitter(3) }));
    assert.deepEqual(selector.for('listener'), first);
  }
});

test('a clearly louder newcomer takes the weakest place; someone who stops is replaced at once', () => {
  const selector = new AudioSelector(1);
  selector.update(energies({ a: 10, b: 4 }));
  assert.deepEqual(selector.update(energies({ a: 10, b: 4, c: 4.5 })), ['a', 'b'], 'not clearly louder');
  assert.deepEqual(selector.update(energies({ a: 10, b: 4, c: 6 })), ['a', 'c'], 'clearly louder than the weakest');
  assert.deepEqual(selector.update(energies({ a: 0, b: 4, c: 6 })), ['c', 'b'], 'a went silent');
});
