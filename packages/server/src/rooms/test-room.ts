import { after } from 'node:test';
import assert from 'node:assert/strict';
import type { E2eeIdentity, ServerMessage } from '@treff/protocol';
import { Sfu, releaseNativeResources } from '@treff/sfu';
import { pino } from 'pino';
import type { StoredRoomSettings } from '../storage/records.js';
import { openStorage, type Storage } from '../storage/storage.js';
import { insertRandomRoom } from '../storage/test-rooms.js';
import { AttemptLimiter } from './attempt-limiter.js';
import type { Identity, MessageSink, Participant } from './participant.js';
import { Room, type JoinTicket } from './room.js';
import { RoomRegistry } from './room-registry.js';

/** A real SFU on loopback, in-memory storage and a registry: what room tests run live meetings on. */
export interface RoomTestBed {
  readonly sfu: Sfu;
  readonly storage: Storage;
  readonly registry: RoomRegistry;
  /** A fresh room opened through the registry, as a join would. */
  openRoom(settings?: Partial<StoredRoomSettings>, groupId?: string | null): Promise<Room>;
  /** A fresh room built directly on its own router, without the registry. */
  newRoom(settings?: Partial<StoredRoomSettings>): Promise<Room>;
}

/** Opens the test bed and closes it (native resources too) when the test file ends. */
export async function openRoomTestBed(): Promise<RoomTestBed> {
  const sfu = await Sfu.create({ port: 0, bindAddress: '127.0.0.1' });
  const storage = await openStorage(null);
  const log = pino({ level: 'silent' });
  const registry = new RoomRegistry(storage, sfu, 100, { audioTopN: 3, lastN: 5 }, log);
  after(() => {
    registry.close();
    sfu.close();
    storage.close();
    releaseNativeResources();
  });
  return {
    sfu,
    storage,
    registry,
    openRoom: async (settings = {}, groupId = null) => registry.open(await insertRandomRoom(storage.rooms, settings, groupId)),
    newRoom: async (settings = {}) =>
      new Room(await insertRandomRoom(storage.rooms, settings), sfu.createRouter('r'), { storage, maxParticipants: 100, knocks: new AttemptLimiter(100, 60_000), log }),
  };
}

/** A participant's connection that keeps what the server sent it and why it was dropped. */
export class Inbox implements MessageSink {
  readonly messages: ServerMessage[] = [];
  disconnectedFor: string | null = null;
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  disconnect(reason: string): void {
    this.disconnectedFor = reason;
  }
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
}

/** Someone without host link, group, invite or device cookie, `more` overriding. */
export const plainIdentity = (more: Partial<Identity> = {}): Identity => ({
  hostLink: false,
  groupAdmin: false,
  memberId: null,
  inviteId: null,
  deviceHash: null,
  ...more,
});

/** A guest with media off and its own Inbox, `more` overriding any of it. */
export function ticket(name: string, more: Partial<Omit<JoinTicket, 'sink'>> & { sink?: Inbox } = {}): JoinTicket & { sink: Inbox } {
  return {
    name,
    role: 'guest',
    media: { audio: false, video: false },
    sink: new Inbox(),
    identity: plainIdentity(),
    origin: 'http://x',
    address: `addr-${name}`,
    e2ee: null,
    onAdmitted: () => {},
    ...more,
  };
}

/** Enters the room and fails the test if the ticket went to the lobby instead. */
export function enter(room: Room, t: JoinTicket): Participant {
  const entered = room.enter(t);
  assert.ok('participant' in entered, `${t.name} went to the lobby`);
  return entered.participant;
}

/** A well-formed identity key, distinct per `n`. */
export const identityKey = (n: number): E2eeIdentity => ({ publicKey: String(n).padStart(87, 'A'), keyTag: n });

/** A ticket announcing `e2ee` (null: not capable), as the host if `host`. */
export const e2eeTicket = (name: string, e2ee: E2eeIdentity | null, host = false): JoinTicket & { sink: Inbox } =>
  ticket(name, { role: host ? 'host' : 'guest', identity: plainIdentity({ hostLink: host }), e2ee });
