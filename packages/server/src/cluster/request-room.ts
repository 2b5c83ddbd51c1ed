import { PUBLIC_ID } from '../http/public-id.js';

/**
 * The room a request is about, when it may touch that room's live meeting: the signaling socket
 * (`/ws?room=<id>`, which starts the meeting) and the room's API (`/api/rooms/<id>/…`,
 * `/api/admin/rooms/<id>/…`). Null for everything else (pages, assets, room creation, groups, directory),
 * which any worker answers from storage. An id that cannot be a room's (PUBLIC_ID) names none either: the
 * worker it then reaches answers "not found" without a placement being made for it.
 */
export function requestRoom(url: URL): { roomId: string; connects: boolean } | null {
  if (url.pathname === '/ws') {
    const roomId = url.searchParams.get('room') ?? '';
    return PUBLIC_ID.test(roomId) ? { roomId, connects: true } : null;
  }
  const match = /^\/api\/(?:admin\/)?rooms\/([^/]+)(?:\/|$)/.exec(url.pathname);
  if (match === null) return null;
  let roomId: string;
  try {
    roomId = decodeURIComponent(match[1] ?? '');
  } catch {
    return null;
  }
  return PUBLIC_ID.test(roomId) ? { roomId, connects: false } : null;
}
