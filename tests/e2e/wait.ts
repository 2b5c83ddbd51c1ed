// Bounded polling: every wait in the e2e tests has a deadline and says what it was waiting for.
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

/**
 * Calls `probe` every `intervalMs` until it returns something other than undefined, then returns that.
 * On timeout, throws with `what` and the last detail `probe` reported through `note`, so a failure says
 * what was seen, not only that time ran out.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: (note: (detail: string) => void) => Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let detail = '';
  let lastError: unknown;
  const note = (d: string): void => {
    detail = d;
  };
  for (;;) {
    try {
      const result = await probe(note);
      if (result !== undefined) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? ` (last seen: ${detail})` : ''}${cause}`);
    }
    await sleep(intervalMs);
  }
}
