import type { ConnectionState } from '@treff/client';

/**
 * Whether a `participant-joined` is someone arriving after us. The SDK also emits it for everyone already in
 * the room when our join (or resume) lands, and then we are not yet `connected`: those are not news.
 */
export function isArrival(state: ConnectionState): boolean {
  return state === 'connected';
}
