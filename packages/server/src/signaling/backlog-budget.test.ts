import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overBudget } from './backlog-budget.js';

const sockets = (...amounts: number[]) => amounts.map((bufferedAmount, id) => ({ id, bufferedAmount }));

test('within the budget nobody is dropped; over it, the largest backlogs go first until the rest fits', () => {
  assert.deepEqual(overBudget(sockets(10, 20, 30), 60), []);
  assert.deepEqual(overBudget(sockets(10, 40, 30, 0), 50).map((s) => s.id), [1]);
  assert.deepEqual(overBudget(sockets(10, 40, 30, 0), 20).map((s) => s.id), [1, 2]);
  assert.deepEqual(overBudget(sockets(), 0), []);
});
