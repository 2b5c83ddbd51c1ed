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

/**
 * Which worker process serves which room. A meeting lives in exactly one worker (its media, its lobby, its
 * live state), so every connection and host request for it must reach that worker; requests about no live
 * meeting can go anywhere. The primary decides placement alone and synchronously, so two connections for a
 * new meeting cannot start it twice.
 */
export class Placement {
  /** Worker → its meetings, replaced by each report. */
  private readonly meetings = new Map<number, MeetingReport[]>();
  /** Public room id → worker, for every id of every reported meeting. */
  private readonly byId = new Map<string, number>();
  /** Rooms a connection was sent to but whose meeting is not reported yet. */
  private readonly pending = new Map<string, Pending>();
  private readonly up = new Set<number>();

  constructor(private readonly now: () => number = Date.now) {}

  workerUp(worker: number): void {
    this.up.add(worker);
  }

  /** The worker ended: its meetings ended with it. */
  workerDown(worker: number): void {
    this.up.delete(worker);
    this.report(worker, []);
    for (const [id, p] of this.pending) if (p.worker === worker) this.pending.delete(id);
  }

  get workers(): number[] {
    return [...this.up].sort((a, b) => a - b);
  }

  /** A worker's whole list of live meetings. */
  report(worker: number, meetings: MeetingReport[]): void {
    for (const meeting of this.meetings.get(worker) ?? []) for (const id of meeting.ids) this.byId.delete(id);
    this.meetings.set(worker, meetings);
    for (const meeting of meetings) {
      for (const id of meeting.ids) {
        this.byId.set(id, worker);
        this.pending.delete(id);
      }
    }
  }

  /** Where a connection for `roomId` goes; a room with no meeting yet is given to the least busy worker. Null: no worker is up. */
  connect(roomId: string): number | null {
    const known = this.find(roomId);
    if (known !== null) return known;
    const worker = this.leastBusy();
    if (worker !== null) this.pending.set(roomId, { worker, until: this.now() + PENDING_MS });
    return worker;
  }

  /** The worker with `roomId`'s meeting (live or about to start), or null when it has none. */
  find(roomId: string): number | null {
    const live = this.byId.get(roomId);
    if (live !== undefined) return live;
    const pending = this.pending.get(roomId);
    if (pending === undefined) return null;
    if (pending.until > this.now()) return pending.worker;
    this.pending.delete(roomId);
    return null;
  }

  /** Every live meeting's size, over all workers. */
  sizes(): [key: number, size: number][] {
    return [...this.meetings.values()].flatMap((list) => list.map((m): [number, number] => [m.key, m.size]));
  }

  private leastBusy(): number | null {
    const load = new Map<number, number>(this.workers.map((w) => [w, 0]));
    for (const [worker, list] of this.meetings) if (load.has(worker)) load.set(worker, list.reduce((n, m) => n + m.size + 1, load.get(worker) ?? 0));
    const now = this.now();
    for (const [id, p] of this.pending) {
      if (p.until <= now) this.pending.delete(id);
      else if (load.has(p.worker)) load.set(p.worker, (load.get(p.worker) ?? 0) + 1);
    }
    let best: number | null = null;
    for (const [worker, n] of load) if (best === null || n < (load.get(best) ?? 0)) best = worker;
    return best;
  }
}
