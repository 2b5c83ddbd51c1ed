import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PENDING, PENDING_MS, Placement } from './placement.js';

function twoWorkers() {
  let now = 1000;
  const placement = new Placement(() => now);
  placement.workerUp(0);
  placement.workerUp(1);
  return { placement, advance: (ms: number) => (now += ms) };
}

test('connections for a new room all go to one worker, the least busy, until it reports the meeting', () => {
  const { placement } = twoWorkers();
  placement.report(0, [{ key: 1, ids: ['busy'], size: 5 }]);
  assert.equal(placement.connect('fresh'), 1);
  assert.equal(placement.connect('fresh'), 1, 'a second connection before the report goes to the same worker');
  assert.equal(placement.find('fresh'), 1);
  placement.report(1, [{ key: 2, ids: ['fresh'], size: 2 }]);
  assert.equal(placement.connect('fresh'), 1);
  assert.equal(placement.connect('busy'), 0);
});

test('a meeting answers to all its ids: after a link rotation the old id still finds it', () => {
  const { placement } = twoWorkers();
  placement.report(1, [{ key: 7, ids: ['new', 'old'], size: 3 }]);
  assert.equal(placement.find('old'), 1);
  assert.equal(placement.find('new'), 1);
  placement.report(1, []);
  assert.equal(placement.find('old'), null, 'an ended meeting is found nowhere');
});

test('a room whose first connection never started a meeting is forgotten after a while', () => {
  const { placement, advance } = twoWorkers();
  placement.connect('typo');
  advance(PENDING_MS + 1);
  assert.equal(placement.find('typo'), null);
});

test('pending rooms count as load, so new rooms spread over the workers', () => {
  const { placement } = twoWorkers();
  const first = placement.connect('a');
  const second = placement.connect('b');
  assert.notEqual(first, second);
});

test('a worker that goes down takes its meetings and pending rooms with it; none up means no worker', () => {
  const { placement } = twoWorkers();
  placement.report(0, [{ key: 1, ids: ['x'], size: 4 }]);
  assert.equal(placement.connect('y'), 1);
  placement.workerDown(0);
  placement.workerDown(1);
  assert.equal(placement.find('x'), null);
  assert.equal(placement.find('y'), null);
  assert.deepEqual(placement.sizes(), []);
  assert.equal(placement.connect('x'), null);
  placement.workerUp(1);
  assert.equal(placement.connect('x'), 1);
});

test('sizes lists every worker\'s meetings by key', () => {
  const { placement } = twoWorkers();
  placement.report(0, [{ key: 1, ids: ['a'], size: 4 }]);
  placement.report(1, [{ key: 2, ids: ['b'], size: 9 }]);
  assert.deepEqual(placement.sizes().sort(), [[1, 4], [2, 9]]);
});

test('a flood of made-up room ids keeps at most MAX_PENDING waiting, dropping the oldest', () => {
  const { placement } = twoWorkers();
  const first = placement.connect('first');
  for (let i = 0; i < MAX_PENDING; i++) placement.connect(`made-up-${i}`);
  assert.equal(placement.find('first'), null, 'the oldest went');
  assert.notEqual(placement.find(`made-up-${MAX_PENDING - 1}`), null);
  assert.notEqual(first, null);
  // Still spread evenly: the counts per worker stayed right through the drops.
  const next = [placement.connect('x'), placement.connect('y')];
  assert.deepEqual(next.sort(), [0, 1]);
});

test('a key is granted to one worker: a second claim elsewhere is refused until the first worker\'s meeting ends', () => {
  const { placement } = twoWorkers();
  const meeting = { key: 9, ids: ['nine'], size: 0 };
  assert.equal(placement.claim(0, meeting), true);
  assert.equal(placement.claim(0, meeting), true, 'the owner may claim again');
  assert.equal(placement.claim(1, meeting), false);
  assert.equal(placement.connect('nine'), 0, 'connections follow the claim at once');
  // A report of worker 1 listing the key (it never got it) does not take it from worker 0.
  placement.report(1, [{ key: 9, ids: ['nine'], size: 3 }]);
  assert.equal(placement.ownerOf(9), 0);
  assert.equal(placement.find('nine'), 0);
  placement.report(0, [{ key: 9, ids: ['nine'], size: 2 }]);
  placement.report(0, []);
  assert.equal(placement.ownerOf(9), null);
  assert.equal(placement.claim(1, meeting), true);
  placement.workerDown(1);
  assert.equal(placement.ownerOf(9), null, 'a worker that went down owns nothing');
  assert.equal(placement.claim(1, meeting), false, 'nor can it claim');
});
