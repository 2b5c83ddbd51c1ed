import type { E2eeIdentity } from '@treff/protocol';
import type { Participant } from './participant.js';
import type { ChatContent } from './together.js';
import { RoomError } from './room-error.js';

// What a room's end-to-end encryption asks of who comes in and what they send (docs/signaling.md,
// "End-to-end encryption"): the requireE2ee setting, and identities that must tell participants apart.

/** What these rules read of a room; a Room is one. */
export interface E2eeRoom {
  readonly record: { readonly settings: { readonly requireE2ee: boolean } };
  readonly participants: ReadonlyMap<string, Participant>;
}

/**
 * Why someone announcing `e2ee` (null: none) may not come in now, or null. A room that requires E2EE
 * refuses those without it. Others' clients find a sender's key by its keyTag and seal to its public key, so
 * a second participant announcing one already in use would make everyone's keys for the first go astray.
 */
export function e2eeJoinRefusal(room: E2eeRoom, e2ee: E2eeIdentity | null): RoomError | null {
  if (e2ee === null) return room.record.settings.requireE2ee ? e2eeRequired() : null;
  for (const present of room.participants.values()) {
    if (present.e2ee !== null && (present.e2ee.keyTag === e2ee.keyTag || present.e2ee.publicKey === e2ee.publicKey)) {
      return new RoomError('bad-request', 'this key is already in use in this meeting; reload the page');
    }
  }
  return null;
}

export function e2eeRequired(): RoomError {
  return new RoomError('e2ee-required', 'this meeting requires end-to-end encryption, which this browser or app cannot do; join with a current Chromium, Firefox or Safari');
}

/** How many present participants cannot encrypt end to end, which forbids requiring it now. */
export function participantsWithoutE2ee(room: E2eeRoom): number {
  let count = 0;
  for (const participant of room.participants.values()) if (participant.e2ee === null) count++;
  return count;
}

/** Requiring end-to-end encryption would strand those present who cannot: the host must settle that first. */
export function checkCanRequireE2ee(room: E2eeRoom): void {
  const unable = participantsWithoutE2ee(room);
  if (unable === 0) return;
  const who = unable === 1 ? '1 participant in the meeting cannot' : `${unable} participants in the meeting cannot`;
  throw new RoomError('bad-request', `${who} encrypt end to end; requireE2ee can be turned on once everyone present can`);
}

/** In a room that requires E2EE, chat travels sealed too: plain text would be readable by the server. */
export function checkChatContent(room: E2eeRoom, content: ChatContent): void {
  if ('text' in content && room.record.settings.requireE2ee) throw new RoomError('bad-request', 'this meeting requires end-to-end encrypted chat');
}

/** So do the shared documents' updates and states (`clear`: not sealed). */
export function checkDocContent(room: E2eeRoom, clear: boolean): void {
  if (clear && room.record.settings.requireE2ee) throw new RoomError('bad-request', 'this meeting requires end-to-end encrypted shared documents');
}
