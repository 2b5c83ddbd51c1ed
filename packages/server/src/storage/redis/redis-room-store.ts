import type { Redis } from 'ioredis';
import type { JoinMode } from '@treff/protocol';
import type { RoomRecord, StoredRoomSettings } from '../records.js';
import type { RoomStore } from '../stores.js';
import { HashReader, RedisScript, groupHash, hashArgs, readHash, replyToHash, replyToHashes, requireHash, roomHash, type FieldValue } from './redis-support.js';

// Keys: `room:<key>` a hash of the record (plus lastUsedAt); `room-id:<id>` → key; `rooms-discoverable`
// the discoverable rooms that are not blocked, scored by last use; `group-rooms:<group>` a group's rooms
// that are not blocked, scored by creation. Sorted-set members are keys zero-padded to 16 digits, so that
// Redis breaks score ties by key as SQLite does (newest first in the directory, oldest first in a group).

const DISCOVERABLE = 'rooms-discoverable';
const idKey = (id: string): string => `room-id:${id}`;
const groupRooms = (groupId: string): string => `group-rooms:${groupId}`;
const member = (key: number): string => String(key).padStart(16, '0');

/** The settings a change may name: anything else never reaches Redis. The type fails to compile until a new setting is listed. */
const SETTINGS: Record<keyof StoredRoomSettings, true> = {
  joinMode: true,
  lobby: true,
  locked: true,
  passwordHash: true,
  linkSharing: true,
  discoverable: true,
  maxParticipants: true,
  autoPromote: true,
  requireE2ee: true,
  multipleScreenShares: true,
};
const SETTING_NAMES = Object.keys(SETTINGS) as (keyof StoredRoomSettings)[];

const settingFields = (changes: Partial<StoredRoomSettings>): Record<string, FieldValue> =>
  Object.fromEntries(SETTING_NAMES.flatMap((name) => (changes[name] === undefined ? [] : [[name, changes[name]]])));

// KEYS: room-id, room-key-seq, rooms-discoverable[, group, group-rooms]. ARGV: prefix, createdAt, discoverable, fields...
const INSERT = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('a room with this id already exists') end
if KEYS[4] and redis.call('EXISTS', KEYS[4]) == 0 then return redis.error_reply('no such group') end
local n = redis.call('INCR', KEYS[2])
local key, member = string.format('%d', n), string.format('%016d', n)
redis.call('HSET', ARGV[1] .. 'room:' .. key, 'key', key, unpack(ARGV, 4))
redis.call('SET', KEYS[1], key)
if ARGV[3] == '1' then redis.call('ZADD', KEYS[3], ARGV[2], member) end
if KEYS[4] then redis.call('ZADD', KEYS[5], ARGV[2], member) end
return redis.call('HGETALL', ARGV[1] .. 'room:' .. key)`);

// KEYS: room-id. ARGV: prefix.
const GET_BY_ID = new RedisScript(`
local key = redis.call('GET', KEYS[1])
if not key then return {} end
return redis.call('HGETALL', ARGV[1] .. 'room:' .. key)`);

// KEYS: room, rooms-discoverable. ARGV: prefix, member, number of fields to clear, cleared fields..., fields to set...
const UPDATE_SETTINGS = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local cleared = tonumber(ARGV[3])
if cleared > 0 then redis.call('HDEL', KEYS[1], unpack(ARGV, 4, 3 + cleared)) end
if #ARGV > 3 + cleared then redis.call('HSET', KEYS[1], unpack(ARGV, 4 + cleared)) end
if redis.call('HGET', KEYS[1], 'discoverable') == '1' and redis.call('HEXISTS', KEYS[1], 'blockedAt') == 0 then
  redis.call('ZADD', KEYS[2], redis.call('HGET', KEYS[1], 'lastUsedAt'), ARGV[2])
else
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return redis.call('HGETALL', KEYS[1])`);

// KEYS: room, new room-id. ARGV: prefix, key, new id.
const ROTATE_ID = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local owner = redis.call('GET', KEYS[2])
if owner and owner ~= ARGV[2] then return redis.error_reply('a room with this id already exists') end
redis.call('DEL', ARGV[1] .. 'room-id:' .. redis.call('HGET', KEYS[1], 'id'))
redis.call('SET', KEYS[2], ARGV[2])
redis.call('HSET', KEYS[1], 'id', ARGV[3])
return redis.call('HGETALL', KEYS[1])`);

// KEYS: room, rooms-discoverable. ARGV: prefix, member, now.
const BLOCK = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'blockedAt') == 1 then return end
redis.call('HSET', KEYS[1], 'blockedAt', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[2])
local group = redis.call('HGET', KEYS[1], 'groupId')
if group then redis.call('ZREM', ARGV[1] .. 'group-rooms:' .. group, ARGV[2]) end`);

