import { test } from 'node:test';
import assert from 'node:assert/strict';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Room } from '@treff/client';
import { SafetyCodeList, SecurityDialog } from './security-dialog.js';

const identity = { publicKey: 'A'.repeat(87), keyTag: 1 };
const bob = { id: 'b', name: 'Bob', e2ee: identity };
const old = { id: 'o', name: 'Olga', e2ee: null };

function fakeRoom(e2ee: { supported: boolean; status: 'encrypted' | 'not-encrypted'; blockers: string[]; epoch: number; required: boolean }, people = [bob, old]) {
  return { e2ee: { identityChanged: [], ...e2ee }, participants: new Map(people.map((p) => [p.id, p])), safetyCode: async () => null } as unknown as Room;
}

const render = (room: Room, focus: string | null = null) => renderToString(h(SecurityDialog, { room, focus, onClose: () => undefined }));

test('an encrypted meeting says the server cannot see or hear it, what it still sees, and how often our key changed', () => {
  const html = render(fakeRoom({ supported: true, status: 'encrypted', blockers: [], epoch: 3, required: true }, [bob]));
  assert.match(html, /role="dialog"/);
  assert.match(html, /<strong>End-to-end encrypted<\/strong>/);
  assert.match(html, /cannot see or hear this meeting/);
  assert.match(html, /What the server still sees/);
  assert.match(html, /has changed 3 times since you joined/);
  assert.match(html, /A host requires end-to-end encryption/);
  assert.match(html, /aria-label="Security code with Bob"/);
});

test('a meeting that is not encrypted names who keeps it so, and has no requirement line', () => {
  const html = render(fakeRoom({ supported: true, status: 'not-encrypted', blockers: ['o'], epoch: 0, required: false }));
  assert.match(html, /Not end-to-end encrypted: Olga’s app cannot encrypt/);
  assert.match(html, /the server could see and hear this meeting/);
  assert.match(html, /has not changed since you joined/);
  assert.doesNotMatch(html, /A host requires/);
});

test('a browser that cannot encrypt shows no codes and no key epoch', () => {
  const html = render(fakeRoom({ supported: false, status: 'not-encrypted', blockers: [], epoch: 0, required: false }));
  assert.match(html, /this browser cannot encrypt/);
  assert.match(html, /there are no security codes to compare/);
  assert.doesNotMatch(html, /Security code with/);
  assert.doesNotMatch(html, /encryption key has/);
});

test('each participant has a code, or is said to have none; the asked-for one is marked', () => {
  const codes = new Map([['b', '12345 67890 11111 22222'], ['o', null]]);
  const html = renderToString(h(SafetyCodeList, { people: [bob, old, { id: 'c', name: 'Cleo', e2ee: identity }], codes, focus: 'b' }));
  assert.match(html, /<li aria-label="Security code with Bob" class="focused" tabindex="-1"><span class="person-name">Bob<\/span><code class="safety-code">12345 67890 11111 22222<\/code>/);
  assert.match(html, /Security code with Olga"><span class="person-name">Olga<\/span><span class="muted">No code: their app cannot encrypt/);
  assert.match(html, /Security code with Cleo"><span class="person-name">Cleo<\/span><span class="muted">Working it out…/);
});
