import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeE2ee, e2eeChangeToast, identityChangedWarning, reasonSentence } from './e2ee-status.js';

const names: Record<string, string> = { b: 'Bob', c: 'Carol', d: 'Dan', e: 'Eve', f: 'Fay' };
const nameOf = (id: string) => names[id];
const state = (status: 'encrypted' | 'not-encrypted', blockers: string[] = [], supported = true) => ({ status, blockers, supported });

test('encrypted reads as such, with no reason', () => {
  assert.deepEqual(describeE2ee(state('encrypted'), nameOf), { encrypted: true, state: 'End-to-end encrypted', label: 'End-to-end encrypted', reason: null });
});

test('this browser is the reason when it cannot encrypt, whoever else is here', () => {
  const view = describeE2ee(state('not-encrypted', ['b'], false), nameOf);
  assert.equal(view.label, 'Not end-to-end encrypted: this browser cannot encrypt');
  assert.equal(view.encrypted, false);
});

test('participants whose apps cannot encrypt are named, a few at most, the rest counted', () => {
  const label = (blockers: string[]) => describeE2ee(state('not-encrypted', blockers), nameOf).label;
  assert.equal(label(['b']), 'Not end-to-end encrypted: Bob’s app cannot encrypt');
  assert.equal(label(['b', 'c']), 'Not end-to-end encrypted: the apps of Bob and Carol cannot encrypt');
  assert.equal(label(['b', 'c', 'd']), 'Not end-to-end encrypted: the apps of Bob, Carol and Dan cannot encrypt');
  assert.equal(label(['b', 'c', 'd', 'e']), 'Not end-to-end encrypted: the apps of Bob, Carol, Dan and 1 other cannot encrypt');
  assert.equal(label(['b', 'c', 'd', 'e', 'f']), 'Not end-to-end encrypted: the apps of Bob, Carol, Dan and 2 others cannot encrypt');
});

test('blockers without a known name are counted, never dropped', () => {
  const label = (blockers: string[]) => describeE2ee(state('not-encrypted', blockers), nameOf).label;
  assert.equal(label(['x']), 'Not end-to-end encrypted: someone’s app cannot encrypt');
  assert.equal(label(['x', 'y']), 'Not end-to-end encrypted: the apps of 2 people cannot encrypt');
  assert.equal(label(['b', 'x']), 'Not end-to-end encrypted: the apps of Bob and 1 other cannot encrypt');
});

test('not encrypted with no one to blame (still setting up, or turned off) says just that', () => {
  assert.deepEqual(describeE2ee(state('not-encrypted'), nameOf), { encrypted: false, state: 'Not end-to-end encrypted', label: 'Not end-to-end encrypted', reason: null });
});

test('the state alone is one of two names whatever the reason, and the one-line label starts with it', () => {
  for (const s of [state('encrypted'), state('not-encrypted'), state('not-encrypted', ['b', 'x']), state('not-encrypted', [], false)]) {
    const view = describeE2ee(s, nameOf);
    assert.equal(view.state, view.encrypted ? 'End-to-end encrypted' : 'Not end-to-end encrypted');
    assert.ok(view.label.startsWith(view.state), view.label);
  }
});

test('a reason reads as a sentence of its own', () => {
  assert.equal(reasonSentence('the apps of Bob and Carol cannot encrypt'), 'The apps of Bob and Carol cannot encrypt.');
});

test('a toast only when the state flips, saying why it is no longer encrypted', () => {
  const on = describeE2ee(state('encrypted'), nameOf);
  const off = describeE2ee(state('not-encrypted', ['b']), nameOf);
  assert.equal(e2eeChangeToast('encrypted', on), null);
  assert.equal(e2eeChangeToast('not-encrypted', off), null);
  assert.equal(e2eeChangeToast('not-encrypted', on), 'The meeting is now end-to-end encrypted');
  assert.equal(e2eeChangeToast('encrypted', off), 'The meeting is no longer end-to-end encrypted: Bob’s app cannot encrypt');
  assert.equal(e2eeChangeToast('encrypted', describeE2ee(state('not-encrypted'), nameOf)), 'The meeting is no longer end-to-end encrypted');
});

test('a changed identity key is a warning naming whom, counting the names we lack', () => {
  assert.equal(identityChangedWarning([], nameOf), null);
  const one = identityChangedWarning(['b'], nameOf);
  assert.ok(one?.startsWith('Warning:') && one.includes('Bob'), one ?? '');
  const two = identityChangedWarning(['b', 'gone'], nameOf);
  assert.ok(two?.includes('Bob') && two.includes('1 other'), two ?? '');
});
