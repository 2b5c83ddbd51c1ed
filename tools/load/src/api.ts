// The HTTP API the bots need: creating a room (POST /api/rooms, see docs/http-api.md).

import type { CreateRoomRequest, CreateRoomResponse } from '@treff/protocol';

/** `request` is the title alone, or a full request (e.g. `settings: { maxParticipants: 200 }` for a large room). */
export async function createRoom(baseUrl: string, request?: string | CreateRoomRequest, timeoutMs = 10000): Promise<CreateRoomResponse> {
  const body: CreateRoomRequest = typeof request === 'string' ? { title: request } : (request ?? {});
  const res = await fetch(new URL('/api/rooms', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`POST /api/rooms: HTTP ${res.status} ${await res.text()}`);
  const created = (await res.json()) as CreateRoomResponse;
  if (typeof created.roomId !== 'string') throw new Error(`POST /api/rooms: no roomId in ${JSON.stringify(created)}`);
  return created;
}
