// Waits on what a participant's page shows or its SDK room reports, shared by the e2e tests.
import type { Participant } from './participant.js';
import { waitFor } from './wait.js';

/** Generous: a 2-core machine runs the server and several browsers at once. */
const STEP_TIMEOUT = 60_000;

/** What the page says, as a person reads it. */
export const pageText = (p: Participant): Promise<string> =>
  p.page.evaluate(() => {
    const g = globalThis as unknown as { document: { body: { innerText: string } | null } };
    return g.document.body?.innerText ?? '';
  }, undefined);

/** Waits until the page text matches `pattern` and returns it; `what` names it in the timeout message. */
export async function waitForText(p: Participant, what: string, pattern: RegExp, timeoutMs = STEP_TIMEOUT): Promise<string> {
  return waitFor(`${p.name} (${p.engine}) to show ${what}`, timeoutMs, async (note) => {
    const seen = await pageText(p);
    note(JSON.stringify(seen.replace(/\s+/g, ' ').slice(0, 400)));
    return pattern.test(seen) ? seen : undefined;
  }, 250);
}

/** Waits until the participant's SDK room is connected to the server. */
export async function waitUntilConnected(p: Participant, timeoutMs = STEP_TIMEOUT, intervalMs = 250): Promise<void> {
  await waitFor(`${p.name} (${p.engine}) to be connected`, timeoutMs, async (note) => {
    const sdk = await p.sdkRemotes();
    note(`connection state ${sdk?.state ?? '(no room yet)'}`);
    return sdk?.state === 'connected' ? true : undefined;
  }, intervalMs);
}
