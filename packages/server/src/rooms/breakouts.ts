import type { BreakoutState } from '@treff/protocol';
import { newShortId } from '../ids.js';
import type { Participant } from './participant.js';
import { authorize } from './moderation.js';
import { isModerator, outranksOrEqual } from './permissions.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// Breakout rooms: a meeting split into smaller rooms for a while. Nobody reconnects: a move puts the
// participant's transport in the SFU forwarding group named after the room (room.ts), which separates
// media and the active speaker; the room scopes public chat and screen shares. Everything else (the
// participant list, hands, polls, the shared video and documents) stays the meeting's.

/** Broadcasts one moderator may send: a few in a row, then one every two seconds. */
export const BREAKOUT_BROADCAST_RATE = { perSecond: 0.5, burst: 3 } as const;

/** Moves one participant may make themselves: a few in a row, then one a second (each re-routes their media). */
export const BREAKOUT_JOIN_RATE = { perSecond: 1, burst: 3 } as const;

/** Time and timers, injected by tests. */
export interface BreakoutClock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `callback` after `ms`; the returned function cancels it. Must not keep the process alive. */
  setTimer(callback: () => void, ms: number): () => void;
}

const realClock: BreakoutClock = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface BreakoutRoom {
  id: string;
  name: string;
}

interface Open {
  rooms: BreakoutRoom[];
  /** Where moderators put people (participant id → room id). Where each one is now is `Participant.breakout`. */
  assignments: Map<string, string>;
  selfSelect: boolean;
  /** On the clock's time line; null: no timer. */
  endsAt: number | null;
  cancelTimer: (() => void) | null;
}

/** The breakout rooms of one meeting while they are open: their names, the assignments, the timer. */
export class Breakouts {
  private open: Open | null = null;

  constructor(private readonly clock: BreakoutClock = realClock) {}

  get isOpen(): boolean {
    return this.open !== null;
  }

  get selfSelect(): boolean {
    return this.open?.selfSelect ?? false;
  }

  get rooms(): readonly BreakoutRoom[] {
    return this.open?.rooms ?? [];
  }

  has(breakoutId: string): boolean {
    return this.open?.rooms.some((r) => r.id === breakoutId) ?? false;
  }

  assignmentOf(participantId: string): string | null {
    return this.open?.assignments.get(participantId) ?? null;
  }

  /** As participants see it; `remainingMs` is the time left now, when the message is built. */
  state(): BreakoutState | null {
    const open = this.open;
    if (open === null) return null;
    return {
      rooms: open.rooms.map((r) => ({ ...r })),
      assignments: Object.fromEntries(open.assignments),
      selfSelect: open.selfSelect,
      remainingMs: open.endsAt === null ? null : Math.max(0, Math.round(open.endsAt - this.clock.now())),
    };
  }

  /** Opens rooms with these names; `onExpire` runs when `minutes` (if any) have passed and the rooms are still open. */
  start(names: readonly string[], selfSelect: boolean, minutes: number | null, onExpire: () => void): readonly BreakoutRoom[] {
    if (this.open !== null) throw new RoomError('bad-request', 'breakout rooms are already open; close them before opening new ones');
    const rooms = names.map((name) => ({ id: newShortId(), name }));
    const open: Open = { rooms, assignments: new Map(), selfSelect, endsAt: null, cancelTimer: null };
    if (minutes !== null) {
      const ms = minutes * 60_000;
      open.endsAt = this.clock.now() + ms;
      open.cancelTimer = this.clock.setTimer(() => {
        if (this.open === open) onExpire();
      }, ms);
    }
    this.open = open;
    return rooms;
  }

  /** Records where a moderator put someone (null: the main room); returns whether the assignments changed. */
  assign(participantId: string, breakoutId: string | null): boolean {
    const open = this.open;
    if (open === null) return false;
    if (breakoutId === null) return open.assignments.delete(participantId);
    if (open.assignments.get(participantId) === breakoutId) return false;
    open.assignments.set(participantId, breakoutId);
    return true;
  }

  /** Closes the rooms (and their timer); the caller moves everyone back. */
  stop(): void {
    this.open?.cancelTimer?.();
    this.open = null;
  }
}

/**
 * Deals `ids` over `rooms` at random, evenly: room sizes differ by at most one. `random` is in [0, 1)
 * (Math.random; tests inject their own).
 */
export function spread(ids: readonly string[], rooms: readonly string[], random: () => number = Math.random): Map<string, string> {
  const shuffled = [...ids];
  // Fisher–Yates.
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return new Map(shuffled.map((id, i) => [id, rooms[i % rooms.length]!]));
}

