/** A live meeting as its worker reports it. */
export interface MeetingReport {
  /** The room's internal key: stable across link rotations. */
  key: number;
  /** Every public id the meeting answers to: the current one and those before a rotation. */
  ids: string[];
  size: number;
}

interface Pending {
  worker: number;
  until: number;
}

/** How long a room stays with the worker its first connection went to before that worker reports the meeting. */
export const PENDING_MS = 30_000;
/** Rooms waiting for their meeting at most; past it the oldest is dropped (a flood of made-up room ids). */
export const MAX_PENDING = 10_000;

/**
 * Which worker process serves which room. A meeting lives in exactly one worker (its media, its lobby, its
 * live state), so every connection and host request for it must reach that worker; requests about no live
 * meeting can go anywhere. Connections for a new meeting are kept together (`connect`), and a worker starts
 * a meeting only after `claim` granted it the room's key: whatever a client does (a socket opened long
 * before its join, a meeting that ended and started elsewhere meanwhile), one key has one worker.
 */
export class Placement {
  /** Worker → its meetings, replaced by each report. */
  private readonly meetings = new Map<number, MeetingReport[]>();
  /** Public room id → worker, for every id of every reported meeting. */
  private readonly byId = new Map<string, number>();
  /** Room key → the worker whose meeting it is. */
  private readonly owners = new Map<number, number>();
  /** Rooms a connection was sent to but whose meeting is not reported yet; oldest first, as they expire. */
  private readonly pending = new Map<string, Pending>();
  /** Worker → how many of `pending` are its. */
  private readonly pendingCount = new Map<number, number>();
  private readonly up = new Set<number>();

  // Monotonic: pending rooms expire in order, whatever the wall clock does.
  constructor(private readonly now: () => number = () => performance.now()) {}

  workerUp(worker: number): void {
    this.up.add(worker);
  }

  /** The worker ended: its meetings ended with it. */
  workerDown(worker: number): void {
    this.up.delete(worker);
    this.report(worker, []);
    for (const [id, p] of this.pending) if (p.worker === worker) this.unpend(id);
  }

  get workers(): number[] {
    return [...this.up].sort((a, b) => a - b);
  }

  /** A worker's whole list of meetings (live, or claimed and about to start). */
  report(worker: number, meetings: MeetingReport[]): void {
    for (const meeting of this.meetings.get(worker) ?? []) {
      if (this.owners.get(meeting.key) === worker) this.owners.delete(meeting.key);
      for (const id of meeting.ids) if (this.byId.get(id) === worker) this.byId.delete(id);
    }
    // A key another worker owns was never granted to this one (claim); it stays with its owner.
    const own = meetings.filter((m) => (this.owners.get(m.key) ?? worker) === worker);
    this.meetings.set(worker, own);
    for (const meeting of own) this.adopt(worker, meeting);
  }

  /**
   * A worker asks to start the meeting of `meeting.key`: granted unless another worker has it. From now on
   * connections for its ids go to that worker.
   */
  claim(worker: number, meeting: MeetingReport): boolean {
    const owner = this.owners.get(meeting.key);
    if (owner !== undefined) return owner === worker;
    if (!this.up.has(worker)) return false;
    this.meetings.set(worker, [...(this.meetings.get(worker) ?? []), meeting]);
    this.adopt(worker, meeting);
    return true;
  }

  /** The worker running the meeting of `key`, or null. */
  ownerOf(key: number): number | null {
    return this.owners.get(key) ?? null;
  }

  private adopt(worker: number, meeting: MeetingReport): void {
    this.owners.set(meeting.key, worker);
    for (const id of meeting.ids) {
      this.byId.set(id, worker);
      this.unpend(id);
    }
  }

  /** Where a connection for `roomId` goes; a room with no meeting yet is given to the least busy worker. Null: no worker is up. */
  connect(roomId: string): number | null {
    const known = this.find(roomId);
    if (known !== null) return known;
    const worker = this.leastBusy();
    if (worker === null) return null;
    if (this.pending.size >= MAX_PENDING) this.unpend(this.pending.keys().next().value ?? '');
    this.pending.set(roomId, { worker, until: this.now() + PENDING_MS });
    this.pendingCount.set(worker, (this.pendingCount.get(worker) ?? 0) + 1);
    return worker;
  }

  /** The worker with `roomId`'s meeting (live or about to start), or null when it has none. */
  find(roomId: string): number | null {
    const live = this.byId.get(roomId);
    if (live !== undefined) return live;
    this.expire();
    return this.pending.get(roomId)?.worker ?? null;
  }

  /** Every live meeting's size, over all workers. */
  sizes(): [key: number, size: number][] {
    return [...this.meetings.values()].flatMap((list) => list.map((m): [number, number] => [m.key, m.size]));
  }

  /** Participants, plus one for each meeting and each room about to start one. */
  private leastBusy(): number | null {
    this.expire();
    let best: number | null = null;
    let bestLoad = Infinity;
    for (const worker of this.workers) {
      const load = (this.meetings.get(worker) ?? []).reduce((n, m) => n + m.size + 1, this.pendingCount.get(worker) ?? 0);
      if (load < bestLoad) [best, bestLoad] = [worker, load];
    }
    return best;
  }

  /** Every entry lives PENDING_MS, so the expired ones are the oldest, at the front. */
  private expire(): void {
    const now = this.now();
    for (const [id, p] of this.pending) {
      if (p.until > now) break;
      this.unpend(id);
    }
  }

  private unpend(roomId: string): void {
    const p = this.pending.get(roomId);
    if (p === undefined) return;
    this.pending.delete(roomId);
    this.pendingCount.set(p.worker, (this.pendingCount.get(p.worker) ?? 1) - 1);
  }
}
