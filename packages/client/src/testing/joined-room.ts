import { Room } from '../room.js';
import type { RoomOptions } from '../room-types.js';
import { asPeerConnection, FakePeerConnection, FakeTimers, fakeSockets, type FakeSocket } from './fakes.js';

/** A Room that has joined over a fake socket: the server's `joined` message was `joinedMessage`. */
export async function joinedRoom(joinedMessage: object, options: Partial<RoomOptions> = {}): Promise<{ room: Room; socket: FakeSocket }> {
  const { sockets, factory } = fakeSockets();
  const room = new Room({
    url: 'ws://x/ws', roomId: 'room1', name: 'Ada', createSocket: factory, timers: new FakeTimers(),
    createPeerConnection: () => asPeerConnection(new FakePeerConnection()),
    ...options,
  });
  const joining = room.join({});
  const socket = sockets[0]!;
  socket.handlers.open();
  socket.deliver(joinedMessage);
  await joining;
  return { room, socket };
}
