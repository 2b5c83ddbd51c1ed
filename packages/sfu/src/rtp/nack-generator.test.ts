import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NackGenerator } from './nack-generator.js';

function generator(options: ConstructorParameters<typeof NackGenerator>[1] = {}): { nacker: NackGenerator; sent: number[][] } {
  const sent: number[][] = [];
  const nacker = new NackGenerator((seqs) => {
    sent.push([...seqs]);
    return true;
  }, options);
  return { nacker, sent };
}

test('a gap is NACKed at once, retried at the retry interval, and counted as recovered when it arrives', () => {
  const { nacker, sent } = generator({ initialRetryMs: 100, maxRetries: 2 });
  nacker.onPacket(10, 0);
  nacker.onPacket(11, 10);
  nacker.onPacket(14, 20);
  assert.deepEqual(sent, [[12, 13]]);
  nacker.tick(50);
  assert.equal(sent.length, 1, 'retried before the interval');
  nacker.tick(120);
  assert.deepEqual(sent[1], [12, 13]);
  nacker.onPacket(12, 130);
  nacker.tick(230);
  assert.deepEqual(sent[2], [13]);
  nacker.tick(340);
  assert.equal(sent.length, 3, 'more than 1 + maxRetries NACKs');
  nacker.onPacket(13, 400);
  assert.deepEqual(nacker.snapshot(), { nackPackets: 3, requested: 2, requests: 5, recovered: 2, unrecovered: 0, pending: 0, repairTimeMs: -1 });
});

test('what is still missing after giveUpMs counts as unrecovered; duplicates and old packets change nothing', () => {
  const { nacker } = generator({ giveUpMs: 1000 });
  nacker.onPacket(1, 0);
  nacker.onPacket(3, 0);
  nacker.onPacket(3, 5);
  nacker.tick(999);
  assert.equal(nacker.snapshot().pending, 1);
  nacker.tick(1000);
  nacker.onPacket(2, 1100);
  assert.deepEqual({ ...nacker.snapshot(), nackPackets: 0, requests: 0 }, { nackPackets: 0, requested: 1, requests: 0, recovered: 0, unrecovered: 1, pending: 0, repairTimeMs: -1 });
});

test('gaps across the sequence number wrap are NACKed with their 16-bit numbers; a repair with one NACK is a round-trip sample', () => {
  const { nacker, sent } = generator({ minRetryMs: 1 });
  nacker.onPacket(0xfffe, 0);
  nacker.onPacket(1, 0);
  assert.deepEqual(sent, [[0xffff, 0]]);
  nacker.onPacket(0xffff, 8);
  nacker.onPacket(0, 8);
  const s = nacker.snapshot();
  assert.equal(s.recovered, 2);
  assert.equal(s.repairTimeMs, 8);
});

test('a jump beyond maxGap is a new numbering, not loss', () => {
  const { nacker, sent } = generator({ maxGap: 100 });
  nacker.onPacket(100, 0);
  nacker.onPacket(5000, 0);
  assert.deepEqual(sent, []);
  assert.equal(nacker.snapshot().pending, 0);
});
