import type { Role } from '@treff/protocol';

/** Hosts and co-hosts moderate: lobby, mute, remove, lock. */
export const isModeratorRole = (role: Role | undefined): boolean => role === 'host' || role === 'cohost';

/** Only hosts change roles, settings other than the lock, and end the meeting. */
export const isHostRole = (role: Role | undefined): boolean => role === 'host';