// KEYS: room, rooms-discoverable. ARGV: prefix, member, now. XX: only a listed room moves in the directory.
const TOUCH = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[3])
redis.call('ZADD', KEYS[2], 'XX', ARGV[3], ARGV[2])`);

// KEYS: a sorted set of rooms. ARGV: prefix, last rank, 'rev' for highest score first.
const LIST = new RedisScript(`
local members
if ARGV[3] == 'rev' then members = redis.call('ZREVRANGE', KEYS[1], 0, ARGV[2]) else members = redis.call('ZRANGE', KEYS[1], 0, ARGV[2]) end
local rooms = {}
for i, member in ipairs(members) do rooms[i] = redis.call('HGETALL', ARGV[1] .. 'room:' .. string.match(member, '^0*(%d+)$')) end
return rooms`);

function toRecord(hash: Record<string, string>): RoomRecord {
  const f = new HashReader(hash);
  return {
    key: f.number('key'),
    id: f.string('id'),
    title: f.string('title'),
    hostSecretHash: f.string('hostSecretHash'),
    createdAt: f.number('createdAt'),
    groupId: f.nullableString('groupId'),
    settings: {
      joinMode: f.string('joinMode') as JoinMode,
      lobby: f.boolean('lobby'),
      locked: f.boolean('locked'),
      passwordHash: f.nullableString('passwordHash'),
      linkSharing: f.boolean('linkSharing'),
      discoverable: f.boolean('discoverable'),
      maxParticipants: f.number('maxParticipants'),
      autoPromote: f.boolean('autoPromote'),
      requireE2ee: f.boolean('requireE2ee'),
      multipleScreenShares: f.boolean('multipleScreenShares'),
    },
    blockedAt: f.nullableNumber('blockedAt'),
  };
}

function existing(reply: unknown, key: number): RoomRecord {
  const hash = replyToHash(reply);
  if (hash === null) throw new Error(`no room with key ${key}`);
  return toRecord(hash);
}

/** Rooms outlive their meetings: a link keeps working until the room is blocked or its link rotated. */
export class RedisRoomStore implements RoomStore {
  constructor(private readonly redis: Redis) {}

  async insert(room: Omit<RoomRecord, 'key' | 'blockedAt'>): Promise<RoomRecord> {
    const fields = hashArgs({
      id: room.id,
      title: room.title,
      hostSecretHash: room.hostSecretHash,
      createdAt: room.createdAt,
      lastUsedAt: room.createdAt,
      groupId: room.groupId,
      ...settingFields(room.settings),
    });
    const keys = [idKey(room.id), 'room-key-seq', DISCOVERABLE];
    if (room.groupId !== null) keys.push(groupHash(room.groupId), groupRooms(room.groupId));
    return toRecord(requireHash(await INSERT.run(this.redis, keys, [room.createdAt, room.settings.discoverable ? '1' : '0', ...fields])));
  }

  async get(id: string): Promise<RoomRecord | null> {
    const hash = replyToHash(await GET_BY_ID.run(this.redis, [idKey(id)]));
    return hash === null ? null : toRecord(hash);
  }

  async getByKey(key: number): Promise<RoomRecord | null> {
    const hash = await readHash(this.redis, roomHash(key));
    return hash === null ? null : toRecord(hash);
  }

  async updateSettings(key: number, changes: Partial<StoredRoomSettings>): Promise<RoomRecord> {
    const fields = settingFields(changes);
    const cleared = Object.keys(fields).filter((name) => fields[name] === null);
    const reply = await UPDATE_SETTINGS.run(this.redis, [roomHash(key), DISCOVERABLE], [member(key), cleared.length, ...cleared, ...hashArgs(fields)]);
    return existing(reply, key);
  }

  async rotateId(key: number, newId: string): Promise<RoomRecord> {
    return existing(await ROTATE_ID.run(this.redis, [roomHash(key), idKey(newId)], [String(key), newId]), key);
  }

  async block(key: number, now: number): Promise<void> {
    await BLOCK.run(this.redis, [roomHash(key), DISCOVERABLE], [member(key), now]);
  }

  async touch(key: number, now: number): Promise<void> {
    await TOUCH.run(this.redis, [roomHash(key), DISCOVERABLE], [member(key), now]);
  }

  async listDiscoverable(limit: number): Promise<RoomRecord[]> {
    // As SQLite's LIMIT: 0 lists nothing, a negative limit everything.
    if (limit === 0) return [];
    return replyToHashes(await LIST.run(this.redis, [DISCOVERABLE], [limit < 0 ? -1 : limit - 1, 'rev'])).map(toRecord);
  }

  async listByGroup(groupId: string): Promise<RoomRecord[]> {
    return replyToHashes(await LIST.run(this.redis, [groupRooms(groupId)], [-1, ''])).map(toRecord);
  }
}

