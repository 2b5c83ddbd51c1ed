import type { ErrorCode } from '@treff/protocol';

/**
 * Server errors after which retrying the same join cannot help: the Room ends with the error, and the app
 * decides what to offer (a password field, "try again" once a host unlocks, or nothing).
 */
export const TERMINAL_JOIN_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'room-not-found',
  'room-full',
  'unsupported-version',
  'password-required',
  'wrong-password',
  'too-many-attempts',
  'room-locked',
  'banned',
  'not-invited',
  'members-only',
  'lobby-full',
  'room-blocked',
  'e2ee-required',
]);

