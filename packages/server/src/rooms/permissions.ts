import type { Role } from '@treff/protocol';

/** Everything a participant may ask of the room beyond its own media; `report` and `leave` are everyone's. */
export type Action =
  | 'chat'
  | 'raise-hand'
  | 'react'
  | 'share-screen'
  | 'vote'
  | 'edit-docs'
  | 'join-breakout'
  | 'lower-hand'
  | 'stop-screen-share'
  | 'create-poll'
  | 'close-poll'
  | 'share-video'
  | 'manage-breakouts'
  | 'lobby-admit'
  | 'lobby-deny'
  | 'remove'
  | 'ban'
  | 'mute'
  | 'request-unmute'
  | 'lock'
  | 'set-role'
  | 'update-settings'
  | 'end-meeting'
  | 'manage-invites'
  | 'rotate-link'
  | 'clear-bans';

/**
 * Who may do what: the one table every check reads, over WebSocket and HTTP alike. Co-hosts moderate
 * people (lobby, mute, remove, lock); only hosts change roles, settings and the room's links, or end it.
 */
const ALLOWED: Record<Action, readonly Role[]> = {
  chat: ['host', 'cohost', 'guest'],
  'raise-hand': ['host', 'cohost', 'guest'],
  react: ['host', 'cohost', 'guest'],
  'share-screen': ['host', 'cohost', 'guest'],
  vote: ['host', 'cohost', 'guest'],
  'edit-docs': ['host', 'cohost', 'guest'],
  'join-breakout': ['host', 'cohost', 'guest'],
  'lower-hand': ['host', 'cohost'],
  'stop-screen-share': ['host', 'cohost'],
  'create-poll': ['host', 'cohost'],
  'close-poll': ['host', 'cohost'],
  'share-video': ['host', 'cohost'],
  'manage-breakouts': ['host', 'cohost'],
  'lobby-admit': ['host', 'cohost'],
  'lobby-deny': ['host', 'cohost'],
  remove: ['host', 'cohost'],
  ban: ['host', 'cohost'],
  mute: ['host', 'cohost'],
  'request-unmute': ['host', 'cohost'],
  lock: ['host', 'cohost'],
  'set-role': ['host'],
  'update-settings': ['host'],
  'end-meeting': ['host'],
  'manage-invites': ['host'],
  'rotate-link': ['host'],
  'clear-bans': ['host'],
};

export function may(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}

/** Whether `actor` may act on `target` at all (remove, ban, mute): co-hosts never act on hosts. */
export function outranksOrEqual(actor: Role, target: Role): boolean {
  return actor === 'host' || target !== 'host';
}

/** Moderators are told about the lobby and always see the room link. */
export const isModerator = (role: Role): boolean => role === 'host' || role === 'cohost';
