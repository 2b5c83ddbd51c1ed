import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { newSecret, newShortId, secretEquals } from '../ids.js';
import type { Peers, RoomRegistry } from '../rooms/room-registry.js';
import type { RoomRecord } from '../storage/records.js';
import type { RoomStore } from '../storage/stores.js';

/** How often a node reports its meetings and renews its leases, and reads everyone else's reports. */
export const NODE_REPORT_MS = 1000;
/** A node not heard from for this long is gone: its meetings may start elsewhere. */
export const NODE_TTL_MS = 5000;
/**
 * A meeting's lease, renewed with every report. A node that stops reporting loses its meetings after
 * NODE_TTL_MS already (its node key is gone, and claims take such leases over); the lease's own expiry
 * covers a node that is up but no longer claims the meeting.
 */
const LEASE_MS = 15_000;

/** One node's report, as it keeps it under `node:<id>`. */
interface NodeReport {
  url: string;
  meetings: { key: number; ids: string[]; size: number }[];
}

function parseReport(raw: string | null): NodeReport | null {
  return raw === null ? null : (JSON.parse(raw) as NodeReport);
}

/**
 * A claim, and every renewal too: a meeting's lease is this node's if it holds it, if nobody does, or if its
 * holder stopped reporting. 0: another node holds it.
 */
