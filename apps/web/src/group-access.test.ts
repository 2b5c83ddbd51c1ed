import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupView, shouldForgetCredential } from './group-access.js';

const none = { joinCode: false, adminSecret: false, credential: false, refused: false, loaded: false };

test('a removed member with a new invite link gets the name form once the old credential is forgotten', () => {
  // The stored credential is refused: it is forgotten, and the invite code then leads to the name form.
  assert.equal(shouldForgetCredential(401, false), true);
  assert.equal(shouldForgetCredential(403, false), true);
  assert.equal(groupView({ ...none, joinCode: true, refused: true }), 'join-form');
  // Without an invite code there is nothing to offer.
  assert.equal(groupView({ ...none, refused: true }), 'no-access');
});

test('what we hold decides the view; the admin secret is never forgotten', () => {
  assert.equal(groupView({ ...none, joinCode: true }), 'join-form');
  assert.equal(groupView(none), 'no-access');
  assert.equal(groupView({ ...none, credential: true }), 'loading');
  assert.equal(groupView({ ...none, credential: true, loaded: true }), 'group');
  assert.equal(groupView({ ...none, joinCode: true, credential: true, loaded: true }), 'group', 'a working credential wins over the code');
  assert.equal(groupView({ ...none, joinCode: true, adminSecret: true, refused: true }), 'no-access');
  assert.equal(shouldForgetCredential(403, true), false);
  assert.equal(shouldForgetCredential(500, false), false);
});
