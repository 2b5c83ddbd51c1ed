import type { Room, RoomEvents } from '@treff/client';
import { useEffect, useReducer } from 'preact/hooks';

const RENDER_EVENTS: (keyof RoomEvents)[] = [
  'participant-joined',
  'participant-left',
  'participant-updated',
  'track',
  'track-ended',
  'audio-tracks',
  'active-speaker',
  'connection-state',
  'self-updated',
  'lobby',
  'room-updated',
  'chat',
  'chat-history',
  'hands',
  'e2ee',
  'polls',
  'screen-share',
  'shared-video',
  'breakouts',
];

/** Re-renders whenever the room changes; components then read the room's live getters. */
export function useRoom(room: Room): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const offs = RENDER_EVENTS.map((event) => room.events.on(event, () => bump(undefined)));
    bump(undefined);
    return () => offs.forEach((off) => off());
  }, [room]);
}
