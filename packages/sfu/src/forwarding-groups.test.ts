import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForwardingGroups, type Membership } from './forwarding-groups.js';

/** Feeds 20 ms audio packets for `ms` milliseconds, as the router does: each through its transport's membership. */
function speak(groups: ForwardingGroups, members: Record<string, Membership>, start: number, ms: number, levels: Record<string, number>): number {
  let t = start;
  for (; t < start + ms; t += 20) {
    for (const [id, level] of Object.entries(levels)) members[id]!.group.speakers.observe(id, level, t);
    if (t % 100 === 0) groups.updateSpeakers(t);
  }
  return t;
}

function setUp(ids: string[], audioTopN = 3): { groups: ForwardingGroups; members: Record<string, Membership>; events: [string | null, string | null][] } {
  const groups = new ForwardingGroups(audioTopN);
  const events: [string | null, string | null][] = [];
  groups.on('dominant-speaker', (id, group) => events.push([id, group]));
  const members = Object.fromEntries(ids.map((id) => [id, groups.add(id)]));
  return { groups, members, events };
}

const everyoneForwards = () => true;

test('everyone starts in the default group and receives from everyone', () => {
  const { groups } = setUp(['a', 'b', 'c']);
  assert.equal(groups.of('a')?.name, null);
  assert.ok(groups.together('a', 'b') && groups.together('c', 'a'));
  assert.equal(groups.together('a', 'nobody'), false);
  assert.equal(groups.together('nobody', 'a'), false);
});

test('transports receive only from their own group', () => {
  const { groups } = setUp(['a', 'b', 'c', 'd']);
  assert.equal(groups.move('a', 'red'), true);
  assert.equal(groups.move('b', 'red'), true);
  assert.equal(groups.move('b', 'red'), false, 'no change');
  assert.ok(groups.together('a', 'b'));
  assert.ok(groups.together('c', 'd'));
  assert.equal(groups.together('a', 'c'), false);
  assert.equal(groups.together('d', 'b'), false);
  assert.deepEqual([...groups.all].map((g) => [g.name, [...g.members]]), [
    [null, ['c', 'd']],
    ['red', ['a', 'b']],
  ]);
});

test('audio top-N is chosen per group: nobody hears a speaker of another group', () => {
  const { groups, members } = setUp(['a', 'b', 'c', 'd'], 1);
  groups.move('a', 'red');
  groups.move('b', 'red');
  // The loudest speaker of the meeting is in red; the default group still hears its own quieter one.
  const t = speak(groups, members, 0, 1000, { a: 10, c: 40 });
  const heard = groups.selectAudio(t, everyoneForwards);
  assert.deepEqual(heard.get('b'), ['a']);
  assert.deepEqual(heard.get('a'), []);
  assert.deepEqual(heard.get('d'), ['c']);
  assert.deepEqual(heard.get('c'), []);
});

test('a speaker whose microphone is not forwarded is not selected', () => {
  const { groups, members } = setUp(['a', 'b']);
  const t = speak(groups, members, 0, 500, { a: 20 });
  assert.deepEqual(groups.selectAudio(t, (id) => id !== 'a').get('b'), []);
  assert.deepEqual(groups.selectAudio(t, everyoneForwards).get('b'), ['a']);
});

test('each group has its own dominant speaker, and the event names the group', () => {
  const { groups, members, events } = setUp(['a', 'b', 'c', 'd']);
  groups.move('a', 'red');
  groups.move('b', 'red');
  speak(groups, members, 0, 1000, { a: 20, c: 30 });
  assert.equal(groups.dominantSpeaker('red'), 'a');
  assert.equal(groups.dominantSpeaker(null), 'c');
  assert.deepEqual(
    events.sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
    [
      ['c', null],
      ['a', 'red'],
    ],
  );
  assert.equal(groups.dominantSpeaker('blue'), null, 'no such group');
});

test('moving the dominant speaker ends its dominance in the old group; its speech starts afresh in the new one', () => {
  const { groups, members, events } = setUp(['a', 'b', 'c']);
  let t = speak(groups, members, 0, 1000, { a: 20 });
  assert.equal(groups.dominantSpeaker(null), 'a');
  assert.deepEqual(groups.of('a')?.recentSpeakers, ['a']);
  events.length = 0;
  groups.move('a', 'red');
  assert.deepEqual(events, [[null, null]]);
  assert.equal(groups.dominantSpeaker(null), null);
  assert.deepEqual(groups.of('b')?.recentSpeakers, [], 'last-N of the old group forgets it');
  assert.equal(members.a!.group.name, 'red', 'the membership the router holds follows the move');
  t = speak(groups, members, t, 1000, { a: 20 });
  assert.equal(groups.dominantSpeaker('red'), 'a');
  assert.deepEqual(events.at(-1), ['a', 'red']);
  assert.deepEqual(groups.of('a')?.recentSpeakers, ['a']);
});

test('recent speakers (last-N) are kept per group', () => {
  const { groups, members } = setUp(['a', 'b', 'c', 'd']);
  groups.move('c', 'red');
  groups.move('d', 'red');
  let t = speak(groups, members, 0, 1000, { a: 20, c: 20 });
  t = speak(groups, members, t, 3000, { b: 10, d: 10 });
  assert.deepEqual(groups.of('a')?.recentSpeakers, ['b', 'a']);
  assert.deepEqual(groups.of('c')?.recentSpeakers, ['d', 'c']);
});

test('a group goes when its last member leaves; the same name later starts empty', () => {
  const { groups, members, events } = setUp(['a', 'b']);
  groups.move('a', 'red');
  speak(groups, members, 0, 1000, { a: 20 });
  events.length = 0;
  groups.remove('a');
  assert.deepEqual(events, [[null, 'red']], 'its dominant speaker is gone first');
  assert.deepEqual([...groups.all].map((g) => g.name), [null]);
  assert.equal(groups.of('a'), undefined);
  groups.move('b', 'red');
  assert.deepEqual(groups.of('b')?.recentSpeakers, []);
  assert.equal(groups.dominantSpeaker('red'), null);
  groups.move('b', null);
  assert.deepEqual([...groups.all].map((g) => g.name), [null], 'the default group stays, emptied or not');
});

test('moving back to the default group joins its audio selection again', () => {
  const { groups, members } = setUp(['a', 'b'], 1);
  groups.move('a', 'red');
  let t = speak(groups, members, 0, 500, { a: 20 });
  assert.deepEqual(groups.selectAudio(t, everyoneForwards).get('b'), []);
  groups.move('a', null);
  t = speak(groups, members, t, 500, { a: 20 });
  assert.deepEqual(groups.selectAudio(t, everyoneForwards).get('b'), ['a']);
});
