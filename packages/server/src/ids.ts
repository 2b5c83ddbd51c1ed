import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 128 bits from the OS CSPRNG, URL-safe: room ids must be unguessable. */
export const newRoomId = (): string => randomBytes(16).toString('base64url');
/** 256-bit bearer secrets (host secret, resume token). */
export const newSecret = (): string => randomBytes(32).toString('base64url');
/** Group ids are in group links and, like room ids, must be unguessable. */
export const newGroupId = (): string => randomBytes(16).toString('base64url');
/** Ids of invites, members and reports: shown to hosts, admins or the operator; uniqueness is all they need. */
export const newShortId = (): string => randomBytes(9).toString('base64url');
/** Participant ids are visible to everyone in the room; uniqueness is all they need. */
export const newParticipantId = (): string => randomBytes(9).toString('base64url');

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  return secretEquals(hashSecret(secret), storedHash);
}

/** Constant-time comparison of two secrets held in memory. */
export function secretEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * What logs say instead of a room id: the id is the only key to a meeting, and whoever reads the logs
 * must not be able to join. Eight characters of its hash still tell log lines of one room apart.
 */
export const roomLogTag = (roomId: string): string => createHash('sha256').update(roomId).digest('base64url').slice(0, 8);
