import type { RoomRegistry, Peers } from '../rooms/room-registry.js';
import type { RoomRecord } from '../storage/records.js';
import type { WorkerChannel } from '../server.js';
import { isPrimaryMessage } from './messages.js';
import type { MeetingReport } from './placement.js';

/** How often a worker reports its meetings' sizes when nothing starts or ends. */
export const REPORT_INTERVAL_MS = 1000;
/** A claim the primary does not answer in this time is refused: the join is then tried again. */
const CLAIM_TIMEOUT_MS = 5000;
/** A granted claim whose meeting never opened (the joiner left meanwhile) is given up after this. */
const CLAIM_HOLD_MS = 10_000;

/**
 * A worker's side of the cluster channel: it claims a room before starting its meeting, tells the primary
 * which meetings it runs (so connections for them are sent here), and learns the sizes of the others'
 * (for counts on pages it answers).
 */
export class WorkerLink implements Peers {
  private readonly timer: NodeJS.Timeout;
  private readonly sizes = new Map<number, number>();
  /** Claims asked or granted whose meetings have not opened yet, by key: reported with the meetings, so the primary keeps them. */
  private readonly claimed = new Map<number, { meeting: MeetingReport; at: number }>();
  private readonly answers = new Map<number, (granted: boolean) => void>();
  private nextRequest = 1;
  private readonly onMessage = (message: unknown): void => {
    if (!isPrimaryMessage(message)) return;
    switch (message.type) {
      case 'treff:claimed':
        return this.answers.get(message.requestId)?.(message.granted);
      case 'treff:close-meeting':
        this.rooms.closeByOperator(message.key);
        return;
      case 'treff:sizes':
        this.sizes.clear();
        for (const [key, size] of message.sizes) this.sizes.set(key, size);
    }
  };

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly channel: WorkerChannel,
  ) {
    rooms.peers = this;
    channel.on('message', this.onMessage);
    this.timer = setInterval(() => this.changed(), REPORT_INTERVAL_MS);
    this.timer.unref();
  }

  ready(): void {
    this.channel.send({ type: 'treff:ready' });
  }

  changed(): void {
    const now = performance.now();
    const meetings = new Map<number, MeetingReport>();
    for (const [key, claim] of this.claimed) {
      if (now - claim.at < CLAIM_HOLD_MS) meetings.set(key, claim.meeting);
      else this.claimed.delete(key);
    }
    for (const room of this.rooms.rooms) {
      if (room.isClosed) continue;
      meetings.set(room.record.key, { key: room.record.key, ids: room.ids, size: room.size });
      this.claimed.delete(room.record.key);
    }
    this.channel.send({ type: 'treff:meetings', meetings: [...meetings.values()] });
  }

  claim(record: RoomRecord): Promise<boolean> {
    const requestId = this.nextRequest++;
    const meeting = { key: record.key, ids: [record.id], size: 0 };
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(false), CLAIM_TIMEOUT_MS);
      const answer = (granted: boolean): void => {
        clearTimeout(timer);
        this.answers.delete(requestId);
        if (!granted) this.claimed.delete(record.key);
        resolve(granted);
      };
      this.answers.set(requestId, answer);
      // Reported from now on, not from the grant: a report sent before the answer arrives would otherwise
      // tell the primary this worker does not have the meeting it was just granted.
      this.claimed.set(record.key, { meeting, at: performance.now() });
      this.channel.send({ type: 'treff:claim', requestId, meeting });
    });
  }

  sizeElsewhere(key: number): number {
    return this.sizes.get(key) ?? 0;
  }

  closeElsewhere(key: number): boolean {
    if (!this.sizes.has(key)) return false;
    this.channel.send({ type: 'treff:close-meeting', key });
    return true;
  }

  close(): void {
    clearInterval(this.timer);
    this.channel.off('message', this.onMessage);
    if (this.rooms.peers === this) this.rooms.peers = null;
    for (const answer of this.answers.values()) answer(false);
  }
}
