import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisScript } from '../storage/redis/redis-support.js';
import { AttemptLimiter } from './attempt-limiter.js';

/** Wrong password guesses allowed per minute from one client address, and into one room from anywhere. */
export const GUESSES_PER_ADDRESS = 5;
export const GUESSES_PER_ROOM = 20;
export const GUESS_WINDOW_MS = 60_000;

/** A guess counted before it is checked; a right one is taken back. */
export type Guess = { refund(): Promise<void> } | { retryAfterMs: number };

/**
 * Password guesses, counted per client address and per room. Each guess counts against both before it is
 * checked, so parallel guesses cannot slip past the limit together.
 */
export interface PasswordGuesses {
  /** Counts a guess for both, unless either is used up: then nothing is counted, and `retryAfterMs` says how long. */
  take(address: string, room: string): Promise<Guess>;
}

/** One server's own count (one process, or each worker of several). */
export class LocalPasswordGuesses implements PasswordGuesses {
  private readonly byAddress: AttemptLimiter;
  private readonly byRoom: AttemptLimiter;

  constructor(now: () => number = Date.now) {
    this.byAddress = new AttemptLimiter(GUESSES_PER_ADDRESS, GUESS_WINDOW_MS, undefined, now);
    this.byRoom = new AttemptLimiter(GUESSES_PER_ROOM, GUESS_WINDOW_MS, undefined, now);
  }

  async take(address: string, room: string): Promise<Guess> {
    if (this.byAddress.blocked(address) || this.byRoom.blocked(room)) {
      return { retryAfterMs: Math.max(this.byAddress.retryAfterMs(address), this.byRoom.retryAfterMs(room)) };
    }
    this.byAddress.record(address);
    this.byRoom.record(room);
    return {
      refund: async () => {
        this.byAddress.release(address);
        this.byRoom.release(room);
      },
    };
  }
}

/**
 * KEYS: the address's and the room's sorted sets of guesses (scored by time). ARGV: key prefix (unused:
 * the keys come whole), now, window, the two limits, this guess's id. {1, 0} when counted; {0, ms to wait}
 * when either is used up.
 */
const TAKE = new RedisScript(`
local since = tonumber(ARGV[2]) - tonumber(ARGV[3])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', since)
  local limit = tonumber(ARGV[3 + i])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) - since)
  end
end
if wait > 0 then return {0, wait} end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[2], ARGV[6])
  redis.call('PEXPIRE', key, ARGV[3])
end
return {1, 0}`);

/**
 * The count all nodes of a cluster share, in Redis: with a count per node, n nodes would allow n times the
 * guesses. Addresses are kept hashed, and only for the window.
 */
export class RedisPasswordGuesses implements PasswordGuesses {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  async take(address: string, room: string): Promise<Guess> {
    const keys = [`${this.prefix}guesses:address:${createHash('sha256').update(address).digest('base64url')}`, `${this.prefix}guesses:${room}`];
    const id = randomUUID();
    const [counted, wait] = (await TAKE.run(this.redis, keys, [this.now(), GUESS_WINDOW_MS, GUESSES_PER_ADDRESS, GUESSES_PER_ROOM, id])) as [number, number];
    if (counted !== 1) return { retryAfterMs: wait };
    return {
      refund: async () => {
        await this.redis.multi().zrem(keys[0]!, id).zrem(keys[1]!, id).exec();
      },
    };
  }
}
