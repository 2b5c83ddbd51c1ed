import type { ClientMessage, MessageOf } from '@treff/protocol';
import { KEY_BUDGET } from './key-exchange-budget.js';
import type { Participant } from './participant.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// End-to-end encryption keys travel through the server sealed for one recipient each: the server only
// passes them on, to whom the sender names, saying who sent them. It cannot open them (docs/signaling.md).

type KeyMessage = MessageOf<ClientMessage, 'e2ee-keys'> | MessageOf<ClientMessage, 'e2ee-key-request'>;

/**
 * Charges a key message to its sender's key-exchange budget (key-exchange-budget.ts), instead of the
 * socket's general one, which a burst of rotations would exhaust. False: over budget, refuse it.
 */
export function chargeKeyMessage(room: Room, sender: Participant, message: KeyMessage): boolean {
  const what = message.type === 'e2ee-keys' ? { recipients: message.keys.map((k) => k.to) } : { asked: message.from.length };
  return sender.keyExchange.spend(room.capacity, what);
}

/** The refusal for a key message over budget. */
export function keyBudgetExceeded(room: Room): string {
  return `too many end-to-end encryption keys: at most ${KEY_BUDGET.perSecondPerSeat * room.capacity} per second in this meeting`;
}

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

/**
 * Asks each named participant (present, with e2ee, not the sender) to send the sender its current key.
 * Each is asked by one requester at most once every few seconds (KEY_ASK_INTERVAL_MS); further asks are
 * dropped silently, so a requester cannot make others flood the server with answers.
 */
export function relayKeyRequest(room: Room, sender: Participant, from: readonly string[]): void {
  checkSender(room, sender);
  for (const id of from) {
    const asked = room.participants.get(id);
    if (asked === undefined || asked === sender || asked.e2ee === null) continue;
    if (asked.keyExchange.ask(sender.id)) asked.send({ type: 'e2ee-key-request', from: sender.id });
  }
}
