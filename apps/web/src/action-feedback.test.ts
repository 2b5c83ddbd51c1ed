import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionErrorToast, sayIfUnsent } from './action-feedback.js';
import { setLanguage } from './i18n/language.js';
import { text } from './strings.js';

test('server refusals of an action become toasts; connection trouble and fatal errors do not', () => {
  assert.equal(actionErrorToast({ code: 'rate-limited', message: 'too many reports', fatal: false }), text.rateLimited);
  assert.equal(actionErrorToast({ code: 'forbidden', message: 'co-hosts cannot mute hosts', fatal: false }), 'Not done: co-hosts cannot mute hosts');
  assert.equal(actionErrorToast({ code: 'wrong-state', message: 'not joined', fatal: false }), 'Not done: not joined');
  assert.equal(actionErrorToast({ code: 'bad-request', message: 'maxParticipants must be at most 100 on this server', fatal: false }), 'Not done: maxParticipants must be at most 100 on this server');
  assert.equal(actionErrorToast({ code: 'too-large', message: 'x', fatal: false }), text.actionTooLarge);
  assert.equal(actionErrorToast({ code: 'e2ee-failed', message: 'Could not encrypt the chat message: x', fatal: false }), 'Could not encrypt the chat message: x');
  assert.equal(actionErrorToast({ code: 'candidate-failed', message: 'x', fatal: false }), null);
  assert.equal(actionErrorToast({ code: 'forbidden', message: 'x', fatal: true }), null);
});

test('a moderation call that could not go out says so; one that did says nothing', () => {
  const said: string[] = [];
  assert.equal(sayIfUnsent(true, (m) => said.push(m)), true);
  assert.deepEqual(said, []);
  assert.equal(sayIfUnsent(false, (m) => said.push(m)), false);
  assert.deepEqual(said, [text.notSent]);
});

test('in German a refusal is chosen by its code, never the server’s English words', async () => {
  await setLanguage('de');
  try {
    assert.equal(actionErrorToast({ code: 'forbidden', message: 'co-hosts cannot mute a host', fatal: false }), 'Nicht erledigt: Deine Rolle erlaubt das nicht.');
    assert.equal(actionErrorToast({ code: 'bad-request', message: 'this poll is closed', fatal: false }), 'Nicht erledigt: Das geht gerade nicht.');
    assert.doesNotMatch(actionErrorToast({ code: 'e2ee-failed', message: 'Could not encrypt the chat message: x', fatal: false }) ?? '', /Could not/);
    assert.equal(actionErrorToast({ code: 'rate-limited', message: 'too many', fatal: false }), 'Nicht erledigt: zu viele Anfragen. Versuch es später noch einmal.');
  } finally {
    await setLanguage('en');
  }
});
