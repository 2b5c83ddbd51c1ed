import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpgradeBackoff, allocateVideo, fittingLayer, type LayerInfo, type VideoRequest } from './video-allocator.js';

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

test('a short downlink gives everyone the low layer first, then upgrades in priority order, keeping 15% spare', () => {
  // 1 Mbps: three low layers (450 kbps) fit; 550 kbps left, of which 150 kbps stay spare: one upgrade to 360p (+350 kbps).
  assert.deepEqual(allocateVideo([request(720), request(720), request(720)], 1_000_000), [1, 0, 0]);
  // 2.5 Mbps: 2.05 Mbps left after the low layers, 375 kbps spare: the first video goes to 720p (+1.35 Mbps), no more.
  assert.deepEqual(allocateVideo([request(720), request(720), request(720)], 2_500_000), [2, 0, 0]);
});

test('when even the low layers do not fit, the least important videos are not sent', () => {
  const flowing = { current: 0 };
  assert.deepEqual(allocateVideo([request(180, flowing), request(180, flowing), request(180, flowing)], 300_000), [0, 0, -1]);
});

test('a video not sent now starts only with 15% of the estimate spare after it; one that flows needs no spare', () => {
  // 1 Mbps: six low layers (900 kbps) would fit, but a starting one must leave 150 kbps: five start.
  const six = Array.from({ length: 6 }, () => request(180));
  assert.deepEqual(allocateVideo(six, 1_000_000), [0, 0, 0, 0, 0, -1]);
  // The same six already flowing keep going at that estimate, and a dip to 850 kbps stops only the last.
  const flowing = Array.from({ length: 6 }, () => request(180, { current: 0 }));
  assert.deepEqual(allocateVideo(flowing, 1_000_000), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(allocateVideo(flowing, 850_000), [0, 0, 0, 0, 0, -1]);
  // Stopped at the dip, it comes back only once the estimate carries it plus the spare, not at 910 kbps.
  const afterDip = [...flowing.slice(0, 5), request(180, { current: -1 })];
  assert.deepEqual(allocateVideo(afterDip, 910_000), [0, 0, 0, 0, 0, -1]);
  assert.deepEqual(allocateVideo(afterDip, 1_060_000), [0, 0, 0, 0, 0, 0]);
});

test('what a subscriber gets now is kept as long as the estimate carries it, without the upgrade spare', () => {
  // 800 kbps: lows 300 kbps; the first keeps its 360p (+350 kbps) though that leaves less than 15% spare.
  assert.deepEqual(allocateVideo([request(720, { current: 1 }), request(720, { current: 0 })], 800_000), [1, 0]);
  assert.deepEqual(allocateVideo([request(720, { current: 0 })], 550_000), [0], 'an upgrade to 360p would leave less than 15% spare');
  assert.deepEqual(allocateVideo([request(720, { current: 1 })], 550_000), [1], 'while 360p, once there, is kept');
  assert.deepEqual(allocateVideo([request(720, { current: 0 })], Infinity, false), [0], 'no upgrades while held back');
  assert.deepEqual(allocateVideo([request(720, { current: 2 })], Infinity, false), [2], 'but what flows is kept');
});

test('upgrades after a setback wait 4 s, then twice as long each time, and the wait is forgotten after 30 s of calm', () => {
  const backoff = new UpgradeBackoff();
  assert.ok(backoff.allowed(0));
  backoff.setback(0);
  assert.ok(!backoff.allowed(3999));
  assert.ok(backoff.allowed(4000));
  backoff.setback(5000);
  assert.ok(!backoff.allowed(12_999));
  assert.ok(backoff.allowed(13_000));
  assert.ok(backoff.allowed(50_000)); // 45 s after the last setback: the hold resets
  backoff.setback(50_000);
  assert.ok(backoff.allowed(54_000), 'back to a 4 s hold');
});

test('a non-simulcast publisher has one layer, sent whatever the tile size', () => {
  const single: VideoRequest = { layers: [{ active: true, height: 0, bitrateBps: 800_000 }], tileHeight: 1080, topLayerAllowed: false };
  assert.deepEqual(allocateVideo([single], Infinity), [0]);
});
