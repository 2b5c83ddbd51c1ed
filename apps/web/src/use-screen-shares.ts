import type { Room } from '@treff/client';
import { useRef } from 'preact/hooks';
import { shareOrder } from './presenter-layout.js';

/** Who shares a screen now (we too), oldest share first; read on each render of a component that uses `useRoom`. */
export function useScreenShares(room: Room): readonly string[] {
  const order = useRef<string[]>([]);
  const sharing = [...room.participants.values()].filter((p) => p.screen === true).sort((a, b) => a.joinedAt - b.joinedAt).map((p) => p.id);
  if (room.screenSharing && room.self) sharing.push(room.self.id);
  order.current = shareOrder(order.current, sharing);
  return order.current;
}
