import type { Participant } from './participant.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// End-to-end encryption keys travel through the server sealed for one recipient each: the server only
// passes them on, to whom the sender names, saying who sent them. It cannot open them (docs/signaling.md).

/**
 * `e2ee-keys` and `e2ee-key-request` messages one participant may send per second, and the burst it may
 * save up. A client sends one `e2ee-keys` per departure (it rotates its key), so when many leave at
 * once (the end of a large meeting, a network split) it sends as many messages in a moment: the burst
 * covers that. These do not count against the socket's general budget, which a burst like that would
 * exhaust; a client that floods beyond this is told, then disconnected like any other flood.
 */
export const E2EE_RATE = { perSecond: 20, burst: 250 } as const;

/** Refuses a sender that is no longer in the room, or that announced no identity to seal keys with. */
function checkSender(room: Room, sender: Participant): void {
  if (room.participants.get(sender.id) !== sender) throw new RoomError('wrong-state', 'you are no longer in this meeting');
  if (sender.e2ee === null) throw new RoomError('bad-request', 'announce e2ee in your join to exchange end-to-end encryption keys');
}

/**
 * Passes each sealed key to its recipient as `e2ee-key`, with `from` set here (a client cannot claim to
 * be someone else). Recipients who left meanwhile, the sender itself and recipients without e2ee (nobody
 * could have sealed a key for them) are skipped: keys race with departures all the time.
 */
export function relayKeys(room: Room, sender: Participant, keys: readonly { to: string; sealed: string }[]): void {
  checkSender(room, sender);
  for (const { to, sealed } of keys) {
    const recipient = room.participants.get(to);
    if (recipient === undefined || recipient === sender || recipient.e2ee === null) continue;
    recipient.send({ type: 'e2ee-key', from: sender.id, sealed });
  }
}

/** Asks each named participant (once, present, with e2ee, not the sender) to send the sender its current key. */
export function relayKeyRequest(room: Room, sender: Participant, from: readonly string[]): void {
  checkSender(room, sender);
  for (const id of new Set(from)) {
    const asked = room.participants.get(id);
    if (asked === undefined || asked === sender || asked.e2ee === null) continue;
    asked.send({ type: 'e2ee-key-request', from: sender.id });
  }
}

/** How many present participants cannot encrypt end to end, which forbids requiring it now. */
export function participantsWithoutE2ee(room: Room): number {
  let count = 0;
  for (const participant of room.participants.values()) if (participant.e2ee === null) count++;
  return count;
}
