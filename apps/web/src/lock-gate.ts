/**
 * Whether the pre-join screen holds Join back: a locked room admits only host-link holders and the group's
 * admins (docs/signaling.md), so anyone else would only be refused. The page re-reads the summary meanwhile.
 */
export function blockedByLock(summary: { locked: boolean } | null, canPassLock: boolean): boolean {
  return summary?.locked === true && !canPassLock;
}

/** How often a held-back pre-join screen asks whether the room is still locked. */
export const LOCK_POLL_MS = 4000;
