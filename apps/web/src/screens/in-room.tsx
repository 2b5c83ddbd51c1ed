import type { Room } from '@treff/client';
import { Logo } from '../components/icons.js';
import { text } from '../strings.js';
import { useRoom } from '../use-room.js';
import { Meeting } from './meeting.js';

/** The lobby's waiting screen until a host admits us, then the meeting. */
export function InRoom({ room, title, hostSecret }: { room: Room; title: string; hostSecret: string | undefined }) {
  useRoom(room);
  // Reconnecting before ever joining happens only to a knocker (the SDK knocks again once reconnected).
  const reknocking = room.connectionState === 'reconnecting' && room.self === null;
  if (room.connectionState === 'waiting' || reknocking) {
    return (
      <main class="center-screen" aria-busy="true">
        <Logo size={40} />
        <h1>{text.waitingForHost}</h1>
        <p class="muted" role="status">
          {reknocking ? text.waitingReconnecting : text.waitingHint(title)}
        </p>
        <div class="spinner" aria-hidden="true" />
        <button type="button" class="button secondary" onClick={() => room.leave()}>
          {text.cancel}
        </button>
      </main>
    );
  }
  return <Meeting room={room} title={title} hostSecret={hostSecret} />;
}
