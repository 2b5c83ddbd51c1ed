import type { Reaction } from '@treff/protocol';
import { newShortId } from '../ids.js';
import type { Participant } from './participant.js';
import { checkChatContent } from './e2ee-policy.js';
import { authorize } from './moderation.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// Chat, raised hands and reactions: what participants do together, checked against the permissions table.

/** Chat messages per second one participant may send, and the burst they may save up. */
export const CHAT_RATE = { perSecond: 5, burst: 10 } as const;
/** One reaction per 300 ms, up to five in a quick row. */
export const REACTION_RATE = { perSecond: 1000 / 300, burst: 5 } as const;

/** What a chat message says: plain text, or sealed end to end by the sender (the server never opens it). */
export type ChatContent = { text: string } | { sealed: string };

/**
 * Sends a chat message to everyone, or privately to `to` (and back to the sender); keeps it for the
 * meeting's history. Sealed messages go the same way, under the same limits, as they came; a room that
 * requires end-to-end encryption takes sealed ones only.
 */
export function sendChat(room: Room, sender: Participant, content: ChatContent, to: string | undefined): void {
  authorize(room, sender, 'chat');
  checkChatContent(room, content);
  const recipient = to === undefined ? null : room.participants.get(to);
  if (recipient === undefined) throw new RoomError('not-found', 'that participant is not in this meeting');
  if (recipient === sender) throw new RoomError('bad-request', 'you cannot send a private message to yourself');
  if (!sender.chatBucket.take()) throw new RoomError('rate-limited', `too many chat messages: at most ${CHAT_RATE.perSecond} per second`);
  // Public chat is the sender's room's: in a breakout room only those in it read it.
  const breakout = recipient === null && sender.breakout !== null ? { breakout: sender.breakout } : {};
  const message = { id: newShortId(), from: sender.id, fromName: sender.name, to: recipient?.id ?? null, ...content, at: Date.now(), ...breakout };
  room.chat.add(message);
  const event = { type: 'chat-message', ...message } as const;
  if (recipient === null) {
    for (const participant of room.participants.values()) if (participant.breakout === sender.breakout) participant.send(event);
  } else {
    recipient.send(event);
    sender.send(event);
  }
}

export function raiseHand(room: Room, participant: Participant, raised: boolean): void {
  authorize(room, participant, 'raise-hand');
  const changed = raised ? room.hands.raise(participant.id) : room.hands.lower(participant.id);
  if (changed) room.broadcast({ type: 'hands', queue: room.hands.queue });
}

/** Hosts and co-hosts lower someone's hand (their own too); lowering a hand that is not raised changes nothing. */
export function lowerHand(room: Room, actor: Participant, participantId: string): void {
  authorize(room, actor, 'lower-hand');
  if (!room.participants.has(participantId)) throw new RoomError('not-found', 'that participant is not in this meeting');
  if (room.hands.lower(participantId)) room.broadcast({ type: 'hands', queue: room.hands.queue });
}

export function react(room: Room, sender: Participant, emoji: Reaction): void {
  authorize(room, sender, 'react');
  if (!sender.reactionBucket.take()) throw new RoomError('rate-limited', 'too many reactions: at most one every 300 ms');
  // Like public chat, a reaction is the sender's room's: in a breakout room only those in it see it.
  const event = { type: 'reaction', from: sender.id, emoji } as const;
  for (const participant of room.participants.values()) if (participant.breakout === sender.breakout) participant.send(event);
}
