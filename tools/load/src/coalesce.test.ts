import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { coalesceWakeups } from './coalesce.js';

/** How often a 1 ms interval fires in `ms` of wall time. */
async function intervalFirings(ms: number): Promise<number> {
  let fired = 0;
  const timer = setInterval(() => fired++, 1);
  await new Promise((resolve) => setTimeout(resolve, ms));
  clearInterval(timer);
  return fired;
}

test('coalesceWakeups: the loop turns about once per sleep while it runs, and normally again once stopped', async () => {
  const stop = coalesceWakeups(40);
  const coalesced = await intervalFirings(240);
  stop();
  const normal = await intervalFirings(240);
  // 240 ms of 40 ms sleeps is at most 7 turns; a free loop runs a 1 ms interval far more often.
  assert.ok(coalesced <= 8, `fired ${coalesced} times while coalescing`);
  assert.ok(normal > 2 * coalesced, `fired ${normal} times after stop vs ${coalesced} while coalescing`);
});

test('coalesceWakeups: what another thread sends meanwhile queues and all of it arrives, in order', async () => {
  // A worker posting every millisecond stands in for libdatachannel's threads calling into JavaScript.
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let i = 0;
     const t = setInterval(() => { parentPort.postMessage(i++); if (i === 200) clearInterval(t); }, 1);`,
    { eval: true },
  );
  const stop = coalesceWakeups(20);
  const received: number[] = [];
  const arrivals = new Set<number>(); // distinct loop turns, told apart by the time they ran
  await new Promise<void>((resolve) => {
    worker.on('message', (n: number) => {
      received.push(n);
      arrivals.add(Math.floor(performance.now()));
      if (n === 199) resolve();
    });
  });
  stop();
  await worker.terminate();
  assert.deepEqual(received, Array.from({ length: 200 }, (_, i) => i));
  assert.ok(arrivals.size < 100, `200 messages arrived in ${arrivals.size} distinct milliseconds: not batched`);
});
