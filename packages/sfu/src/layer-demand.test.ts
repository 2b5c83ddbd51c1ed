import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LayerDemand } from './layer-demand.js';

test('all layers stay on until the demand has been lower for the hold time', () => {
  const demand = new LayerDemand(3, 5000);
  assert.equal(demand.count, 3);
  assert.equal(demand.update(2, 0), null, 'everything wanted: nothing to announce');
  assert.equal(demand.update(0, 1000), null);
  assert.equal(demand.update(0, 5999), null);
  assert.equal(demand.update(0, 6000), 1, 'after 5 s of low demand only the lowest layer is sent');
  assert.equal(demand.count, 1);
});

test('more layers are asked for at once', () => {
  const demand = new LayerDemand(3, 5000);
  demand.update(0, 0);
  demand.update(0, 5000);
  assert.equal(demand.count, 1);
  assert.equal(demand.update(1, 5100), 2);
  assert.equal(demand.update(2, 5200), 3);
  assert.equal(demand.update(2, 5300), null);
});

test('a demand that comes back before the hold time resets it', () => {
  const demand = new LayerDemand(3, 5000);
  demand.update(0, 0);
  assert.equal(demand.update(2, 4000), null, 'back to everything: no change');
  assert.equal(demand.update(0, 6000), null, 'the hold starts again');
  assert.equal(demand.update(0, 11_000), 1);
});

test('the lowest layer is never paused, even when nobody watches', () => {
  const demand = new LayerDemand(3, 1000);
  demand.update(-1, 0);
  assert.equal(demand.update(-1, 1000), 1);
  assert.equal(demand.count, 1);
});

test('a stream without simulcast has nothing to pause', () => {
  const demand = new LayerDemand(1, 1000);
  assert.equal(demand.update(-1, 0), null);
  assert.equal(demand.update(-1, 5000), null);
  assert.equal(demand.count, 1);
});
