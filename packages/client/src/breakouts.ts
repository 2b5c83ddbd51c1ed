import type { BreakoutState, ClientMessage } from '@treff/protocol';
import { LIMITS } from '@treff/protocol';

// Breakout rooms as this participant knows them, and the messages that open, fill, move between, talk to
// and close them. The builders refuse what the server would refuse, so an app learns of a mistake at once;
// the server still judges what only it knows (who may go where, whether rooms are open).

/** The open breakout rooms as they arrived: `remainingMs` was current at `receivedAt` (performance.now(), ms). */
export type Breakouts = BreakoutState & { receivedAt: number };

export interface NewBreakouts {
  /** The rooms' names, 1 to LIMITS.breakoutRooms of them. */
  rooms: readonly string[];
  /** `random` spreads everyone who is not a host or co-host over the rooms at once; `manual` moves nobody. */
  assign: 'manual' | 'random';
  /** Whole minutes until everyone is called back (1 to LIMITS.breakoutMinutes); null: no timer. */
  minutes: number | null;
  /** Participants may move between the rooms themselves. */
  selfSelect: boolean;
}

type Message<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

const MAX_ID = 64;

/** The name as the server stores it: runs of white space made one space, trimmed. */
export function breakoutName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

/** What keeps a request from opening breakout rooms: one code per rule (the server checks the same rules). */
export type BreakoutProblem = 'no-rooms' | 'too-many-rooms' | 'name-missing' | 'name-too-long' | 'assign-invalid' | 'minutes-invalid';

const PROBLEMS: Record<BreakoutProblem, string> = {
  'no-rooms': 'open at least one',
  'too-many-rooms': `at most ${LIMITS.breakoutRooms}`,
  'name-missing': 'a room needs a name',
  'name-too-long': `a name has at most ${LIMITS.breakoutName} characters`,
  'assign-invalid': 'assign is manual or random',
  'minutes-invalid': `the timer is a whole number of minutes from 1 to ${LIMITS.breakoutMinutes}, or none`,
};

/** The first rule `o` breaks (names counted as `breakoutName` makes them), or null when the server would take it. */
export function breakoutProblem(o: NewBreakouts): BreakoutProblem | null {
  if (o.rooms.length === 0) return 'no-rooms';
  if (o.rooms.length > LIMITS.breakoutRooms) return 'too-many-rooms';
  const rooms = o.rooms.map(breakoutName);
  if (rooms.some((name) => name.length === 0)) return 'name-missing';
  if (rooms.some((name) => name.length > LIMITS.breakoutName)) return 'name-too-long';
  if (o.assign !== 'manual' && o.assign !== 'random') return 'assign-invalid';
  if (o.minutes !== null && (!Number.isInteger(o.minutes) || o.minutes < 1 || o.minutes > LIMITS.breakoutMinutes)) return 'minutes-invalid';
  return null;
}

/** RangeError for a request `breakoutProblem` finds fault with. */
export function openBreakoutsMessage(o: NewBreakouts): Message<'breakout-open'> {
  const problem = breakoutProblem(o);
  if (problem !== null) throw new RangeError(`breakout rooms: ${PROBLEMS[problem]}`);
  return { type: 'breakout-open', rooms: o.rooms.map(breakoutName), assign: o.assign, minutes: o.minutes, selfSelect: o.selfSelect === true };
}

/** `breakoutId` null: the main room. */
export function assignBreakoutMessage(participantId: string, breakoutId: string | null): Message<'breakout-assign'> {
  checkId('participant', participantId);
  if (breakoutId !== null) checkId('breakout room', breakoutId);
  return { type: 'breakout-assign', participantId, breakoutId };
}

/** `breakoutId` null: back to the main room. */
export function joinBreakoutMessage(breakoutId: string | null): Message<'breakout-join'> {
  if (breakoutId !== null) checkId('breakout room', breakoutId);
  return { type: 'breakout-join', breakoutId };
}

export function broadcastMessage(text: string): Message<'breakout-broadcast'> {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new RangeError('breakout broadcast: the message is empty');
  if (trimmed.length > LIMITS.breakoutMessage) throw new RangeError(`breakout broadcast: at most ${LIMITS.breakoutMessage} characters`);
  return { type: 'breakout-broadcast', text: trimmed };
}

export const closeBreakoutsMessage: Message<'breakout-close'> = { type: 'breakout-close' };

function checkId(what: string, id: string): void {
  if (id.length === 0 || id.length > MAX_ID) throw new RangeError(`breakout rooms: a ${what} id has 1 to ${MAX_ID} characters`);
}

/** Milliseconds left on the timer at `now` (performance.now(), ms), never below 0; null without a timer. */
export function remainingMs(b: Breakouts, now = performance.now()): number | null {
  if (b.remainingMs === null) return null;
  return Math.max(0, b.remainingMs - Math.max(0, now - b.receivedAt));
}

/**
 * Whether two states show the same rooms, assignments and self-select. The timer is left out: a resume
 * repeats what we have with less time left, which is no news (the countdown runs on locally).
 */
export function sameBreakouts(a: BreakoutState | null, b: BreakoutState | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.selfSelect !== b.selfSelect || (a.remainingMs === null) !== (b.remainingMs === null)) return false;
  if (a.rooms.length !== b.rooms.length || a.rooms.some((r, i) => r.id !== b.rooms[i]?.id || r.name !== b.rooms[i]?.name)) return false;
  const keys = Object.keys(a.assignments);
  return keys.length === Object.keys(b.assignments).length && keys.every((k) => a.assignments[k] === b.assignments[k]);
}

/** A countdown that moved by more than this between what we showed and what the server says is news. */
const COUNTDOWN_DRIFT_MS = 2000;

/**
 * Whether `next` (just arrived at `now`) tells an app something `shown` did not: other rooms, assignments or
 * self-select, or a countdown more than 2 s off the one running locally (a resume repeats the rest).
 */
export function breakoutsNews(shown: Breakouts | null, next: BreakoutState | null, now = performance.now()): boolean {
  if (!sameBreakouts(shown, next)) return true;
  if (shown === null || next === null || next.remainingMs === null) return false;
  return Math.abs((remainingMs(shown, now) ?? 0) - next.remainingMs) > COUNTDOWN_DRIFT_MS;
}
