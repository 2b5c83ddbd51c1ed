// Latency samples of one stream: exact count/mean/max, percentiles from a bounded reservoir
// (Vitter's algorithm R) so that long runs keep constant memory.

const RESERVOIR_SIZE = 4096;

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyRecorder {
  private count = 0;
  private sum = 0;
  private max = 0;
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (this.samples.length < RESERVOIR_SIZE) {
      this.samples.push(ms);
    } else {
      const j = Math.floor(Math.random() * this.count);
      if (j < RESERVOIR_SIZE) this.samples[j] = ms;
    }
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.max = 0;
    this.samples.length = 0;
  }

  /** Raw reservoir, for merging several streams into one summary. */
  get reservoir(): readonly number[] {
    return this.samples;
  }

  summary(): LatencySummary {
    return summarize(this.samples, this.count, this.sum, this.max);
  }
}

export function summarize(samples: readonly number[], count = samples.length, sum?: number, max?: number): LatencySummary {
  if (count === 0 || samples.length === 0) return { count: 0, meanMs: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const total = sum ?? samples.reduce((a, b) => a + b, 0);
  return { count, meanMs: total / count, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: max ?? sorted[sorted.length - 1]! };
}
