// One shared timer drives every publisher in the process: with dozens of bots, one interval that
// visits all sources costs far less than one timer per stream. Each source computes how many
// packets are due from elapsed time, so timer jitter changes burstiness, not the average rate.

type Tick = (nowMs: number) => void;

const TICK_MS = 10;
const ticks = new Set<Tick>();
let timer: NodeJS.Timeout | null = null;

export function addTick(tick: Tick, now: () => number): () => void {
  ticks.add(tick);
  if (timer === null) {
    timer = setInterval(() => {
      const t = now();
      for (const fn of ticks) fn(t);
    }, TICK_MS);
  }
  return () => {
    ticks.delete(tick);
    if (ticks.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}
