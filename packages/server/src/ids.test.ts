import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newParticipantId, newRoomId, newSecret, newShortId, randomId } from './ids.js';

test('ids are base64url of their size and never start with "-", which command lines take for an option', () => {
  // One in 64 base64url strings starts with '-': 2000 draws without any is beyond chance unless excluded.
  for (let i = 0; i < 2000; i++) assert.match(randomId(9), /^[A-Za-z0-9_][A-Za-z0-9_-]{11}$/);
  assert.equal(newRoomId().length, 22);
  assert.equal(newSecret().length, 43);
  assert.equal(newShortId().length, 12);
  assert.equal(newParticipantId().length, 12);
});
