import type { Redis } from 'ioredis';
import type { GroupRecord, MemberRecord } from '../records.js';
import type { GroupStore } from '../stores.js';
import { HashReader, LIST_RECORDS, RedisScript, groupHash, hashArgs, oldestFirst, readHash, replyToHashes } from './redis-support.js';

// Keys: `group:<id>` and `member:<id>` hashes of the records; `group-members:<id>` the group's members that
// are not revoked, by insertion.

const memberHash = (id: string): string => `member:${id}`;
const groupMembers = (groupId: string): string => `group-members:${groupId}`;

// KEYS: group. ARGV: prefix, fields...
const CREATE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('a group with this id already exists') end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))`);

// KEYS: group. ARGV: prefix, member invite hash.
const ROTATE_MEMBER_INVITE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'memberInviteHash', ARGV[2]) end`);

// KEYS: group, member, group-members, seq. ARGV: prefix, id, listed ('1': not revoked), fields...
const ADD_MEMBER = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('no such group') end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('a member with this id already exists') end
local seq = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
if ARGV[3] == '1' then redis.call('ZADD', KEYS[3], seq, ARGV[2]) end`);

// KEYS: member, group-members. ARGV: prefix, group id, now, member id.
const REVOKE_MEMBER = new RedisScript(`
if redis.call('HGET', KEYS[1], 'groupId') ~= ARGV[2] or redis.call('HEXISTS', KEYS[1], 'revokedAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'revokedAt', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[4])
return 1`);

function toGroup(hash: Record<string, string>): GroupRecord {
  const f = new HashReader(hash);
  return {
    id: f.string('id'),
    name: f.string('name'),
    adminSecretHash: f.string('adminSecretHash'),
    memberInviteHash: f.string('memberInviteHash'),
    createdAt: f.number('createdAt'),
  };
}

function toMember(hash: Record<string, string>): MemberRecord {
  const f = new HashReader(hash);
  return {
    id: f.string('id'),
    groupId: f.string('groupId'),
    name: f.string('name'),
    role: f.string('role') as MemberRecord['role'],
    createdAt: f.number('createdAt'),
    revokedAt: f.nullableNumber('revokedAt'),
  };
}

/** Groups without accounts: an admin secret, a rotating member invite code, and members holding credentials. */
export class RedisGroupStore implements GroupStore {
  constructor(private readonly redis: Redis) {}

  async create(group: GroupRecord): Promise<void> {
    const { id, name, adminSecretHash, memberInviteHash, createdAt } = group;
    await CREATE.run(this.redis, [groupHash(id)], hashArgs({ id, name, adminSecretHash, memberInviteHash, createdAt }));
  }

  async get(id: string): Promise<GroupRecord | null> {
    const hash = await readHash(this.redis, groupHash(id));
    return hash === null ? null : toGroup(hash);
  }

  async rotateMemberInvite(id: string, memberInviteHash: string): Promise<void> {
    await ROTATE_MEMBER_INVITE.run(this.redis, [groupHash(id)], [memberInviteHash]);
  }

  async addMember(member: MemberRecord): Promise<void> {
    const { id, groupId, name, role, createdAt, revokedAt } = member;
    const keys = [groupHash(groupId), memberHash(id), groupMembers(groupId), 'seq'];
    await ADD_MEMBER.run(this.redis, keys, [id, revokedAt === null ? '1' : '0', ...hashArgs({ id, groupId, name, role, createdAt, revokedAt })]);
  }

  async getMember(id: string): Promise<MemberRecord | null> {
    const hash = await readHash(this.redis, memberHash(id));
    return hash === null ? null : toMember(hash);
  }

  async listMembers(groupId: string): Promise<MemberRecord[]> {
    return oldestFirst(replyToHashes(await LIST_RECORDS.run(this.redis, [groupMembers(groupId)], ['member:', -1])).map(toMember));
  }

  async revokeMember(groupId: string, memberId: string, now: number): Promise<boolean> {
    return (await REVOKE_MEMBER.run(this.redis, [memberHash(memberId), groupMembers(groupId)], [groupId, now, memberId])) === 1;
  }
}
