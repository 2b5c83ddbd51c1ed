import type { RouterOptions, Sfu } from '@treff/sfu';
import type { Logger } from 'pino';
import { roomLogTag } from '../ids.js';
import type { RoomRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { Room } from './room.js';
import { RoomError } from './room-error.js';

/**
 * The other worker processes, as a registry in one of several sees them (cluster/worker-link.ts); a single
 * process has none.
 */
export interface Peers {
  /** A meeting started, ended or got a new id here. */
  changed(): void;
  /** Whether this process may start the meeting of `record`: false while another runs it. */
  claim(record: RoomRecord): Promise<boolean>;
  /** The size of a meeting another process runs; 0 when none does. */
  sizeElsewhere(key: number): number;
  /** Ends the meeting of `key` if another process runs it; whether one did. */
  closeElsewhere(key: number): boolean;
}

/** Knocks one client address may make per minute, over all rooms. */
const KNOCKS_PER_MINUTE = 10;

/**
 * The live meetings of this process, by the room's internal key (a rotated link keeps its meeting).
 * A meeting starts with its first participant (or knock) and ends with its last.
 */
export class RoomRegistry {
  private readonly live = new Map<number, Room>();
  private readonly knocks = new AttemptLimiter(KNOCKS_PER_MINUTE, 60_000);
  peers: Peers | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly sfu: Sfu,
    /** The server's per-room limit. */
    readonly maxParticipants: number,
    private readonly routing: RouterOptions,
    private readonly log: Logger,
  ) {}

  /** The live meeting of a stored room, started on demand. */
  open(record: RoomRecord): Room {
    const existing = this.live.get(record.key);
    if (existing !== undefined && !existing.isClosed) return existing;
    const router = this.sfu.createRouter(String(record.key), this.routing);
    const room = new Room(record, router, { storage: this.storage, maxParticipants: this.maxParticipants, knocks: this.knocks, log: this.log });
    this.live.set(record.key, room);
    this.storage.rooms.touch(record.key, Date.now()).catch((err: unknown) => this.log.warn({ err }, 'could not record when a room was last used'));
    room.once('empty', () => {
      this.log.info({ room: roomLogTag(room.id) }, 'meeting ended: last participant left');
      room.close();
    });
    room.on('renamed', () => this.peers?.changed());
    room.once('closed', () => {
      if (this.live.get(record.key) === room) this.live.delete(record.key);
      this.peers?.changed();
    });
    this.peers?.changed();
    return room;
  }

  /**
   * Whether this process may open the meeting of `record` (it runs it already, or no other process does), and
   * with which record: a meeting that starts now starts with what is stored now, since the claim took a while
   * and another process may have changed a setting meanwhile (a running meeting adopts every change itself).
   * Null: another process runs it.
   */
  async mayOpen(record: RoomRecord): Promise<RoomRecord | null> {
    const existing = this.live.get(record.key);
    if (existing !== undefined && !existing.isClosed) return record;
    if (this.peers === null) return record;
    if (!(await this.peers.claim(record))) return null;
    const fresh = await this.storage.rooms.getByKey(record.key);
    if (fresh === null) throw new RoomError('room-not-found', 'this meeting does not exist; check the link');
    return fresh;
  }

  /** The live meeting of a room by its current public id. */
  get(roomId: string): Room | undefined {
    for (const room of this.live.values()) if (room.id === roomId) return room;
    return undefined;
  }

  /**
   * The live meeting a resume asks for: the participant is there, and the room id it sends is the
   * meeting's, now or before a link rotation it missed. The resume token is the caller's to check.
   */
  resumable(roomId: string, participantId: string): Room | undefined {
    for (const room of this.live.values()) if (room.answersTo(roomId) && room.participants.has(participantId)) return room;
    return undefined;
  }

  getByKey(key: number): Room | undefined {
    return this.live.get(key);
  }

  /** How many are in a room's meeting, wherever it runs; 0 when none is live. */
  liveSize(key: number): number {
    return this.live.get(key)?.size ?? this.peers?.sizeElsewhere(key) ?? 0;
  }

  /** The operator closed the room: its live meeting ends for everyone, the lobby included; false when none is live. */
  closeByOperator(key: number): boolean {
    const room = this.getByKey(key);
    // A request by an id the meeting does not answer to (one from before an earlier rotation) may reach
    // another worker than the meeting's.
    if (room === undefined) return this.peers?.closeElsewhere(key) ?? false;
    room.end('room-closed', 'this meeting was closed by the server’s operator');
    return true;
  }

  /**
   * Another process runs this meeting now (this one was taken for gone and lost its claim): everyone here is
   * disconnected, and reconnects to reach it there.
   */
  handOver(key: number): void {
    const room = this.live.get(key);
    if (room === undefined) return;
    for (const participant of room.participants.values()) participant.sink?.disconnect('the meeting moved to another server');
    room.close();
  }

  get rooms(): IterableIterator<Room> {
    return this.live.values();
  }

  close(): void {
    for (const room of [...this.live.values()]) room.close();
    this.live.clear();
  }
}
