import type { Redis } from 'ioredis';
import { newShortId } from '../../ids.js';
import type { InviteRecord } from '../records.js';
import type { InviteStore } from '../stores.js';
import { HashReader, LIST_RECORDS, RedisScript, hashArgs, oldestFirst, replyToHashes, roomHash } from './redis-support.js';

// Keys: `invite:<id>` a hash of the record; `room-invites:<key>` the room's invites by insertion;
// `invite-token:<key>:<token hash>` the room's active invites with that token, by insertion (one, unless a
// token was reused), so that the first active one is found as SQLite finds it.

const inviteHash = (id: string): string => `invite:${id}`;
const roomInvites = (roomKey: number): string => `room-invites:${roomKey}`;
const tokenInvites = (roomKey: number, tokenHash: string): string => `invite-token:${roomKey}:${tokenHash}`;

// KEYS: room, invite, room-invites, invite-token, seq. ARGV: prefix, id, fields...
const CREATE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('no such room') end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('an invite with this id already exists') end
local seq = redis.call('INCR', KEYS[5])
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('ZADD', KEYS[3], seq, ARGV[2])
redis.call('ZADD', KEYS[4], seq, ARGV[2])`);

// KEYS: invite. ARGV: prefix, room key, now, id.
const REVOKE = new RedisScript(`
if redis.call('HGET', KEYS[1], 'roomKey') ~= ARGV[2] or redis.call('HEXISTS', KEYS[1], 'revokedAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'revokedAt', ARGV[3])
redis.call('ZREM', ARGV[1] .. 'invite-token:' .. ARGV[2] .. ':' .. redis.call('HGET', KEYS[1], 'tokenHash'), ARGV[4])
return 1`);

function toRecord(hash: Record<string, string>): InviteRecord {
  const f = new HashReader(hash);
  return {
    id: f.string('id'),
    roomKey: f.number('roomKey'),
    label: f.string('label'),
    tokenHash: f.string('tokenHash'),
    createdAt: f.number('createdAt'),
    revokedAt: f.nullableNumber('revokedAt'),
  };
}

/** Personal invites to invite-only rooms; only the token's hash is kept. */
export class RedisInviteStore implements InviteStore {
  constructor(private readonly redis: Redis) {}

  async create(roomKey: number, label: string, tokenHash: string, now: number): Promise<InviteRecord> {
    const invite: InviteRecord = { id: newShortId(), roomKey, label, tokenHash, createdAt: now, revokedAt: null };
    const keys = [roomHash(roomKey), inviteHash(invite.id), roomInvites(roomKey), tokenInvites(roomKey, tokenHash), 'seq'];
    await CREATE.run(this.redis, keys, [invite.id, ...hashArgs({ ...invite })]);
    return invite;
  }

  async list(roomKey: number): Promise<InviteRecord[]> {
    return oldestFirst(replyToHashes(await LIST_RECORDS.run(this.redis, [roomInvites(roomKey)], ['invite:', -1])).map(toRecord));
  }

  async revoke(roomKey: number, inviteId: string, now: number): Promise<boolean> {
    return (await REVOKE.run(this.redis, [inviteHash(inviteId)], [roomKey, now, inviteId])) === 1;
  }

  async findActive(roomKey: number, tokenHash: string): Promise<InviteRecord | null> {
    const [first] = replyToHashes(await LIST_RECORDS.run(this.redis, [tokenInvites(roomKey, tokenHash)], ['invite:', 0])).map(toRecord);
    return first ?? null;
  }
}
