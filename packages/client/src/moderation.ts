import type { ClientMessage, MediaKind, ReportReason, Role, RoomSettingsUpdate } from '@treff/protocol';
import { LIMITS } from '@treff/protocol';

/** Participant ids, or everyone (waiting in the lobby now, or in the room but hosts and co-hosts). */
export type Targets = readonly string[] | 'all';

// Builders for the moderation messages; the server checks every one against the sender's role.

export function lobbyMessage(type: 'lobby-admit' | 'lobby-deny', ids: Targets): ClientMessage {
  if (ids !== 'all' && ids.length === 0) throw new Error(`${type}: no participants given`);
  if (ids !== 'all' && ids.length > LIMITS.lobbyBatch) throw new Error(`${type}: at most ${LIMITS.lobbyBatch} at once`);
  return { type, ids: ids === 'all' ? 'all' : [...ids] };
}

export const removeMessage = (participantId: string, ban: boolean): ClientMessage => ({ type: 'remove', participantId, ...(ban ? { ban: true } : {}) });

export function muteMessage(participantId: string | 'all', kinds: readonly MediaKind[]): ClientMessage {
  const unique = [...new Set(kinds)];
  if (unique.length === 0) throw new Error('mute: no media kinds given');
  return { type: 'mute', participantId, kinds: unique };
}

export const requestUnmuteMessage = (participantId: string, kind: MediaKind): ClientMessage => ({ type: 'request-unmute', participantId, kind });

export const setRoleMessage = (participantId: string, role: Role, handOver: boolean): ClientMessage => ({
  type: 'set-role',
  participantId,
  role,
  ...(handOver ? { handOver: true } : {}),
});

export const updateSettingsMessage = (settings: RoomSettingsUpdate): ClientMessage => ({ type: 'update-settings', settings: { ...settings } });

export function reportMessage(reason: ReportReason, text?: string): ClientMessage {
  const trimmed = text?.trim() ?? '';
  if (trimmed.length > LIMITS.reportText) throw new Error(`report: text must be at most ${LIMITS.reportText} characters`);
  return { type: 'report', reason, ...(trimmed ? { text: trimmed } : {}) };
}
