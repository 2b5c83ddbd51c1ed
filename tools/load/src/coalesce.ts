// Batching of a bot process's wake-ups. node-datachannel hands every received packet to JavaScript
// through a thread-safe function, and each of those is a libuv async handle: whenever the event loop
// wakes for one of them it walks every async handle in the process (thousands with dozens of bots, a
// few per track). An otherwise idle bot process wakes once per packet, so that walk, not the bots'
// own work, was the largest part of its main thread (perf at 50 participants, bench/RESULTS.md).
//
// Sleeping the JavaScript thread for a few milliseconds at a time lets packets queue meanwhile (the
// queues are unbounded and the sockets are read by libdatachannel's threads, so nothing is dropped);
// the next wake-up then handles all of them. The price: arrival times are taken up to `ms` late,
// which the reported latency includes.

/** Puts the event loop to sleep for `ms` between turns until the returned function is called. */
export function coalesceWakeups(ms: number): () => void {
  if (!(ms > 0)) return () => {};
  const cell = new Int32Array(new SharedArrayBuffer(4));
  let running = true;
  const pause = (): void => {
    if (!running) return;
    // Blocks this thread without spinning; nothing ever notifies the cell, so it always times out.
    Atomics.wait(cell, 0, 0, ms);
    // An immediate keeps the loop's poll phase non-blocking: each turn handles what queued, then sleeps again.
    setImmediate(pause);
  };
  setImmediate(pause);
  return () => {
    running = false;
  };
}
