import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byAddress } from './front-server.js';

test('byAddress keeps an address on one worker and spreads addresses over all of them', () => {
  const workers = [0, 1, 2];
  assert.equal(byAddress(workers, '203.0.113.7'), byAddress(workers, '203.0.113.7'));
  const hit = new Set(Array.from({ length: 60 }, (_, i) => byAddress(workers, `198.51.100.${i}`)));
  assert.deepEqual([...hit].sort(), workers);
  assert.equal(byAddress([], '203.0.113.7'), null);
});
