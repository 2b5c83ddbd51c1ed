import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endedScreen, joinProblem, text } from './strings.js';

test('password problems ask for the password; the others explain without one', () => {
  for (const code of ['password-required', 'wrong-password', 'too-many-attempts']) assert.equal(joinProblem(code).askPassword, true, code);
  for (const code of ['room-locked', 'banned', 'not-invited', 'members-only', 'lobby-full', 'room-full', 'room-blocked', 'e2ee-required']) {
    const problem = joinProblem(code);
    assert.equal(problem.askPassword, false, code);
    assert.notEqual(problem.message, joinProblem('internal').message, `${code} has its own message`);
  }
  assert.match(joinProblem('room-locked').message, /locked/);
  assert.match(joinProblem('room-blocked').message, /operator/);
  assert.match(joinProblem('e2ee-required').message, /requires end-to-end encryption.*this browser cannot.*Chrome, Firefox or Safari/);
});

test('every server end reason has its own screen', () => {
  const titles = new Set((['removed', 'meeting-ended', 'denied', 'room-closed'] as const).map((r) => endedScreen(r).title));
  assert.equal(titles.size, 4);
  assert.match(endedScreen('removed').title, /removed/);
  assert.match(endedScreen('banned').detail, /can’t join this meeting again/);
});

test('force-mute toasts name who did it and what', () => {
  assert.equal(text.forceMuted('Ada', ['audio']), 'Ada turned your microphone off');
  assert.equal(text.forceMuted('Ada', ['video']), 'Ada turned your camera off');
  assert.equal(text.forceMuted(null, ['audio', 'video']), 'A host turned your microphone and camera off');
  assert.equal(text.unmuteAsk('Ada', 'audio'), 'Ada asks you to turn your microphone on');
});

test('a rotated link tells participants the new link when they may see it, and hosts that host and invite links change', () => {
  assert.equal(text.linkRotated('https://x/r/new'), 'The room has a new link: https://x/r/new — the old one no longer works.');
  assert.doesNotMatch(text.linkRotated(null), /http/);
  assert.match(text.rotateLinkHint, /host link and every invite link stop working/);
  assert.match(text.rotateLinkHint, /Invites stay valid/);
});
