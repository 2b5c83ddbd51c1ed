import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlotSources } from './slot-sources.js';

test('slot sources: offers set them, slot-sources switch them, unchanged slots keep their start', () => {
  const s = new SlotSources();
  s.applyOffer(
    [
      { mid: '0', kind: 'audio', direction: 'send' },
      { mid: '2', kind: 'video', direction: 'recv', participantId: 'a' },
      { mid: '3', kind: 'video', direction: 'recv', participantId: null },
    ],
    100,
  );
  assert.equal(s.sourceOf('2'), 'a');
  assert.equal(s.sourceOf('3'), null);
  assert.equal(s.sourceOf('0'), null);
  assert.deepEqual(
    s.applySources(
      [
        { mid: '3', participantId: 'b' },
        { mid: '2', participantId: 'a' }, // no change
        { mid: '0', participantId: 'x' }, // a send slot carries no source
        { mid: '9', participantId: 'y' }, // unknown
      ],
      200,
    ),
    [{ mid: '3', from: null, to: 'b' }],
  );
  assert.equal(s.switches, 1);
  assert.equal(s.unknownMids, 2);
  assert.equal(s.get('3')?.since, 200);
  assert.deepEqual(s.midsCarrying('b'), ['3']);
  assert.deepEqual(
    s.current().find((x) => x.mid === '3'),
    { mid: '3', kind: 'video', direction: 'recv', participantId: 'b' },
  );
  // A re-offer that keeps mid 2 on 'a' keeps its start; mid 3 recycled to audio starts anew.
  s.applyOffer(
    [
      { mid: '2', kind: 'video', direction: 'recv', participantId: 'a' },
      { mid: '3', kind: 'audio', direction: 'recv', participantId: 'b' },
    ],
    300,
  );
  assert.equal(s.get('2')?.since, 100);
  assert.equal(s.get('3')?.since, 300);
  assert.equal(s.get('0'), undefined);
  s.applySources([{ mid: '2', participantId: null }], 400);
  assert.equal(s.sourceOf('2'), null);
  assert.equal(s.switches, 2);
});
