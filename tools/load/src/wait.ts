// Bounded waiting: every wait in the bots and tests has a deadline and says what it waited for.

export class WaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, detail?: string) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? ` (${detail})` : ''}`);
    this.name = 'WaitTimeoutError';
  }
}

export interface WaitOptions {
  timeoutMs: number;
  /** Human-readable description, used in the timeout error. */
  what: string;
  intervalMs?: number;
  /** Extra state to print on timeout (called once, on failure). */
  describe?: () => string;
}

/**
 * Polls `condition` until it is true; rejects with WaitTimeoutError at the deadline. A condition that asks
 * a server (an async one) is awaited; a plain one is read in the same turn, as before.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, options: WaitOptions): Promise<void> {
  const interval = options.intervalMs ?? 20;
  const deadline = Date.now() + options.timeoutMs;
  const holds = async (): Promise<boolean> => {
    const result = condition();
    return typeof result === 'boolean' ? result : await result;
  };
  while (!(await holds())) {
    if (Date.now() >= deadline) throw new WaitTimeoutError(options.what, options.timeoutMs, options.describe?.());
    await sleep(interval);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
