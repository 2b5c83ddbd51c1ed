import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describeE2ee } from '../e2ee-status.js';
import { EncryptionStatus } from './encryption-status.js';

const render = (status: 'encrypted' | 'not-encrypted', blockers: string[] = []) =>
  renderToString(h(EncryptionStatus, { view: describeE2ee({ supported: true, status, blockers }, (id) => (id === 'b' ? 'Bob' : undefined)), onOpen: () => undefined }));

test('a button named by the state alone, opening a dialog', () => {
  const on = render('encrypted');
  assert.match(on, /^<button type="button" class="e2ee-status on" aria-label="End-to-end encrypted" aria-haspopup="dialog">/);
  assert.doesNotMatch(on, /aria-describedby|title=/);
});

test('not encrypted: the reason is its description and shows beside the state', () => {
  const off = render('not-encrypted', ['b']);
  assert.match(off, /^<button type="button" class="e2ee-status off" aria-label="Not end-to-end encrypted" aria-describedby="e2ee-reason" aria-haspopup="dialog" title="Not end-to-end encrypted: Bob’s app cannot encrypt">/);
  assert.match(off, /<span class="e2ee-label" aria-hidden="true">Not end-to-end encrypted: Bob’s app cannot encrypt<\/span>/);
  assert.match(off, /<span id="e2ee-reason" class="visually-hidden">Bob’s app cannot encrypt.<\/span>/);
});
