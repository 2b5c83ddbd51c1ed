import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * `bytes` from the OS CSPRNG as base64url, never starting with '-': a command line (the admin CLI, a shell
 * tool, node's parseArgs) takes such an argument for an option. Drawing again costs under 0.03 bits.
 */
export function randomId(bytes: number): string {
  for (;;) {
    const id = randomBytes(bytes).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** 128 bits, URL-safe: room ids must be unguessable. */
export const newRoomId = (): string => randomId(16);
/** 256-bit bearer secrets (host secret, resume token). */
export const newSecret = (): string => randomId(32);
/** Group ids are in group links and, like room ids, must be unguessable. */
export const newGroupId = (): string => randomId(16);
/** Ids of invites, members and reports: shown to hosts, admins or the operator; uniqueness is all they need. */
export const newShortId = (): string => randomId(9);
/** Participant ids are visible to everyone in the room; uniqueness is all they need. */
export const newParticipantId = (): string => randomId(9);

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
