import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import { LIMITS } from '@treff/protocol';
import type { GroupStore } from './stores.js';
import type { MemberRecord } from './records.js';

const ISSUER = 'treff';
const AUDIENCE = 'treff-group-member';
const ALGORITHM = 'HS256';
const KEY_NAME = 'member-credentials';
/** A device that keeps using its credential can come back for a year; revocation works at once regardless. */
const DEFAULT_LIFETIME_S = 365 * 24 * 3600;

/** The HMAC key signing member credentials: made on first start, then kept in the database so credentials survive restarts. */
export function loadSigningKey(db: Database.Database, now: number): Uint8Array {
  const existing = db.prepare<[string], { secret: Buffer }>('SELECT secret FROM server_keys WHERE name = ?').get(KEY_NAME);
  if (existing) return new Uint8Array(existing.secret);
  const secret = randomBytes(32);
  // OR IGNORE and read back: two processes on one file must end up with the same key.
  db.prepare<[string, Buffer, number]>('INSERT OR IGNORE INTO server_keys (name, secret, created_at) VALUES (?, ?, ?)').run(KEY_NAME, secret, now);
  return new Uint8Array(db.prepare<[string], { secret: Buffer }>('SELECT secret FROM server_keys WHERE name = ?').get(KEY_NAME)!.secret);
}

export interface CredentialOptions {
  lifetimeSeconds?: number;
  /** Milliseconds since the epoch; tests move it. */
  clock?: () => number;
}

/**
 * A group member's device keeps a signed token (JWS, HS256) naming its group and member id. The token
 * alone is not enough: every check looks the member up, so removing a member stops its credential at once.
 */
export class MemberCredentials {
  private readonly lifetimeSeconds: number;
  private readonly clock: () => number;

  constructor(
    private readonly key: Uint8Array,
    private readonly groups: GroupStore,
    options: CredentialOptions = {},
  ) {
    this.lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_LIFETIME_S;
    this.clock = options.clock ?? Date.now;
  }

  issue(member: MemberRecord): Promise<string> {
    const now = Math.floor(this.clock() / 1000);
    return new SignJWT({ gid: member.groupId })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(member.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.lifetimeSeconds)
      .sign(this.key);
  }

  /** null: bad signature, malformed, expired, unknown or revoked member. */
  async verify(token: string): Promise<MemberRecord | null> {
    if (token.length > LIMITS.tokenLength) return null;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.clock()),
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      if (err instanceof errors.JOSEError) return null;
      throw err;
    }
    if (typeof payload.sub !== 'string' || typeof payload.gid !== 'string') return null;
    const member = await this.groups.getMember(payload.sub);
    if (member === null || member.groupId !== payload.gid || member.revokedAt !== null) return null;
    return member;
  }
}
