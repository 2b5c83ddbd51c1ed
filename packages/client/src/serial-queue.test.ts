import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialQueue } from './serial-queue.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('runs tasks one at a time, in order, even when earlier ones are slower', async () => {
  const q = new SerialQueue();
  const log: string[] = [];
  let running = 0;
  const task = (name: string, ticks: number) => async () => {
    running++;
    assert.equal(running, 1, 'tasks overlapped');
    log.push(`start ${name}`);
    for (let i = 0; i < ticks; i++) await tick();
    log.push(`end ${name}`);
    running--;
    return name;
  };
  const results = await Promise.all([q.run(task('a', 5)), q.run(task('b', 0)), q.run(task('c', 2))]);
  assert.deepEqual(results, ['a', 'b', 'c']);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('a failing task rejects its own promise and does not block the queue', async () => {
  const q = new SerialQueue();
  const failed = q.run(async () => {
    throw new Error('bad offer');
  });
  const next = q.run(() => 42);
  await assert.rejects(failed, /bad offer/);
  assert.equal(await next, 42);
  await q.idle();
  assert.equal(q.size, 0);
});
