import type { ApiError, CreateRoomResponse, RoomSummary } from '@treff/protocol';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  } catch {
    throw new ApiFailure(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body as Partial<ApiError> | null;
    throw new ApiFailure(response.status, error?.error ?? 'http', error?.message ?? `The server answered ${response.status}.`);
  }
  return body as T;
}

export function createRoom(title: string): Promise<CreateRoomResponse> {
  const trimmed = title.trim();
  return request('/api/rooms', { method: 'POST', body: JSON.stringify(trimmed ? { title: trimmed } : {}) });
}

export function getRoom(roomId: string): Promise<RoomSummary> {
  return request(`/api/rooms/${encodeURIComponent(roomId)}`);
}
