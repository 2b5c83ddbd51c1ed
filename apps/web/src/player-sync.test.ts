import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OWN_CHANGE_MS, PlayerSync } from './player-sync.js';
import type { PlayerView, ReceivedVideoState } from './video-sync.js';

const pausedAt = (position: number, receivedAt = 0): ReceivedVideoState => ({ playing: false, position, receivedAt });
const playingAt = (position: number, receivedAt: number): ReceivedVideoState => ({ playing: true, position, receivedAt });
const player = (currentTime: number, paused: boolean, seeking = false): PlayerView => ({ currentTime, paused, duration: 20, seeking });
const NOTHING = { seekTo: null, play: false, pause: false };

test('a check between a moderator\'s click on play and its event leaves the click alone; the event sends it', () => {
  const sync = new PlayerSync(pausedAt(12));
  assert.deepEqual(sync.check(player(12, true), 0), NOTHING);
  // play() has flipped `paused`; its 'play' event is still queued when the next check runs.
  assert.deepEqual(sync.check(player(12, false), 1000), NOTHING, 'not paused again');
  assert.deepEqual(sync.event('play', player(12, false), 1005, true), { action: 'play', position: 12 });
  assert.deepEqual(sync.check(player(12.5, false), 1500), NOTHING, 'our own change rules until the answer');
  sync.receive(playingAt(12, 1040), 1040);
  assert.deepEqual(sync.check(player(13, false), 2000), NOTHING);
});

test('the same for a click on pause while playing', () => {
  const sync = new PlayerSync(playingAt(2, 0));
  assert.deepEqual(sync.check(player(2, false), 0), NOTHING);
  assert.deepEqual(sync.check(player(3, true), 1000), NOTHING, 'not played again');
  assert.deepEqual(sync.event('pause', player(3, true), 1002, true), { action: 'pause', position: 3 });
});

test('a flip with no event after it (a refused play) waits one check only', () => {
  const sync = new PlayerSync(playingAt(0, 0));
  assert.deepEqual(sync.check(player(0, true), 0), { seekTo: null, play: true, pause: false });
  // The browser refused: `paused` is true again and no 'play' event comes.
  assert.deepEqual(sync.check(player(0, true), 1000), NOTHING);
  assert.deepEqual(sync.check(player(0, true), 2000), { seekTo: 2, play: true, pause: false });
});

test('events our own syncing caused are never sent; a guest sends nothing', () => {
  const sync = new PlayerSync(playingAt(5, 0));
  assert.deepEqual(sync.check(player(5, true), 0), { seekTo: null, play: true, pause: false });
  assert.equal(sync.event('play', player(5, false), 10, true), null);
  const guest = new PlayerSync(pausedAt(5));
  assert.equal(guest.event('play', player(5, false), 0, false), null);
});

test('a state sent before our own change does not undo it; after a refusal the room\'s state rules again', () => {
  const sync = new PlayerSync(pausedAt(1));
  sync.check(player(1, true), 0);
  assert.deepEqual(sync.event('play', player(1, false), 100, true), { action: 'play', position: 1 });
  sync.receive(pausedAt(1), 120);
  assert.deepEqual(sync.check(player(1.5, false), 600), NOTHING, 'the late state is not the answer');
  assert.deepEqual(sync.check(player(4, false), 100 + OWN_CHANGE_MS), { seekTo: 1, play: false, pause: true });
});

test('a moderator\'s seek is not sought back by a check before its \'seeked\'', () => {
  const sync = new PlayerSync(pausedAt(1));
  sync.check(player(1, true), 0);
  sync.seeking(player(12, true, true), 500, true);
  // The seek is done but 'seeked' not yet dispatched: the element no longer says it is seeking.
  assert.deepEqual(sync.check(player(12, true), 520), NOTHING);
  assert.deepEqual(sync.event('seeked', player(12, true), 530, true), { action: 'seek', position: 12 });
});
