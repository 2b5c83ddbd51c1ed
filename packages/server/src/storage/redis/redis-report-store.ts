import type { Redis } from 'ioredis';
import type { ReportReason } from '@treff/protocol';
import type { ReportRecord } from '../records.js';
import type { ListedReport, ReportStore } from '../stores.js';
import { HashReader, RedisScript, hashArgs, oldestFirst, replyToHashes, roomHash } from './redis-support.js';

// Keys: `report:<id>` a hash of the record (display names as JSON); `reports` and `reports-open` all and
// the open reports, by insertion; `report-room-ids` room id → key of the first report made under that id.

const ALL = 'reports';
const OPEN = 'reports-open';
const ROOM_IDS = 'report-room-ids';
const reportHash = (id: string): string => `report:${id}`;

// KEYS: room, report, reports, reports-open, report-room-ids, seq. ARGV: prefix, id, room id, room key, fields...
const ADD = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('no such room') end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('a report with this id already exists') end
local seq = redis.call('INCR', KEYS[6])
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('ZADD', KEYS[3], seq, ARGV[2])
redis.call('ZADD', KEYS[4], seq, ARGV[2])
redis.call('HSETNX', KEYS[5], ARGV[3], ARGV[4])`);

// KEYS: reports or reports-open. ARGV: prefix. Each report with its room's current id; like SQLite's join, a report without its room is left out.
const LIST = new RedisScript(`
local listed = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local report = redis.call('HGETALL', ARGV[1] .. 'report:' .. id)
  local roomId = redis.call('HGET', ARGV[1] .. 'room:' .. redis.call('HGET', ARGV[1] .. 'report:' .. id, 'roomKey'), 'id')
  if roomId then
    table.insert(report, 'currentRoomId')
    table.insert(report, roomId)
    table.insert(listed, report)
  end
end
return listed`);

// KEYS: report, reports-open. ARGV: prefix, now, id.
const CLOSE = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'closedAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'closedAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[3])
return 1`);

function toListed(hash: Record<string, string>): ListedReport {
  const f = new HashReader(hash);
  return {
    id: f.string('id'),
    roomKey: f.number('roomKey'),
    roomId: f.string('roomId'),
    createdAt: f.number('createdAt'),
    reason: f.string('reason') as ReportReason,
    text: f.string('text'),
    participantCount: f.number('participantCount'),
    displayNames: JSON.parse(f.string('displayNames')) as string[],
    closedAt: f.nullableNumber('closedAt'),
    currentRoomId: f.string('currentRoomId'),
  };
}

/** Reports to the operator: metadata only (see `ReportRecord`). */
export class RedisReportStore implements ReportStore {
  constructor(private readonly redis: Redis) {}

  async add(report: ReportRecord): Promise<void> {
    const { id, roomKey, roomId, createdAt, reason, text, participantCount } = report;
    const fields = hashArgs({ id, roomKey, roomId, createdAt, reason, text, participantCount, displayNames: JSON.stringify(report.displayNames) });
    await ADD.run(this.redis, [roomHash(roomKey), reportHash(id), ALL, OPEN, ROOM_IDS, 'seq'], [id, roomId, roomKey, ...fields]);
  }

  async list(status: 'open' | 'all'): Promise<ListedReport[]> {
    return oldestFirst(replyToHashes(await LIST.run(this.redis, [status === 'open' ? OPEN : ALL])).map(toListed));
  }

  async roomKeyReportedAs(roomId: string): Promise<number | null> {
    const key = await this.redis.hget(ROOM_IDS, roomId);
    return key === null ? null : Number(key);
  }

  async close(id: string, now: number): Promise<boolean> {
    return (await CLOSE.run(this.redis, [reportHash(id), OPEN], [now, id])) === 1;
  }
}
