import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { enter, openRoomTestBed, ticket } from '../rooms/test-room.js';
import type { WorkerMessage } from './messages.js';
import { WorkerLink } from './worker-link.js';

function channel() {
  const emitter = new EventEmitter();
  const sent: WorkerMessage[] = [];
  let shutdowns = 0;
  return {
    sent,
    shutdowns: () => shutdowns,
    deliver: (message: unknown) => emitter.emit('message', message),
    on: (event: 'message', listener: (message: unknown) => void) => emitter.on(event, listener),
    off: (event: 'message', listener: (message: unknown) => void) => emitter.off(event, listener),
    send: (message: WorkerMessage) => sent.push(message),
    onShutdown: () => void shutdowns++,
  };
}

test('a worker reports its meetings when one starts, is renamed or ends; it counts the others\' from the primary', async () => {
  const bed = await openRoomTestBed();
  const ipc = channel();
  const link = new WorkerLink(bed.registry, ipc);
  const room = bed.openRoom();
  const key = room.record.key;
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [{ key, ids: [room.id], size: 0 }] });
  enter(room, ticket('ada'));
  link.report();
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [{ key, ids: [room.id], size: 1 }] });

  const before = room.id;
  room.adopt(bed.storage.rooms.rotateId(key, 'rotatedRoomId0123456'));
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [{ key, ids: ['rotatedRoomId0123456', before], size: 1 }] });

  // Sizes from the primary fill in meetings of other workers; our own count stays ours.
  ipc.deliver({ type: 'treff:sizes', sizes: [[key, 99], [12345, 7]] });
  assert.equal(bed.registry.liveSize(key), 1);
  assert.equal(bed.registry.liveSize(12345), 7);
  ipc.deliver({ type: 'treff:sizes', sizes: [] });
  assert.equal(bed.registry.liveSize(12345), 0, 'a meeting that ended elsewhere is no longer counted');
  ipc.deliver({ type: 'something else' });

  room.close();
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [] });
  ipc.deliver({ type: 'treff:shutdown' });
  assert.equal(ipc.shutdowns(), 1);
  link.close();
});
