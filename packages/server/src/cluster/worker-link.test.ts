import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { enter, openRoomTestBed, ticket } from '../rooms/test-room.js';
import type { WorkerMessage } from './messages.js';
import { WorkerLink } from './worker-link.js';

function channel() {
  const emitter = new EventEmitter();
  const sent: WorkerMessage[] = [];
  return {
    socketPath: '',
    sent,
    deliver: (message: unknown) => emitter.emit('message', message),
    on: (event: 'message', listener: (message: unknown) => void) => emitter.on(event, listener),
    off: (event: 'message', listener: (message: unknown) => void) => emitter.off(event, listener),
    send: (message: WorkerMessage) => sent.push(message),
  };
}

test('a worker reports its meetings when one starts, is renamed or ends; it counts the others\' from the primary', async () => {
  const bed = await openRoomTestBed();
  const ipc = channel();
  const link = new WorkerLink(bed.registry, ipc);
  const room = await bed.openRoom();
  const key = room.record.key;
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [{ key, ids: [room.id], size: 0 }] });
  enter(room, ticket('ada'));
  link.changed();
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [{ key, ids: [room.id], size: 1 }] });

  const before = room.id;
  room.adopt(await bed.storage.rooms.rotateId(key, 'rotatedRoomId0123456'));
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [{ key, ids: ['rotatedRoomId0123456', before], size: 1 }] });

  // Sizes from the primary fill in meetings of other workers; our own count stays ours.
  ipc.deliver({ type: 'treff:sizes', sizes: [[key, 99], [12345, 7]] });
  assert.equal(bed.registry.closeByOperator(12345), true, 'a meeting elsewhere is closed through the primary');
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:close-meeting', key: 12345 });
  assert.equal(bed.registry.liveSize(key), 1);
  assert.equal(bed.registry.liveSize(12345), 7);
  ipc.deliver({ type: 'treff:sizes', sizes: [] });
  assert.equal(bed.registry.liveSize(12345), 0, 'a meeting that ended elsewhere is no longer counted');
  ipc.deliver({ type: 'something else' });

  room.close();
  assert.deepEqual(ipc.sent.at(-1), { type: 'treff:meetings', meetings: [] });
  link.close();
});

test('a worker opens a meeting only when the primary grants its key, and reports a granted claim until the meeting opens', async () => {
  const bed = await openRoomTestBed();
  const ipc = channel();
  const link = new WorkerLink(bed.registry, ipc);
  const record = await bed.storage.rooms.insert({ id: 'claimedRoom012345678', title: 't', hostSecretHash: 'h', createdAt: 0, groupId: null, settings: (await bed.openRoom()).record.settings });
  const asking = bed.registry.mayOpen(record);
  const request = ipc.sent.at(-1);
  assert.ok(request?.type === 'treff:claim');
  assert.deepEqual(request.meeting, { key: record.key, ids: [record.id], size: 0 });
  // A setting changed elsewhere while the claim was on its way: the meeting starts with it.
  await bed.storage.rooms.updateSettings(record.key, { locked: true });
  ipc.deliver({ type: 'treff:claimed', requestId: request.requestId, granted: true });
  assert.equal((await asking)?.settings.locked, true);
  link.changed();
  const report = ipc.sent.at(-1);
  assert.ok(report?.type === 'treff:meetings');
  assert.ok(report.meetings.some((m) => m.key === record.key), 'the claim is reported before its meeting opens');

  const other = await bed.storage.rooms.insert({ id: 'refusedRoom012345678', title: 't', hostSecretHash: 'h', createdAt: 0, groupId: null, settings: record.settings });
  const refused = bed.registry.mayOpen(other);
  const second = ipc.sent.at(-1);
  assert.ok(second?.type === 'treff:claim');
  ipc.deliver({ type: 'treff:claimed', requestId: second.requestId, granted: false });
  assert.equal(await refused, null);

  bed.registry.open(record);
  assert.equal(await bed.registry.mayOpen(record), record, 'a meeting running here needs no claim');
  link.close();
});
