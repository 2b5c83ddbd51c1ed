import type { RouterOptions, Sfu } from '@treff/sfu';
import type { Logger } from 'pino';
import { roomLogTag } from '../ids.js';
import type { RoomStore } from '../storage/room-store.js';
import { Room } from './room.js';

/** The live meetings of this process. A meeting starts with its first participant and ends with its last. */
export class RoomRegistry {
  private readonly live = new Map<string, Room>();

  constructor(
    private readonly store: RoomStore,
    private readonly sfu: Sfu,
    private readonly maxParticipants: number,
    private readonly routing: RouterOptions,
    private readonly log: Logger,
  ) {}

  /** The live room, started on demand; null when no such room was ever created. */
  open(roomId: string): Room | null {
    const existing = this.live.get(roomId);
    if (existing) return existing;
    const record = this.store.get(roomId);
    if (record === null) return null;
    const room = new Room(record, this.sfu.createRouter(roomId, this.routing), this.maxParticipants, this.log);
    this.live.set(roomId, room);
    this.store.touch(roomId, Date.now());
    room.once('empty', () => {
      this.live.delete(roomId);
      room.close();
      this.log.info({ room: roomLogTag(roomId) }, 'meeting ended: last participant left');
    });
    return room;
  }

  get(roomId: string): Room | undefined {
    return this.live.get(roomId);
  }

  get rooms(): IterableIterator<Room> {
    return this.live.values();
  }

  close(): void {
    for (const room of [...this.live.values()]) room.close();
    this.live.clear();
  }
}
