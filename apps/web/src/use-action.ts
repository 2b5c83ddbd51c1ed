import { useState } from 'preact/hooks';
import { ApiFailure } from './api.js';
import { text } from './strings.js';

/** A failed API call in the active language: by the server's error code, its own words only for codes the app does not know. */
export const describeError = (error: unknown): string =>
  error instanceof ApiFailure ? text.apiProblem(error.code, error.message) : error instanceof Error ? error.message : String(error);

/** Buttons that call the HTTP API: busy while one runs (to disable them), and its failure to show. */
export function useAction(): {
  busy: boolean;
  problem: string | null;
  run: (action: () => Promise<unknown>, failed?: string) => Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>, failed?: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (e) {
      setProblem(failed ? `${failed} ${describeError(e)}` : describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, run };
}
