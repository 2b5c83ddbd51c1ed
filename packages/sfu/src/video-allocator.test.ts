import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateVideo, fittingLayer, type LayerInfo, type VideoRequest } from './video-allocator.js';

const simulcast = (active = [true, true, true]): LayerInfo[] => [
  { active: active[0]!, height: 180, bitrateBps: 150_000 },
  { active: active[1]!, height: 360, bitrateBps: 500_000 },
  { active: active[2]!, height: 720, bitrateBps: 1_500_000 },
];
const request = (tileHeight: number, extra: Partial<VideoRequest> = {}): VideoRequest => ({ layers: simulcast(), tileHeight, topLayerAllowed: true, ...extra });

test('each tile gets the smallest layer that fills it', () => {
  assert.deepEqual(allocateVideo([request(90), request(180), request(300), request(700), request(2000)], Infinity), [0, 0, 1, 2, 2]);
  assert.equal(fittingLayer(request(0)), 0, 'a zero-sized tile gets the lowest layer');
});

test('without the top layer allowed (not a recent speaker), a large tile gets the middle layer', () => {
  assert.deepEqual(allocateVideo([request(720, { topLayerAllowed: false })], Infinity), [1]);
});

test('inactive layers are skipped: a publisher that switched its top layer off is sent its next best', () => {
  assert.deepEqual(allocateVideo([request(720, { layers: simulcast([true, true, false]) })], Infinity), [1]);
  assert.deepEqual(allocateVideo([request(720, { layers: simulcast([false, false, true]) })], Infinity), [2]);
  assert.deepEqual(allocateVideo([request(720, { layers: simulcast([false, false, false]) })], Infinity), [-1]);
});

test('a short downlink gives everyone the low layer first, then upgrades in priority order', () => {
  // 0.9 × 1 Mbps = 900 kbps: three low layers (450 kbps) fit, then one upgrade to the middle layer (+350 kbps).
  assert.deepEqual(allocateVideo([request(720), request(720), request(720)], 1_000_000), [1, 0, 0]);
  // 2.5 Mbps (2.25 usable): the first video goes to 720p (+1.35 Mbps), the second to 360p.
  assert.deepEqual(allocateVideo([request(720), request(720), request(720)], 2_500_000), [2, 1, 0]);
});

test('when even the low layers do not fit, the least important videos are not sent', () => {
  assert.deepEqual(allocateVideo([request(180), request(180), request(180)], 300_000), [0, -1, -1]);
});

test('a non-simulcast publisher has one layer, sent whatever the tile size', () => {
  const single: VideoRequest = { layers: [{ active: true, height: 0, bitrateBps: 800_000 }], tileHeight: 1080, topLayerAllowed: false };
  assert.deepEqual(allocateVideo([single], Infinity), [0]);
});
