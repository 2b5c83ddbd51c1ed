import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MemberCredentials, type CredentialOptions } from '../member-credentials.js';
import type { Storage } from '../storage.js';
import { RedisBanStore } from './redis-ban-store.js';
import { RedisGroupStore } from './redis-group-store.js';
import { RedisInviteStore } from './redis-invite-store.js';
import { RedisReportStore } from './redis-report-store.js';
import { RedisRoomStore } from './redis-room-store.js';
import { loadRedisSigningKey } from './redis-signing-key.js';

export interface RedisStorageOptions {
  /** Put before every key, so that several clusters (or tests) can share one Redis. */
  keyPrefix?: string;
  /** Where the connection's troubles go once it is up (ioredis prints them to the console otherwise). */
  log?: Logger;
}

/** Before every key Treff keeps in Redis, unless told otherwise. */
export const REDIS_KEY_PREFIX = 'treff:';

const CONNECT_TIMEOUT_MS = 5000;
/** A command Redis does not answer in this time fails, rather than holding a join for ever. */
const COMMAND_TIMEOUT_MS = 5000;
/** A command waits for at most this many reconnection attempts before it fails, rather than queueing for ever. */
const MAX_RETRIES_PER_REQUEST = 3;

/** The URL as logs may show it: without a password. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Redis did not answer at start: said in one line, as a configuration mistake usually is. */
export class RedisUnreachableError extends Error {}

/**
 * A connection to Redis, rejecting at once when it cannot be reached: a server that starts without its
 * storage should fail its start, not hang. Once connected, a dropped connection is retried, and commands
 * fail after a few attempts. `keyPrefix` (none by default) goes before the keys commands name, not before
 * pub/sub channels.
 */
export async function connectRedis(url: string, options: RedisStorageOptions = {}): Promise<Redis> {
  let connected = false;
  const redis = new Redis(url, {
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // null gives up: before the first connection, failing is the answer.
    retryStrategy: (attempt) => (connected ? Math.min(attempt * 200, 2000) : null),
  });
  let lastError: unknown;
  const noteError = (err: unknown): void => {
    lastError = err;
  };
  // ioredis rejects connect() with only "Connection is closed."; the reason comes as an error event.
  redis.on('error', noteError);
  try {
    await redis.connect();
    connected = true;
    const { log } = options;
    if (log) redis.on('error', (err: unknown) => log.warn({ err: reason(err) }, 'Redis connection trouble; retrying'));
    return redis;
  } catch (err) {
    redis.disconnect();
    throw new RedisUnreachableError(`cannot reach Redis at ${redactedUrl(url)}: ${reason(lastError ?? err)}`, { cause: lastError ?? err });
  } finally {
    // From now on ioredis reports errors to `log`, or itself (it prints them when nobody listens).
    redis.off('error', noteError);
  }
}

/** Everything the server keeps, in a Redis that several servers share. */
export async function openRedisStorage(url: string, credentialOptions: CredentialOptions = {}, options: RedisStorageOptions = {}): Promise<Storage> {
  const redis = await connectRedis(url, { ...options, keyPrefix: options.keyPrefix ?? REDIS_KEY_PREFIX });
  let key: Uint8Array;
  try {
    key = await loadRedisSigningKey(redis, Date.now());
  } catch (err) {
    redis.disconnect();
    // Not the error as the cause: it carries the command, and so a new key, to wherever it is printed.
    throw new RedisUnreachableError(`cannot load the member credential signing key from Redis at ${redactedUrl(url)}: ${reason(err)}`);
  }
  const groups = new RedisGroupStore(redis);
  let closed = false;
  return {
    rooms: new RedisRoomStore(redis),
    bans: new RedisBanStore(redis),
    invites: new RedisInviteStore(redis),
    groups,
    reports: new RedisReportStore(redis),
    credentials: new MemberCredentials(key, groups, credentialOptions),
    close: async () => {
      if (closed) return;
      closed = true;
      // Redis may be gone already; stopping must not fail for it.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
