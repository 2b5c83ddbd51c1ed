import { breakoutName, breakoutProblem, LIMITS, type BreakoutProblem, type BreakoutState, type NewBreakouts } from '@treff/client';

// What the meeting shows of breakout rooms, derived from the SDK's state: who is in which room, whose tiles
// and public chat one sees, the countdown, which rooms one may join, and the moderators' form.

/** Anyone with a place: a participant, or ourselves. Absent `breakout`: the main room. */
interface Placed {
  breakout?: string | undefined;
}

/** Whether `p` is in the room `mine` (null: the main room). */
export const inRoom = (p: Placed, mine: string | null): boolean => (p.breakout ?? null) === mine;

/**
 * Whether `p` shares a screen we are shown: theirs in our room (one in another breakout room never reaches us,
 * so it is no news either).
 */
export const sharesHere = (p: Placed & { screen?: boolean | undefined }, mine: string | null): boolean => p.screen === true && inRoom(p, mine);

/** Those of `people` in the room `mine`: the tiles to show and subscribe to (media is per room). */
export function roomMates<T extends Placed>(people: readonly T[], mine: string | null): T[] {
  return people.filter((p) => inRoom(p, mine));
}

/**
 * The chat as one sees it in room `mine`: public messages of that room (absent `breakout`: the main room's)
 * and every private message, which works across rooms. What the room one left said stays out of sight.
 */
export function chatOfRoom<T extends Placed & { to: string | null }>(entries: readonly T[], mine: string | null): T[] {
  return entries.filter((m) => m.to !== null || inRoom(m, mine));
}

export interface RoomGroup<T> {
  /** null: the main room. */
  id: string | null;
  /** null: the main room (its name is the UI's). */
  name: string | null;
  people: T[];
}

/**
 * Everyone grouped by the room they are in now: the main room first, then the breakout rooms in their
 * order, each keeping `people`'s order. Someone in a room that is not (or no longer) open counts as in the
 * main room. Without breakout rooms: one group, the main room.
 */
export function groupByRoom<T extends Placed>(breakouts: BreakoutState | null, people: readonly T[]): RoomGroup<T>[] {
  const groups: RoomGroup<T>[] = [{ id: null, name: null, people: [] }, ...(breakouts?.rooms ?? []).map((r) => ({ id: r.id, name: r.name, people: [] as T[] }))];
  for (const p of people) (groups.find((g) => g.id !== null && g.id === p.breakout) ?? groups[0]!).people.push(p);
  return groups;
}

/** The name of breakout room `id`, or null for the main room or a room that is not open. */
export function roomName(breakouts: BreakoutState | null, id: string | null): string | null {
  if (id === null) return null;
  return breakouts?.rooms.find((r) => r.id === id)?.name ?? null;
}

/**
 * Whether one may go into breakout room `id` oneself (the server judges again): moderators anywhere, others
 * into their assigned room always and into any room when the rooms allow self-select.
 */
export function mayJoin(breakouts: BreakoutState, id: string, selfId: string | undefined, moderator: boolean): boolean {
  if (moderator || breakouts.selfSelect) return true;
  return selfId !== undefined && breakouts.assignments[selfId] === id;
}

/** The time left as a countdown: "m:ss", or "h:mm:ss" from an hour on; rounded up, so 0:00 is the end. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * What to tell someone whose room changed from `was` to `now`: nothing when they moved themselves (the
 * room they asked for, `asked`; undefined when they asked for none), otherwise where they are now.
 */
export function moveNotice(was: string | null, now: string | null, asked: string | null | undefined): { to: 'main' } | { to: 'room'; id: string } | null {
  if (was === now || (asked !== undefined && asked === now)) return null;
  return now === null ? { to: 'main' } : { to: 'room', id: now };
}

// ---- the moderators' form ----

export interface BreakoutDraft {
  /** The room name fields, one per room. */
  names: readonly string[];
  assign: 'manual' | 'random';
  /** The timer field as typed: empty for no timer. */
  minutes: string;
  selfSelect: boolean;
}

/** The `openBreakouts` request a form's draft makes, or the SDK's code for the rule it breaks (the server checks again). */
export function breakoutRequest(draft: BreakoutDraft): { ok: true; request: NewBreakouts } | { ok: false; problem: BreakoutProblem } {
  const typed = draft.minutes.trim();
  // Only digits count as minutes ('1e2' and '0x10' are numbers to Number(), not to someone filling in a form).
  const minutes = typed === '' ? null : /^\d+$/.test(typed) ? Number(typed) : Number.NaN;
  const request = { rooms: draft.names.map(breakoutName), assign: draft.assign, minutes, selfSelect: draft.selfSelect };
  const problem = breakoutProblem(request);
  return problem === null ? { ok: true, request } : { ok: false, problem };
}

/** The name fields for `count` rooms: those typed so far kept, new ones named by `nameFor(n)` (1-based). */
export function resizeNames(names: readonly string[], count: number, nameFor: (n: number) => string): string[] {
  const n = Math.min(LIMITS.breakoutRooms, Math.max(1, Math.floor(count) || 1));
  return Array.from({ length: n }, (_, i) => names[i] ?? nameFor(i + 1));
}
