// The public room directory lists exactly the rooms their hosts made discoverable, never blocked ones,
// with their live participant count.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import type { CreateRoomResponse, DirectoryResponse } from '@treff/protocol';
import type { Bot } from '@treff/load';
import { api } from './api-client.js';
import { closeWhenDone, joinBot, startTestServer } from './helpers.js';

const OPERATOR_SECRET = 'directory-test-operator-secret';
let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

test('the directory lists discoverable rooms only, with title, live size and link; blocked rooms leave it', async () => {
  server = await startTestServer({ operatorSecret: OPERATOR_SECRET });
  const s = server;
  const create = async (title: string, settings: object = {}) => (await api<CreateRoomResponse>(s, 'POST', '/api/rooms', { body: { title, settings } })).body;

  assert.deepEqual((await api<DirectoryResponse>(s, 'GET', '/api/directory')).body, { rooms: [] }, 'rooms are unlisted by default');
  const listed = await create('Open mic', { discoverable: true, password: 'letmein' });
  const later = await create('Book club');
  await create('Private');
  const spam = await create('Spam', { discoverable: true });

  // A host lists a room afterwards through its settings.
  const patched = await api(s, 'PATCH', `/api/rooms/${later.roomId}/settings`, { body: { discoverable: true, lobby: true }, bearer: later.hostSecret });
  assert.equal(patched.status, 200);
  assert.equal((await api(s, 'PATCH', `/api/rooms/${later.roomId}/settings`, { body: { discoverable: false }, bearer: listed.hostSecret })).status, 403, "another room's host secret changes nothing");

  bots.push(await joinBot(s, listed.roomId, 'Ada', { password: 'letmein' }));
  assert.equal((await api(s, 'POST', `/api/admin/rooms/${spam.roomId}/block`, { bearer: OPERATOR_SECRET })).status, 200);

  const directory = (await api<DirectoryResponse>(s, 'GET', '/api/directory')).body;
  const byTitle = new Map(directory.rooms.map((r) => [r.title, r]));
  assert.deepEqual([...byTitle.keys()].sort(), ['Book club', 'Open mic']);
  assert.deepEqual(byTitle.get('Open mic'), { roomId: listed.roomId, title: 'Open mic', participantCount: 1, roomUrl: listed.roomUrl, passwordRequired: true, lobby: false });
  assert.deepEqual(byTitle.get('Book club'), { roomId: later.roomId, title: 'Book club', participantCount: 0, roomUrl: later.roomUrl, passwordRequired: false, lobby: true });

  // Unlisting takes it out again.
  await api(s, 'PATCH', `/api/rooms/${later.roomId}/settings`, { body: { discoverable: false }, bearer: later.hostSecret });
  assert.deepEqual((await api<DirectoryResponse>(s, 'GET', '/api/directory')).body.rooms.map((r) => r.title), ['Open mic']);
});
