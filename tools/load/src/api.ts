// The HTTP API the bots need: creating a room (POST /api/rooms, see the README).

import type { CreateRoomResponse } from '@treff/protocol';

export async function createRoom(baseUrl: string, title?: string, timeoutMs = 10000): Promise<CreateRoomResponse> {
  const res = await fetch(new URL('/api/rooms', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(title === undefined ? {} : { title }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`POST /api/rooms: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as CreateRoomResponse;
  if (typeof body.roomId !== 'string') throw new Error(`POST /api/rooms: no roomId in ${JSON.stringify(body)}`);
  return body;
}
