import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fragmentParam, loadHostSecret, saveHostSecret, saveInviteToken, takeInviteToken } from './storage.js';

test('fragment parameters are read by name, decoded, and absent ones are undefined', () => {
  assert.equal(fragmentParam('#host=abc', 'host'), 'abc');
  assert.equal(fragmentParam('#host=abc&invite=a%2Bb', 'invite'), 'a+b');
  assert.equal(fragmentParam('#invite=x', 'host'), undefined);
  assert.equal(fragmentParam('#xhost=abc', 'host'), undefined, 'no partial key match');
  assert.equal(fragmentParam('#host=%E0%A4%A', 'host'), undefined, 'malformed escapes are ignored');
  assert.equal(fragmentParam('', 'host'), undefined);
});

/** sessionStorage and the address bar as a browser tab has them, for the parts of storage.ts that use them. */
function fakeTab(hash: string): void {
  const items = new Map<string, string>();
  const storage = {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
  const location = { hash, pathname: '/r/old', search: '' };
  const history = { state: null, replaceState: (_state: unknown, _title: string, url: string) => void (location.hash = new URL(url, 'https://x').hash) };
  Object.assign(globalThis, { sessionStorage: storage, location, history });
}

test('an invite token taken from the link is kept under the rotated room id too, so a reload still joins', () => {
  fakeTab('#invite=tok-1');
  assert.equal(takeInviteToken('old'), 'tok-1');
  assert.equal(location.hash, '', 'the token leaves the address bar');
  assert.equal(takeInviteToken('new'), undefined);
  saveInviteToken('new', 'tok-1');
  assert.equal(takeInviteToken('new'), 'tok-1');
  saveHostSecret('new', 'secret');
  assert.equal(loadHostSecret('new'), 'secret');
});
