// One clock for send stamps and arrival times. Wall-clock based (time origin + monotonic offset)
// so that stamps written by one process can be compared with arrival times in another process on
// the same machine, with sub-millisecond resolution.

export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
