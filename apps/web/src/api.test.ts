import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiFailure, createGroup, createInvite, createRoom, getGroup, joinGroup, listInvites, removeMember, revokeInvite, rotateLink } from './api.js';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

/** Answers every request with `status` and `body`, and records what was asked. */
function answer(status: number, body: unknown): Seen[] {
  const seen: Seen[] = [];
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    seen.push({ url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body ? JSON.parse(init.body as string) : undefined });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  }) as typeof fetch;
  return seen;
}

test('host endpoints send the host secret as a bearer token', async () => {
  const seen = answer(200, { invite: { id: 'i1', label: 'Bob', createdAt: 1, revoked: false }, inviteUrl: 'https://x/r/a#invite=t' });
  const created = await createInvite('room/1', 'sekret', '  Bob ');
  assert.equal(created.inviteUrl, 'https://x/r/a#invite=t');
  await listInvites('room1', 'sekret');
  assert.deepEqual(seen.map((s) => [s.method, s.url, s.headers.authorization, s.body]), [
    ['POST', '/api/rooms/room%2F1/invites', 'Bearer sekret', { label: 'Bob' }],
    ['GET', '/api/rooms/room1/invites', 'Bearer sekret', undefined],
  ]);
});

test('calls without a response body (204) resolve', async () => {
  const seen = answer(204, undefined);
  await revokeInvite('room1', 's', 'inv 1');
  await removeMember('g1', 'admin', 'm1');
  assert.deepEqual(seen.map((s) => `${s.method} ${s.url}`), ['DELETE /api/rooms/room1/invites/inv%201', 'DELETE /api/groups/g1/members/m1']);
});

test('a refused call throws ApiFailure with the server\'s code and message', async () => {
  answer(403, { error: 'forbidden', message: 'Wrong host secret.' });
  await assert.rejects(rotateLink('room1', 'bad'), (e: unknown) => e instanceof ApiFailure && e.status === 403 && e.code === 'forbidden' && e.message === 'Wrong host secret.');
  answer(500, 'not json either');
  await assert.rejects(getGroup('g1', 't'), (e: unknown) => e instanceof ApiFailure && e.status === 500 && e.code === 'http');
});

test('a network failure is a clear ApiFailure', async () => {
  globalThis.fetch = (async () => {
    throw new TypeError('fetch failed');
  }) as typeof fetch;
  await assert.rejects(createGroup('Team'), (e: unknown) => e instanceof ApiFailure && e.status === 0 && /Could not reach/.test(e.message));
});

test('group rooms are created with the member credential; joining a group sends name and invite code', async () => {
  const seen = answer(200, {});
  await createRoom(' Standup ', { groupId: 'g1', memberToken: 'member-token' });
  await createRoom('');
  await joinGroup('g1', 'code', ' Ada ');
  assert.deepEqual(seen.map((s) => [s.url, s.headers.authorization, s.body]), [
    ['/api/rooms', 'Bearer member-token', { title: 'Standup', groupId: 'g1' }],
    ['/api/rooms', undefined, {}],
    ['/api/groups/g1/members', undefined, { name: 'Ada', inviteCode: 'code' }],
  ]);
});
