import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestRoom as ofTarget } from './request-room.js';

const requestRoom = (target: string) => ofTarget(new URL(target, 'http://x'));

test('the socket and the room API name their room; everything else, and ids no room can have, name none', () => {
  assert.deepEqual(requestRoom('/ws?room=abc'), { roomId: 'abc', connects: true });
  assert.deepEqual(requestRoom('/api/rooms/abc'), { roomId: 'abc', connects: false });
  assert.deepEqual(requestRoom('/api/rooms/abc/participants/p1/mute'), { roomId: 'abc', connects: false });
  assert.deepEqual(requestRoom('/api/admin/rooms/a%2Db/block'), { roomId: 'a-b', connects: false });
  for (const url of ['/ws', '/ws?room=', '/api/rooms', '/api/rooms/', '/r/abc', '/api/directory', '/api/groups/g/members', '/api/rooms/%E0%A4%A/x', `/ws?room=${'a'.repeat(65)}`, '/ws?room=a%20b', '/api/rooms/a%3Cb%3E']) {
    assert.equal(requestRoom(url), null, url);
  }
});
