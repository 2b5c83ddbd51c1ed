import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const KEY = 'server-key:member-credentials';

/**
 * The HMAC key signing member credentials: made by the first server to start, then kept in Redis so that
 * every server of the cluster accepts the credentials any of them issued, across restarts. Set only if
 * absent and read back in one transaction: servers starting together all end up with the first one's key.
 */
export async function loadRedisSigningKey(redis: Redis, now: number): Promise<Uint8Array> {
  const replies = await redis.multi().hsetnx(KEY, 'secret', randomBytes(32)).hsetnx(KEY, 'createdAt', now).hgetBuffer(KEY, 'secret').exec();
  const [error, secret] = replies?.[2] ?? [new Error('the transaction was aborted')];
  if (error) throw error;
  if (!Buffer.isBuffer(secret) || secret.length === 0) throw new Error('Redis holds no member credential signing key');
  return new Uint8Array(secret);
}