export interface BreakoutRequest {
  rooms: readonly string[];
  assign: 'manual' | 'random';
  minutes: number | null;
  selfSelect: boolean;
}

/**
 * Opens breakout rooms. Everyone learns of them before anyone moves, so a `participant-updated` never names
 * a room a client does not know.
 */
export function openBreakouts(room: Room, actor: Participant, request: BreakoutRequest): void {
  authorize(room, actor, 'manage-breakouts');
  const rooms = room.breakouts.start(request.rooms, request.selfSelect, request.minutes, () => endBreakouts(room));
  if (request.assign === 'random') {
    const guests = [...room.participants.values()].filter((p) => !isModerator(p.role)).map((p) => p.id);
    for (const [id, breakoutId] of spread(guests, rooms.map((r) => r.id))) room.breakouts.assign(id, breakoutId);
  }
  room.broadcast({ type: 'breakouts', state: room.breakouts.state() });
  if (request.assign === 'random') {
    for (const participant of room.participants.values()) {
      const assigned = room.breakouts.assignmentOf(participant.id);
      if (assigned !== null) room.moveToBreakout(participant, assigned);
    }
  }
}

/** Puts someone in a breakout room (null: the main room) and moves them there now. */
export function assignBreakout(room: Room, actor: Participant, participantId: string, breakoutId: string | null): void {
  authorize(room, actor, 'manage-breakouts');
  if (!room.breakouts.isOpen) throw new RoomError('bad-request', 'no breakout rooms are open');
  const participant = room.participants.get(participantId);
  if (participant === undefined) throw new RoomError('not-found', 'that participant is not in this meeting');
  if (!outranksOrEqual(actor.role, participant.role)) throw new RoomError('forbidden', 'co-hosts cannot move a host');
  if (breakoutId !== null && !room.breakouts.has(breakoutId)) throw new RoomError('not-found', 'that breakout room is not open');
  if (room.breakouts.assign(participantId, breakoutId)) room.broadcast({ type: 'breakouts', state: room.breakouts.state() });
  room.moveToBreakout(participant, breakoutId);
}

/**
 * Moves oneself: to the main room or one's assigned room always, to another room only when the rooms
 * allow self-select; hosts and co-hosts go anywhere. The assignment stays as moderators made it.
 */
export function joinBreakout(room: Room, participant: Participant, breakoutId: string | null): void {
  authorize(room, participant, 'join-breakout');
  if (breakoutId !== null) {
    if (!room.breakouts.has(breakoutId)) throw new RoomError('not-found', 'that breakout room is not open');
    const allowed = isModerator(participant.role) || room.breakouts.selfSelect || room.breakouts.assignmentOf(participant.id) === breakoutId;
    if (!allowed) throw new RoomError('forbidden', 'you may join only the breakout room you were assigned to, or the main room');
  }
  if (!participant.breakoutJoinBucket.take()) throw new RoomError('rate-limited', 'too many room changes in a short time; wait a moment');
  room.moveToBreakout(participant, breakoutId);
}

/**
 * Someone who is no longer a host or co-host may stay only where a guest could go: a room they chose while
 * moderating (without self-select) sends them to their assigned room, or the main room.
 */
export function afterDemotion(room: Room, participant: Participant): void {
  const current = participant.breakout;
  if (current === null || isModerator(participant.role) || room.breakouts.selfSelect) return;
  const assigned = room.breakouts.assignmentOf(participant.id);
  if (current !== assigned) room.moveToBreakout(participant, assigned);
}

/** A moderator's message to everyone, in every breakout room and the main room. */
export function broadcastToBreakouts(room: Room, actor: Participant, text: string): void {
  authorize(room, actor, 'manage-breakouts');
  if (!room.breakouts.isOpen) throw new RoomError('bad-request', 'no breakout rooms are open to broadcast to');
  if (!actor.breakoutBroadcastBucket.take()) throw new RoomError('rate-limited', 'too many broadcasts in a short time; wait a few seconds');
  room.broadcast({ type: 'breakout-message', from: actor.id, fromName: actor.name, text, at: Date.now() });
}

export function closeBreakouts(room: Room, actor: Participant): void {
  authorize(room, actor, 'manage-breakouts');
  if (!room.breakouts.isOpen) throw new RoomError('bad-request', 'no breakout rooms are open');
  endBreakouts(room);
}

/** Everyone back to the main room, then the rooms are gone (as a moderator's close or the timer running out). */
export function endBreakouts(room: Room): void {
  if (!room.breakouts.isOpen) return;
  for (const participant of room.participants.values()) room.moveToBreakout(participant, null);
  room.breakouts.stop();
  room.broadcast({ type: 'breakouts', state: null });
}
