import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActiveSpeakerObserver } from './active-speaker-observer.js';

/** Feeds 20 ms audio packets for `ms` milliseconds with the given levels per id, updating every 100 ms. */
function speak(observer: ActiveSpeakerObserver, start: number, ms: number, levels: Record<string, number>): number {
  let t = start;
  for (; t < start + ms; t += 20) {
    for (const [id, level] of Object.entries(levels)) observer.observe(id, level, t);
    if (t % 100 === 0) observer.update(t);
  }
  return t;
}

test('the only speaker becomes dominant, silence never does', () => {
  const o = new ActiveSpeakerObserver();
  const events: (string | null)[] = [];
  o.on('dominant-speaker', (id) => events.push(id));
  speak(o, 0, 1000, { alice: 20, bob: 127 });
  assert.equal(o.dominantSpeaker, 'alice');
  assert.deepEqual(events, ['alice']);
});

test('a short interjection does not take over, sustained louder speech does', () => {
  const o = new ActiveSpeakerObserver();
  let t = speak(o, 0, 2000, { alice: 30, bob: 127 });
  t = speak(o, t, 300, { alice: 30, bob: 5 });
  assert.equal(o.dominantSpeaker, 'alice', 'a 300 ms burst must not switch');
  t = speak(o, t, 2500, { alice: 127, bob: 25 });
  assert.equal(o.dominantSpeaker, 'bob');
});

test('removing the dominant speaker clears it', () => {
  const o = new ActiveSpeakerObserver();
  speak(o, 0, 1000, { alice: 20 });
  o.remove('alice');
  assert.equal(o.dominantSpeaker, null);
});
