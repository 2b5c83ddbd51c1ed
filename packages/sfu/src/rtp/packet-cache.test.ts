import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketCache } from './packet-cache.js';
import { makeRtp } from './testkit.js';

test('stores and returns packets by sequence number', () => {
  const cache = new PacketCache();
  assert.equal(cache.capacity, 1024);
  const a = makeRtp({ sequenceNumber: 10, timestamp: 0xfffffff0 });
  cache.put(10, a);
  assert.equal(cache.get(10), a);
  assert.equal(cache.timestampOf(10), 0xfffffff0);
  assert.equal(cache.get(11), undefined);
  assert.equal(cache.timestampOf(11), -1);
});

test('a slot reused by a later sequence number does not answer for the old one', () => {
  const cache = new PacketCache(16);
  const a = makeRtp({ sequenceNumber: 3 });
  const b = makeRtp({ sequenceNumber: 19 });
  cache.put(3, a);
  cache.put(19, b); // same slot (19 & 15 === 3)
  assert.equal(cache.get(3), undefined);
  assert.equal(cache.get(19), b);
});

test('works across the 16-bit wrap and reduces out-of-range input', () => {
  const cache = new PacketCache(8);
  const p = makeRtp({ sequenceNumber: 65535 });
  const q = makeRtp({ sequenceNumber: 0 });
  cache.put(65535, p);
  cache.put(65536, q); // treated as 0
  assert.equal(cache.get(65535), p);
  assert.equal(cache.get(0), q);
});

test('capacity rounds up to a power of two', () => {
  assert.equal(new PacketCache(1000).capacity, 1024);
  assert.equal(new PacketCache(1).capacity, 1);
  assert.equal(new PacketCache(0).capacity, 1);
  assert.equal(new PacketCache(1e9).capacity, 32768);
});

test('clear empties every slot', () => {
  const cache = new PacketCache(4);
  for (let s = 0; s < 4; s++) cache.put(s, makeRtp({ sequenceNumber: s }));
  cache.clear();
  for (let s = 0; s < 4; s++) assert.equal(cache.get(s), undefined);
});

test('a runt packet is stored without reading past its end', () => {
  const cache = new PacketCache(4);
  cache.put(1, Buffer.from([1, 2]));
  assert.equal(cache.timestampOf(1), 0);
});
