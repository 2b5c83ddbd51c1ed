import type { Participant } from './participant.js';
import { authorize } from './moderation.js';
import { outranksOrEqual } from './permissions.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// Screen sharing: who may share when, and what starting and stopping does. The SFU gets the share as
// high-priority producers (its own slots for everyone, the first share of every downlink); it knows
// nothing of screens.

/**
 * Share starts one participant may make: each opens m-lines and renegotiates, so starting and stopping in a
 * loop must not grow the session without bound. A person re-picking a window is well inside this.
 */
export const SCREEN_SHARE_RATE = { perSecond: 0.2, burst: 5 } as const;

/**
 * Starts `participant`'s screen share: a video producer (one encoding: browsers adapt a screen's rate
 * themselves) and, with `audio`, one for the shared tab's or system's sound. The offer that follows
 * carries `send` slots with source `screen`.
 */
export function startScreenShare(room: Room, participant: Participant, audio: boolean): void {
  authorize(room, participant, 'share-screen');
  if (participant.sharingScreen) throw new RoomError('bad-request', 'you are already sharing your screen; stop sharing first to share something else');
  if (!room.record.settings.multipleScreenShares) {
    // Per room: a breakout room sees only its own shares.
    const other = [...room.participants.values()].find((p) => p !== participant && p.sharingScreen && p.breakout === participant.breakout);
    if (other !== undefined) throw new RoomError('bad-request', `${other.name} is sharing their screen; this meeting allows one screen share at a time`);
  }
  if (!participant.screenShareBucket.take()) throw new RoomError('rate-limited', 'too many screen shares started in a short time; wait a few seconds');
  const transport = participant.transport;
  participant.screenProducers = [transport.produce('video', { priority: 'high' })];
  if (audio) participant.screenProducers.push(transport.produce('audio', { priority: 'high' }));
  room.broadcast({ type: 'participant-updated', participant: participant.info() });
}

/**
 * Ends a share: its producers close (every receiving slot carrying it goes to nothing, the sender's
 * slots go inactive) and everyone learns `screen: false`. `by`: the moderator who stopped it, who is
 * told apart from the sharer; undefined when the sharer stopped it. Stopping no share is no change.
 */
export function endScreenShare(room: Room, participant: Participant, by?: Participant): void {
  if (!participant.sharingScreen) return;
  for (const producer of participant.screenProducers) producer.close();
  participant.screenProducers = [];
  if (by !== undefined) participant.send({ type: 'screen-share-stopped', by: by.id });
  room.broadcast({ type: 'participant-updated', participant: participant.info() });
}

/** Hosts and co-hosts stop someone's share (their own too); co-hosts never a host's. */
export function stopScreenShareOf(room: Room, actor: Participant, participantId: string): void {
  authorize(room, actor, 'stop-screen-share');
  const sharer = room.participants.get(participantId);
  if (sharer === undefined) throw new RoomError('not-found', 'that participant is not in this meeting');
  if (!sharer.sharingScreen) throw new RoomError('bad-request', `${sharer.name} is not sharing their screen`);
  if (!outranksOrEqual(actor.role, sharer.role)) throw new RoomError('forbidden', 'co-hosts cannot stop a host’s screen share');
  endScreenShare(room, sharer, sharer === actor ? undefined : actor);
}
