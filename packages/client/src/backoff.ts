export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Upper bound for any single delay, in ms. */
  maxMs: number;
  /** Fraction of the delay randomised, so many clients dropped at once do not reconnect in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5000, jitter: 0.2 };

/**
 * Delay before reconnect attempt `attempt` (0 = first retry): exponential, capped, with jitter
 * that only ever shortens the delay so the cap stays a real upper bound.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponential = options.initialMs * 2 ** Math.max(0, attempt);
  const capped = Math.min(options.maxMs, exponential);
  return Math.round(capped * (1 - options.jitter * random()));
}
