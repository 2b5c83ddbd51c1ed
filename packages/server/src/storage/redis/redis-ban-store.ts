import type { Redis } from 'ioredis';
import type { BanRecord } from '../records.js';
import type { BanStore } from '../stores.js';
import { RedisScript, roomHash } from './redis-support.js';

// Keys: `room-bans:<key>` the room's ban records (JSON, for counting and inspection); `room-banned:<key>`
// the set of what they bind, as `device:<hash>`, `invite:<id>` and `member:<id>`, for one-call matching.

const records = (roomKey: number): string => `room-bans:${roomKey}`;
const banned = (roomKey: number): string => `room-banned:${roomKey}`;

/** Only what is given can match: leaving a null out is what makes a null never match. */
const identities = (who: { deviceHash: string | null; inviteId: string | null; memberId: string | null }): string[] => [
  ...(who.deviceHash === null ? [] : [`device:${who.deviceHash}`]),
  ...(who.inviteId === null ? [] : [`invite:${who.inviteId}`]),
  ...(who.memberId === null ? [] : [`member:${who.memberId}`]),
];

// KEYS: room, room-bans, room-banned. ARGV: prefix, record, identities...
const ADD = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('no such room') end
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('SADD', KEYS[3], unpack(ARGV, 3))`);

// KEYS: room-bans, room-banned. ARGV: prefix.
const CLEAR = new RedisScript(`
local count = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2])
return count`);

/** Who stays out of a room for good (until a host clears the bans). */
export class RedisBanStore implements BanStore {
  constructor(private readonly redis: Redis) {}

  async add(ban: BanRecord): Promise<boolean> {
    const binds = identities(ban);
    if (binds.length === 0) return false;
    const record = JSON.stringify({ deviceHash: ban.deviceHash, inviteId: ban.inviteId, memberId: ban.memberId, createdAt: ban.createdAt });
    await ADD.run(this.redis, [roomHash(ban.roomKey), records(ban.roomKey), banned(ban.roomKey)], [record, ...binds]);
    return true;
  }

  async isBanned(roomKey: number, who: { deviceHash: string | null; inviteId: string | null; memberId: string | null }): Promise<boolean> {
    const binds = identities(who);
    if (binds.length === 0) return false;
    return (await this.redis.smismember(banned(roomKey), ...binds)).includes(1);
  }

  async clear(roomKey: number): Promise<number> {
    return Number(await CLEAR.run(this.redis, [records(roomKey), banned(roomKey)]));
  }
}
