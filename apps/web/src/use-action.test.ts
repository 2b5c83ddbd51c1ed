import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiFailure } from './api.js';
import { setLanguage } from './i18n/language.js';
import { describeError } from './use-action.js';

test('an API failure reads in the active language by its code; only unknown codes keep the server’s words', async () => {
  const missing = new ApiFailure(404, 'room-not-found', 'this meeting does not exist');
  const novel = new ApiFailure(409, 'something-new', 'the server’s own words');
  assert.equal(describeError(missing), 'this meeting does not exist');
  await setLanguage('de');
  try {
    assert.equal(describeError(missing), 'Dieses Meeting gibt es nicht.');
    assert.equal(describeError(new ApiFailure(400, 'bad-request', 'title: too long')), 'Der Server hat die Angaben nicht angenommen. Prüfe sie und versuch es noch einmal.');
    assert.equal(describeError(novel), 'the server’s own words');
  } finally {
    await setLanguage('en');
  }
});
