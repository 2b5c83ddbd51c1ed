import type { RoomRegistry } from '../rooms/room-registry.js';
import type { WorkerChannel } from '../server.js';
import { isPrimaryMessage } from './messages.js';

/** How often a worker reports its meetings' sizes when nothing starts or ends. */
export const REPORT_INTERVAL_MS = 1000;

/**
 * A worker's side of the cluster channel: it tells the primary which meetings it runs (so connections for
 * them are sent here) and learns the sizes of the others' (for counts on pages it answers).
 */
export class WorkerLink {
  private readonly timer: NodeJS.Timeout;
  private readonly onMessage = (message: unknown): void => {
    if (!isPrimaryMessage(message)) return;
    if (message.type === 'treff:shutdown') {
      this.channel.onShutdown();
      return;
    }
    this.rooms.remoteSizes.clear();
    for (const [key, size] of message.sizes) if (this.rooms.getByKey(key) === undefined) this.rooms.remoteSizes.set(key, size);
  };

  constructor(
    private readonly rooms: RoomRegistry,
    private readonly channel: WorkerChannel,
  ) {
    rooms.onChange = () => this.report();
    channel.on('message', this.onMessage);
    this.timer = setInterval(() => this.report(), REPORT_INTERVAL_MS);
    this.timer.unref();
  }

  ready(port: number): void {
    this.channel.send({ type: 'treff:ready', port });
  }

  report(): void {
    const meetings = [...this.rooms.rooms].filter((room) => !room.isClosed).map((room) => ({ key: room.record.key, ids: room.ids, size: room.size }));
    this.channel.send({ type: 'treff:meetings', meetings });
  }

  close(): void {
    clearInterval(this.timer);
    this.channel.off('message', this.onMessage);
    this.rooms.onChange = null;
  }
}
