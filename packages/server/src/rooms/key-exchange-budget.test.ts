import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY_ASK_INTERVAL_MS, KEY_BUDGET, KeyExchangeBudget, keyBurst } from './key-exchange-budget.js';

function clocked(): { budget: KeyExchangeBudget; advance(ms: number): void } {
  let now = 0;
  return { budget: new KeyExchangeBudget(() => now), advance: (ms) => (now += ms) };
}

const ids = (n: number, prefix = 'p'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('the burst grows with the seats, never below the minimum', () => {
  assert.equal(keyBurst(2), KEY_BUDGET.minBurst);
  assert.equal(keyBurst(100), 10_000);
  assert.equal(keyBurst(1000), 1_000_000);
});

test('keys are counted one per recipient; a spend over what is left spends nothing', () => {
  const { budget } = clocked();
  assert.equal(budget.spend(10, { recipients: ids(200) }), true);
  assert.equal(budget.spend(10, { recipients: ids(51) }), false);
  assert.equal(budget.spend(10, { recipients: ids(50) }), true);
  assert.equal(budget.spend(10, { asked: 1 }), false);
});

test('it refills at 20 keys a second per seat, up to the burst', () => {
  const { budget, advance } = clocked();
  assert.equal(budget.spend(100, { asked: 10_000 }), true);
  assert.equal(budget.spend(100, { asked: 1 }), false);
  advance(500);
  assert.equal(budget.spend(100, { asked: 1000 }), true);
  assert.equal(budget.spend(100, { asked: 1 }), false);
  advance(3_600_000);
  assert.equal(budget.spend(100, { asked: 10_000 }), true);
  assert.equal(budget.spend(100, { asked: 1 }), false);
});

test('a full room leaving at once: one rotation per departure to everyone remaining fits the burst', () => {
  for (const seats of [2, 10, 100, 1000]) {
    const { budget } = clocked();
    const others = ids(seats - 1);
    while (others.length > 0) {
      others.pop();
      // Worst case: the client still seals for everyone it has not yet seen leave.
      assert.equal(budget.spend(seats, { recipients: [...others, 'late'] }), true, `${seats} seats, ${others.length} left`);
    }
  }
});

test('one ask per requester per interval; the answer to it is free once', () => {
  const { budget, advance } = clocked();
  assert.equal(budget.ask('r'), true);
  assert.equal(budget.ask('r'), false);
  assert.equal(budget.ask('s'), true);
  assert.equal(budget.spend(2, { asked: KEY_BUDGET.minBurst }), true, 'the budget is empty now');
  assert.equal(budget.spend(2, { recipients: ['r', 's'] }), true, 'both answers are free');
  assert.equal(budget.spend(2, { recipients: ['r'] }), false, 'a second answer is not');
  advance(KEY_ASK_INTERVAL_MS - 1);
  assert.equal(budget.ask('r'), false);
  advance(1);
  assert.equal(budget.ask('r'), true);
  // The refill meanwhile is spent first; then the new ask's answer is again free.
  assert.equal(budget.spend(2, { asked: 200 }), true);
  assert.equal(budget.spend(2, { recipients: ['r'] }), true);
  assert.equal(budget.spend(2, { recipients: ['r'] }), false);
});

test('an answer that comes after the interval is charged', () => {
  const { budget, advance } = clocked();
  budget.ask('r');
  assert.equal(budget.spend(2, { asked: KEY_BUDGET.minBurst }), true);
  advance(KEY_ASK_INTERVAL_MS);
  assert.equal(budget.spend(2, { asked: 200 }), true, 'the refill');
  assert.equal(budget.spend(2, { recipients: ['r'] }), false);
});

test('a refused spend does not use up a free answer', () => {
  const { budget } = clocked();
  budget.ask('r');
  assert.equal(budget.spend(2, { asked: KEY_BUDGET.minBurst }), true);
  assert.equal(budget.spend(2, { recipients: ['r', 'x'] }), false);
  assert.equal(budget.spend(2, { recipients: ['r'] }), true);
});
