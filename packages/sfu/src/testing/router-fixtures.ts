import { setImmediate as nextTurn } from 'node:timers/promises';

/** Lets a router's allocation run: it runs on the next turn of the event loop after a change. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTurn();
}
