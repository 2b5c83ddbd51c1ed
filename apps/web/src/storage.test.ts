import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fragmentParam } from './storage.js';

test('fragment parameters are read by name, decoded, and absent ones are undefined', () => {
  assert.equal(fragmentParam('#host=abc', 'host'), 'abc');
  assert.equal(fragmentParam('#host=abc&invite=a%2Bb', 'invite'), 'a+b');
  assert.equal(fragmentParam('#invite=x', 'host'), undefined);
  assert.equal(fragmentParam('#xhost=abc', 'host'), undefined, 'no partial key match');
  assert.equal(fragmentParam('#host=%E0%A4%A', 'host'), undefined, 'malformed escapes are ignored');
  assert.equal(fragmentParam('', 'host'), undefined);
});
