import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// What the Redis stores share: Lua scripts, and records kept as flat hashes (one field per value).

/**
 * A Lua script run with EVALSHA, sent in full only when Redis does not know it yet (first use, or after a
 * restart or SCRIPT FLUSH). ioredis prefixes the KEYS it is given, but not keys a script builds from stored
 * values (a room's old id, a report's room), so every script gets the key prefix as ARGV[1] and its own
 * arguments after it. Building keys inside a script is fine on one Redis, not on Redis Cluster.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    const argv = [redis.options.keyPrefix ?? '', ...args];
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...argv);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.lua, keys.length, ...keys, ...argv);
    }
  }
}

/** A room's and a group's records: stores that refer to them check they exist, as SQLite's foreign keys do. */
export const roomHash = (key: number): string => `room:${key}`;
export const groupHash = (id: string): string => `group:${id}`;

/** KEYS: a sorted set of record ids. ARGV: prefix, the records' key prefix (`invite:`), last rank. The records, in the set's order. */
export const LIST_RECORDS = new RedisScript(`
local records = {}
for i, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, ARGV[3])) do records[i] = redis.call('HGETALL', ARGV[1] .. ARGV[2] .. id) end
return records`);

export type FieldValue = string | number | boolean | null;

const encode = (value: string | number | boolean): string => (typeof value === 'boolean' ? (value ? '1' : '0') : String(value));

/** HSET arguments (field, value, ...); a null is left out: an absent field reads back as null. */
export function hashArgs(fields: Record<string, FieldValue>): string[] {
  return Object.entries(fields).flatMap(([name, value]) => (value === null ? [] : [name, encode(value)]));
}

/** A hash as Lua's HGETALL returns it (field, value, ...); null for a missing key, whose hash is empty. */
export function replyToHash(reply: unknown): Record<string, string> | null {
  const flat = replyToStrings(reply);
  if (flat.length === 0) return null;
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}

/** A stored record's hash; null when there is none. */
export async function readHash(redis: Redis, key: string): Promise<Record<string, string> | null> {
  const hash = await redis.hgetall(key);
  return Object.keys(hash).length === 0 ? null : hash;
}

/** A hash a script just wrote or found through an index: missing means the data was damaged. */
export function requireHash(reply: unknown): Record<string, string> {
  const hash = replyToHash(reply);
  if (hash === null) throw new Error('a stored record is missing from Redis');
  return hash;
}

/** The hashes of a listed collection, each of which must exist. */
export const replyToHashes = (reply: unknown): Record<string, string>[] => replyToArray(reply).map(requireHash);

/** A script's array reply; a nil reply (false from Lua) is an empty array. */
export function replyToArray(reply: unknown): unknown[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw new Error(`unexpected reply from Redis: ${typeof reply}`);
  return reply;
}

function replyToStrings(reply: unknown): string[] {
  const items = replyToArray(reply);
  if (!items.every((item): item is string => typeof item === 'string')) throw new Error('unexpected reply from Redis: not a list of strings');
  return items;
}

/** Reads a stored hash back into typed values; a field that must be there and is not means the data was damaged. */
export class HashReader {
  constructor(private readonly hash: Record<string, string>) {}

  string(name: string): string {
    const value = this.hash[name];
    if (value === undefined) throw new Error(`stored record lacks ${name}`);
    return value;
  }

  number(name: string): number {
    return Number(this.string(name));
  }

  boolean(name: string): boolean {
    return this.string(name) === '1';
  }

  nullableString(name: string): string | null {
    return this.hash[name] ?? null;
  }

  nullableNumber(name: string): number | null {
    const value = this.hash[name];
    return value === undefined ? null : Number(value);
  }
}

/**
 * Collections are sorted sets scored by insertion order (INCR `seq`); a stable sort by creation time then
 * gives SQLite's `ORDER BY created_at, rowid`.
 */
export const oldestFirst = <T extends { createdAt: number }>(records: T[]): T[] => records.sort((a, b) => a.createdAt - b.createdAt);
