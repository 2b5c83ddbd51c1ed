import { remainingMs, type Breakouts, type Room } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { sayIfUnsent } from './action-feedback.js';
import { countdown, moveNotice, roomName } from './breakout-view.js';
import { text } from './strings.js';

/** A host's or co-host's message to every room, as the banner shows it. */
export interface Broadcast {
  key: number;
  fromName: string;
  text: string;
}

/**
 * The meeting's side of breakout rooms: tells us (through `say`) when someone else moved us, keeps the
 * newest broadcast for the banner, and moves us where we ask (a move we asked for is not announced).
 */
export function useBreakouts(room: Room, say: (message: string) => void): { broadcast: Broadcast | null; dismiss: () => void; join: (breakoutId: string | null) => void } {
  const [broadcast, setBroadcast] = useState<Broadcast | null>(null);
  /** The room we asked to go to, until we are somewhere else than before (undefined: we asked for none). */
  const asked = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    let was = room.myBreakout;
    // A move into rooms that just opened may come before their names do: told once the names arrive.
    let unnamed: string | null = null;
    let key = 0;
    const tell = (id: string): boolean => {
      const name = roomName(room.breakouts, id);
      if (name !== null) say(text.breakoutMovedTo(name));
      return name !== null;
    };
    const offs = [
      room.events.on('self-updated', () => {
        const now = room.myBreakout;
        if (now === was) return;
        const notice = moveNotice(was, now, asked.current);
        asked.current = undefined;
        was = now;
        unnamed = null;
        if (notice?.to === 'main') say(text.breakoutBackInMain);
        else if (notice?.to === 'room' && !tell(notice.id)) unnamed = notice.id;
      }),
      room.events.on('breakouts', () => {
        if (unnamed !== null && tell(unnamed)) unnamed = null;
      }),
      room.events.on('breakout-message', (m) => setBroadcast({ key: ++key, fromName: m.fromName, text: m.text })),
      // A refused move leaves us where we were; a later move by a moderator is news again.
      room.events.on('error', (e) => {
        if (!e.fatal) asked.current = undefined;
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [room]);
  const join = (breakoutId: string | null) => {
    if (sayIfUnsent(room.joinBreakout(breakoutId), say)) asked.current = breakoutId;
  };
  return { broadcast, dismiss: () => setBroadcast(null), join };
}

/** The time left on the breakout rooms' timer as a countdown, ticking each second; null without rooms or timer. */
export function useCountdown(breakouts: Breakouts | null): string | null {
  const [, tick] = useState(0);
  const timed = breakouts !== null && breakouts.remainingMs !== null;
  useEffect(() => {
    if (!timed) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [timed]);
  const left = breakouts === null ? null : remainingMs(breakouts);
  return left === null ? null : countdown(left);
}
