import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isArrival } from './arrival-toast.js';

test('only someone joining while we are in the room is an arrival, not the list our join brings', () => {
  assert.equal(isArrival('connected'), true);
  assert.equal(isArrival('connecting'), false);
  assert.equal(isArrival('reconnecting'), false);
  assert.equal(isArrival('waiting'), false);
});
