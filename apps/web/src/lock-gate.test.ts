import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockedByLock } from './lock-gate.js';

test('a locked room holds Join back only for those the lock refuses', () => {
  assert.equal(blockedByLock({ locked: true }, false), true);
  assert.equal(blockedByLock({ locked: true }, true), false, 'host link or group admin');
  assert.equal(blockedByLock({ locked: false }, false), false);
  assert.equal(blockedByLock(null, false), false, 'no summary: let the server decide');
});
