import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answersOwnChange, moderatorChange, syncSteps, targetPosition, type PlayerView, type ReceivedVideoState } from './video-sync.js';

const playingAt = (position: number, receivedAt: number): ReceivedVideoState => ({ playing: true, position, receivedAt });
const pausedAt = (position: number): ReceivedVideoState => ({ playing: false, position, receivedAt: 0 });
const player = (currentTime: number, paused: boolean, duration = 600, seeking = false): PlayerView => ({ currentTime, paused, duration, seeking });

test('while playing, the target moves on from the received position by the time since it arrived; paused, it stays', () => {
  assert.equal(targetPosition(playingAt(10, 1000), 3500), 12.5);
  assert.equal(targetPosition(pausedAt(10), 99_000), 10);
  assert.equal(targetPosition(playingAt(10, 1000), 500), 10, 'a clock read before arrival never moves it back');
  assert.equal(targetPosition(playingAt(590, 0), 20_000, 600), 600, 'never past the end');
  assert.equal(targetPosition(playingAt(590, 0), 20_000), 610, 'unknown length: not clamped');
});

test('drift up to 1 s is left alone; more is corrected by seeking to the target', () => {
  assert.deepEqual(syncSteps(playingAt(10, 0), player(10.9, false), 0), { seekTo: null, play: false, pause: false });
  assert.deepEqual(syncSteps(playingAt(10, 0), player(11.5, false), 0), { seekTo: 10, play: false, pause: false });
  assert.deepEqual(syncSteps(playingAt(10, 0), player(4, false), 3000), { seekTo: 13, play: false, pause: false });
});

test('paused, everyone shows the frame the moderator stopped at: any difference past 50 ms is sought away', () => {
  assert.deepEqual(syncSteps(pausedAt(1.085), player(1.74, true), 0), { seekTo: 1.085, play: false, pause: false });
  assert.deepEqual(syncSteps(pausedAt(1.085), player(1.1, true), 0), { seekTo: null, play: false, pause: false });
});

test('the player plays or pauses as the state says', () => {
  assert.deepEqual(syncSteps(playingAt(0, 0), player(0, true), 0), { seekTo: null, play: true, pause: false });
  assert.deepEqual(syncSteps(pausedAt(42), player(42.3, false), 0), { seekTo: 42, play: false, pause: true });
  assert.deepEqual(syncSteps(pausedAt(42), player(0, true), 0), { seekTo: 42, play: false, pause: false });
});

test('a video played to its end by the state rests there instead of starting again', () => {
  assert.deepEqual(syncSteps(playingAt(599, 0), player(600, true), 5000), { seekTo: null, play: false, pause: false });
  assert.deepEqual(syncSteps(playingAt(599, 0), player(599.5, false), 5000), { seekTo: null, play: false, pause: true });
});

test('nothing is done while a seek is in flight', () => {
  assert.deepEqual(syncSteps(playingAt(100, 0), player(3, true, 600, true), 0), { seekTo: null, play: false, pause: false });
});

test('a moderator\'s play, pause or seek the state does not explain is sent as the new state', () => {
  assert.deepEqual(moderatorChange('pause', playingAt(10, 0), player(12, true), 2000), { action: 'pause', position: 12 });
  assert.deepEqual(moderatorChange('play', pausedAt(12), player(12, false), 0), { action: 'play', position: 12 });
  assert.deepEqual(moderatorChange('seeked', playingAt(10, 0), player(95, false), 1000), { action: 'seek', position: 95 });
  assert.deepEqual(moderatorChange('seeked', pausedAt(10), player(2, true), 0), { action: 'seek', position: 2 });
});

test('player events that syncing caused are not echoed back', () => {
  assert.equal(moderatorChange('play', playingAt(10, 0), player(10, false), 0), null);
  assert.equal(moderatorChange('pause', pausedAt(30), player(30, true), 0), null);
  assert.equal(moderatorChange('seeked', playingAt(10, 0), player(13.2, false), 3000), null);
});

test('reaching the end is not a pause to tell everyone; playing again from there is a change', () => {
  assert.equal(moderatorChange('pause', playingAt(590, 0), player(600, true), 10_000), null);
  assert.deepEqual(moderatorChange('play', playingAt(590, 0), player(0, false), 20_000), { action: 'play', position: 0 });
});

test('only a state that agrees with our own change answers it; one sent before it does not', () => {
  // We paused at 1 s and then sought to 12 s; the server's answer to the pause is still on its way.
  const ownSeek = { playing: false, position: 12, receivedAt: 5000 };
  assert.equal(answersOwnChange(ownSeek, pausedAt(1), 5020), false, 'the earlier pause, arriving late');
  assert.equal(answersOwnChange(ownSeek, pausedAt(12), 5040), true, 'the answer to the seek');
  // We pressed play at 12 s; the answer to our earlier seek (paused at 12) arrives first.
  const ownPlay = { playing: true, position: 12, receivedAt: 5000 };
  assert.equal(answersOwnChange(ownPlay, pausedAt(12), 5010), false);
  assert.equal(answersOwnChange(ownPlay, playingAt(12.02, 5030), 5030), true);
});
