import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedSerialQueue } from './keyed-serial-queue.js';

test('tasks of one key finish in the order they were queued, a slow one first included; other keys do not wait', async () => {
  const queue = new KeyedSerialQueue<number>();
  const done: string[] = [];
  const slow = queue.run(1, async () => {
    await sleep(40);
    done.push('1 slow');
  });
  const fast = queue.run(1, () => done.push('1 fast'));
  const other = queue.run(2, () => done.push('2'));
  await Promise.all([slow, fast, other]);
  assert.deepEqual(done, ['2', '1 slow', '1 fast']);
  await sleep(0);
  assert.equal(queue.size, 0, 'nothing stays queued');
});

test('a failed task rejects its own promise only; the next one still runs', async () => {
  const queue = new KeyedSerialQueue<string>();
  const failed = queue.run('k', () => Promise.reject(new Error('boom')));
  const next = queue.run('k', () => 42);
  await assert.rejects(failed, /boom/);
  assert.equal(await next, 42);
});
