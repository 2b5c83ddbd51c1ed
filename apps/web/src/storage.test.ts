import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fragmentParam, holdsGroupAdminCredential, loadHostSecret, loadMemberCredential, saveHostSecret, saveInviteToken, saveMemberCredential, takeInviteToken } from './storage.js';

test('fragment parameters are read by name, decoded, and absent ones are undefined', () => {
  assert.equal(fragmentParam('#host=abc', 'host'), 'abc');
  assert.equal(fragmentParam('#host=abc&invite=a%2Bb', 'invite'), 'a+b');
  assert.equal(fragmentParam('#invite=x', 'host'), undefined);
  assert.equal(fragmentParam('#xhost=abc', 'host'), undefined, 'no partial key match');
  assert.equal(fragmentParam('#host=%E0%A4%A', 'host'), undefined, 'malformed escapes are ignored');
  assert.equal(fragmentParam('', 'host'), undefined);
});

function fakeStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

/** sessionStorage, localStorage and the address bar as a browser tab has them. */
function fakeTab(hash: string): void {
  const location = { hash, pathname: '/r/old', search: '' };
  const history = { state: null, replaceState: (_state: unknown, _title: string, url: string) => void (location.hash = new URL(url, 'https://x').hash) };
  Object.assign(globalThis, { sessionStorage: fakeStorage(), localStorage: fakeStorage(), location, history });
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

test('the group admin\'s own credential is recognised (the pre-join screen then asks no password)', () => {
  fakeTab('');
  saveMemberCredential('g1', { token: 't', memberId: 'm', name: 'Ada', admin: true });
  saveMemberCredential('g2', { token: 't2', memberId: 'm2', name: 'Bob' });
  assert.equal(loadMemberCredential('g1')?.admin, true);
  assert.equal(loadMemberCredential('g2')?.admin, undefined);
  localStorage.setItem('treff.member.g3', JSON.stringify({ token: 't3', memberId: 'm3', admin: 'yes' }));
  assert.deepEqual(loadMemberCredential('g3'), { token: 't3', memberId: 'm3', name: '' });
  assert.equal(holdsGroupAdminCredential('g1'), true);
  assert.equal(holdsGroupAdminCredential('g2'), false);
  // Saved before credentials were marked: the admin secret next to it tells.
  localStorage.setItem('treff.group-admin.g2', 'secret');
  assert.equal(holdsGroupAdminCredential('g2'), true);
  localStorage.setItem('treff.group-admin.g4', 'secret');
  assert.equal(holdsGroupAdminCredential('g4'), false, 'an admin secret alone does not let the room in');
});