const CLAIM = `
local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if owner and redis.call('EXISTS', ARGV[3] .. owner) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * A node's link to the others through Redis (several servers, one Redis). A meeting runs on one node: the
 * node that starts it holds its lease (`meeting:<key>`), renewed while it runs, and every other node sends
 * that room's connections and host requests there (`route`). Each node reports its meetings every second;
 * every node reads all reports, so sizes and ownership are known everywhere without a round trip.
 */
export class NodeLink implements Peers {
  readonly id = newShortId();
  /**
   * Proves to another node that a request it receives was forwarded by a node: made once and kept in Redis,
   * read again with every report (a Redis that lost its data gets it back from the running nodes). The one
   * before a change is still taken for two reports' time, so nodes that read it at different moments keep
   * trusting each other.
   */
  secret = '';
  private previousSecret = '';
  private previousSecretUntil = 0;
  private closed = false;
  private url: string | null = null;
  private others = new Map<string, NodeReport>();
  /** Keys whose lease this node holds for a meeting that has not opened yet (the joiner is being set up). */
  private readonly pending = new Map<number, number>();
  private readonly held = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private reporting: Promise<void> | null = null;
  /** performance.now() of the last report Redis took; -Infinity before the first. */
  private reportedAt = Number.NEGATIVE_INFINITY;
  private again = false;
  /** Meetings this node gave up because another took them over (for /metrics). */
  handOvers = 0;

  /** Both connections are the link's own from here on: `close` ends them. */
  constructor(
    private readonly redis: Redis,
    /** A second connection, for the subscription (a subscribed connection takes no other commands). */
    private readonly subscriber: Redis,
    private readonly rooms: RoomRegistry,
    private readonly store: RoomStore,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  private lease(key: number): string {
    return this.key(`meeting:${key}`);
  }

  /** EVAL arguments of CLAIM for the meeting of `key`. */
  private claimArgs(key: number): [string, number, string, string, number, string] {
    return [CLAIM, 1, this.lease(key), this.id, LEASE_MS, this.key('node:')];
  }

  /** The other node whose report lists the meeting of `key`, and that report's entry. */
  private elsewhere(key: number): { node: string; size: number } | null {
    for (const [node, report] of this.others) for (const meeting of report.meetings) if (meeting.key === key) return { node, size: meeting.size };
    return null;
  }

  /** Before the server listens: the secret, so that the first forwarded request can be told from a forged one. */
  async connect(): Promise<void> {
    try {
      await this.redis.set(this.key('cluster-secret'), newSecret(), 'NX');
    } catch (err) {
      // Not the error itself: it carries the command, and so a secret, to wherever it is printed.
      throw new Error(`could not keep the cluster's secret in Redis: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.secret = (await this.redis.get(this.key('cluster-secret'))) ?? '';
    this.subscriber.on('message', (_channel: string, raw: string) => this.command(raw));
    await this.subscriber.subscribe(this.key(`node-commands:${this.id}`));
    this.rooms.peers = this;
  }

  /** Once it listens at `url`: the others learn of this node and send it its meetings' requests. */
  async start(url: string): Promise<void> {
    this.url = url;
    await this.report();
    this.timer = setInterval(() => void this.report(), NODE_REPORT_MS);
    this.timer.unref();
    this.log.info({ node: this.id, url }, 'joined the cluster');
  }

  private command(raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    // Only a meeting running here: one that moved on meanwhile is not passed on again.
    if (typeof message === 'object' && message !== null && 'closeMeeting' in message && typeof message.closeMeeting === 'number') {
      if (this.rooms.getByKey(message.closeMeeting) !== undefined) this.rooms.closeByOperator(message.closeMeeting);
    }
  }

  /** Reports this node's meetings, renews its leases, and reads the others' reports. One at a time. */
  private report(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reporting) {
      this.again = true;
      return this.reporting;
    }
    this.reporting = this.exchange()
      // The message only: a failed command's error carries its arguments, the cluster's secret among them.
      .catch((err: unknown) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not reach Redis to report this node'))
      .finally(() => {
        this.reporting = null;
        if (this.again) {
          this.again = false;
          void this.report();
        }
      });
    return this.reporting;
  }

  private async exchange(): Promise<void> {
    if (this.url === null) return;
    const now = performance.now();
    const meetings: NodeReport['meetings'] = [];
    const live = new Set<number>();
    for (const room of this.rooms.rooms) {
      if (room.isClosed) continue;
      live.add(room.record.key);
      this.pending.delete(room.record.key);
      meetings.push({ key: room.record.key, ids: room.ids, size: room.size });
    }
    for (const [key, at] of this.pending) if (now - at > LEASE_MS) this.pending.delete(key);
    const keep = [...new Set([...live, ...this.pending.keys()])];
    const released = [...this.held].filter((key) => !keep.includes(key));
    const batch = this.redis.multi();
    batch.set(this.key(`node:${this.id}`), JSON.stringify({ url: this.url, meetings } satisfies NodeReport), 'PX', NODE_TTL_MS);
    batch.sadd(this.key('nodes'), this.id);
    // A Redis that lost its data gets the secret back from the nodes that still run.
    batch.set(this.key('cluster-secret'), this.secret, 'NX');
    batch.get(this.key('cluster-secret'));
    for (const key of keep) batch.eval(...this.claimArgs(key));
    for (const key of released) batch.eval(RELEASE, 1, this.lease(key), this.id);
    const replies = await batch.exec();
    if (replies === null || replies.length < 4 + keep.length) throw new Error('Redis did not answer every part of the report');
    const secret = replies[3]?.[1];
    if (typeof secret === 'string' && secret !== this.secret) {
      this.previousSecret = this.secret;
      this.secret = secret;
      this.previousSecretUntil = now + 2 * NODE_REPORT_MS;
    }
    for (const key of released) this.held.delete(key);
    keep.forEach((key, i) => {
      const [err, granted] = replies[4 + i]!;
      if (err === null && granted === 1) return void this.held.add(key);
      this.held.delete(key);
      // Another node took the meeting over (this one was taken for gone: Redis out of reach, or a stall):
      // it must not run in two places. Everyone here reconnects, and reaches it there.
      this.pending.delete(key);
      if (err === null && live.has(key)) {
        this.log.warn({ node: this.id }, 'another node runs a meeting of this one now; its participants reconnect there');
        this.handOvers++;
        this.rooms.handOver(key);
      }
    });

    const ids = (await this.redis.smembers(this.key('nodes'))).filter((id) => id !== this.id);
    const reports = ids.length === 0 ? [] : await this.redis.mget(ids.map((id) => this.key(`node:${id}`)));
    const others = new Map<string, NodeReport>();
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const report = parseReport(reports[i] ?? null);
      if (report === null) gone.push(id);
      else others.set(id, report);
    });
    if (gone.length > 0) await this.redis.srem(this.key('nodes'), ...gone);
    this.others = others;
    this.reportedAt = now;
  }

  changed(): void {
    void this.report();
  }

  async claim(record: RoomRecord): Promise<boolean> {
    // Not before the others can see this node (its first report), nor once they may take it for gone: its
    // lease would look like a dead node's to them.
    if (!this.inTouch()) return false;
    // Pending from before the claim is sent: a report built meanwhile must renew it, not release it.
    this.pending.set(record.key, performance.now());
    try {
      const granted = await this.redis.eval(...this.claimArgs(record.key));
      if (granted === 1) {
        this.held.add(record.key);
        return true;
      }
    } catch (err) {
      this.log.warn({ err }, 'could not claim a meeting in Redis; the join is refused and retried');
    }
    this.pending.delete(record.key);
    return false;
  }

  sizeElsewhere(key: number): number {
    return this.elsewhere(key)?.size ?? 0;
  }

  closeElsewhere(key: number): boolean {
    const running = this.elsewhere(key);
    if (running === null) return false;
    this.redis.publish(this.key(`node-commands:${running.node}`), JSON.stringify({ closeMeeting: key })).catch((err: unknown) => this.log.warn({ err }, 'could not ask a node to close a meeting'));
    return true;
  }

  /**
   * The URL of the node that runs the meeting `roomId` names (its id now or before a link rotation), or null
   * when none but this one does: then this node serves the request, and a join here starts the meeting.
   */
  async route(roomId: string): Promise<string | null> {
    try {
      return await this.owner(roomId);
    } catch (err) {
      this.log.warn({ err }, 'could not look up where a meeting runs; serving the request here');
      return null;
    }
  }

  private async owner(roomId: string): Promise<string | null> {
    for (const room of this.rooms.rooms) if (!room.isClosed && room.answersTo(roomId)) return null;
    for (const report of this.others.values()) if (report.meetings.some((meeting) => meeting.ids.includes(roomId))) return report.url;
    // Started elsewhere since the last reports were read: the lease says where.
    const record = await this.store.get(roomId);
    if (record === null) return null;
    const owner = await this.redis.get(this.lease(record.key));
    if (owner === null || owner === this.id) return null;
    const report = this.others.get(owner) ?? parseReport(await this.redis.get(this.key(`node:${owner}`)));
    return report?.url ?? null;
  }

  /** The nodes this one hears from, itself included. */
  nodesSeen(): number {
    return this.others.size + 1;
  }

  /** Whether the others heard from this node lately: after NODE_TTL_MS without, they take it for gone. */
  inTouch(): boolean {
    return performance.now() - this.reportedAt < NODE_TTL_MS;
  }

  /** Whether `secret` is one a node may carry now. */
  trusts(secret: string): boolean {
    const known = performance.now() < this.previousSecretUntil ? [this.secret, this.previousSecret] : [this.secret];
    return secret !== '' && known.some((s) => s !== '' && secretEquals(secret, s));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.rooms.peers === this) this.rooms.peers = null;
    await this.reporting;
    try {
      const batch = this.redis.multi();
      for (const key of this.held) batch.eval(RELEASE, 1, this.lease(key), this.id);
      batch.del(this.key(`node:${this.id}`));
      batch.srem(this.key('nodes'), this.id);
      await batch.exec();
    } catch (err) {
      this.log.warn({ err }, 'could not leave the cluster cleanly; its leases expire by themselves');
    }
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
