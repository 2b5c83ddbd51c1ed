import type { RoomError } from '@treff/client';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { text } from './strings.js';

/** The meeting's toast; components inside it say how their actions went through it. */
export const Toast = createContext<(message: string) => void>(() => undefined);

/** Told before a remove goes out, so the departure that follows reads as a removal (see DepartureNotes). */
export const Removing = createContext<(participantId: string) => void>(() => undefined);

/**
 * For a moderation, settings or report call: the SDK returns false when the message could not go out
 * (socket down, not joined yet), which would otherwise look like a click that did nothing.
 */
export function sayIfUnsent(sent: boolean, say: (message: string) => void): boolean {
  if (!sent) say(text.notSent);
  return sent;
}

/** `sayIfUnsent` with the meeting's toast. */
export function useSentCheck(): (sent: boolean) => boolean {
  const say = useContext(Toast);
  return (sent) => sayIfUnsent(sent, say);
}

/**
 * The toast for a non-fatal SDK error that answers one of our actions (the server refused it) or says
 * end-to-end encryption failed, or null for the others: connection trouble has its own toast, and the rest
 * are for the console only.
 */
export function actionErrorToast(error: Pick<RoomError, 'code' | 'message' | 'fatal'>): string | null {
  if (error.fatal) return null;
  switch (error.code) {
    case 'forbidden':
    case 'not-found':
    case 'bad-request':
    case 'wrong-state':
      return text.refusal(error.code, error.message);
    case 'rate-limited':
      return text.rateLimited;
    case 'too-large':
      return text.actionTooLarge;
    case 'e2ee-failed':
      // A chat message that could not be sealed (it was not sent) or a frame worker that broke: the SDK
      // says which, in English words meant for people.
      return text.e2eeFailed(error.message);
    default:
      return null;
  }
}
