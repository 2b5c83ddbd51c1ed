import type { Participant, Room } from '@treff/client';
import { text } from './strings.js';

export interface ModeratorAction {
  label: string;
  /** Whether the message went out (see Room's moderation methods). */
  run(): boolean;
  danger?: boolean;
}

/**
 * What a moderator may do to `p`; the server checks each again and refuses what the role does not allow.
 * Co-hosts cannot act on hosts at all, so they are offered nothing for one.
 */
export function actionsFor(
  room: Pick<Room, 'isHost' | 'mute' | 'requestUnmute' | 'setRole' | 'remove' | 'stopScreenShareOf'>,
  p: Pick<Participant, 'id' | 'role' | 'media' | 'screen'>,
  onRemove: (participantId: string) => void = () => undefined,
): ModeratorAction[] {
  if (!room.isHost && p.role === 'host') return [];
  const actions: ModeratorAction[] = [];
  if (p.media.audio) actions.push({ label: text.muteMic, run: () => room.mute(p.id, ['audio']) });
  else actions.push({ label: text.askUnmuteMic, run: () => room.requestUnmute(p.id, 'audio') });
  if (p.media.video) actions.push({ label: text.stopCamera, run: () => room.mute(p.id, ['video']) });
  else actions.push({ label: text.askCameraOn, run: () => room.requestUnmute(p.id, 'video') });
  if (p.screen === true) actions.push({ label: text.stopScreenShare, run: () => room.stopScreenShareOf(p.id) });
  if (room.isHost) {
    if (p.role !== 'cohost') actions.push({ label: text.makeCohost, run: () => room.setRole(p.id, 'cohost') });
    if (p.role !== 'host') {
      actions.push({ label: text.makeHost, run: () => room.setRole(p.id, 'host') });
      actions.push({ label: text.handOverHosting, run: () => room.setRole(p.id, 'host', { handOver: true }) });
    }
    if (p.role !== 'guest') actions.push({ label: text.makeGuest, run: () => room.setRole(p.id, 'guest') });
  }
  actions.push({ label: text.remove, run: () => (onRemove(p.id), room.remove(p.id)), danger: true });
  actions.push({ label: text.removeAndBan, run: () => (onRemove(p.id), room.remove(p.id, { ban: true })), danger: true });
  return actions;
}
