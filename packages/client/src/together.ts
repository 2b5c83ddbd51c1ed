import type { ClientMessage, Reaction } from '@treff/protocol';
import { LIMITS, REACTIONS } from '@treff/protocol';

// Builders for chat, hand and reaction messages. They refuse what the server would refuse anyway, so an
// app learns of a mistake at once; the server still checks everything (and rate-limits).

export function chatMessage(text: string, to: string | undefined): ClientMessage {
  if (text.trim().length === 0) throw new RangeError('chat: the message is empty');
  if (text.length > LIMITS.chatText) throw new RangeError(`chat: at most ${LIMITS.chatText} characters`);
  return to === undefined ? { type: 'chat', text } : { type: 'chat', text, to };
}

export function reactionMessage(emoji: string): ClientMessage {
  if (!isReaction(emoji)) throw new RangeError(`reaction: one of ${REACTIONS.join(' ')}`);
  return { type: 'reaction', emoji };
}

export const isReaction = (emoji: string): emoji is Reaction => (REACTIONS as readonly string[]).includes(emoji);
