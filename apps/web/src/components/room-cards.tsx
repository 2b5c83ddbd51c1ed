import { text } from '../strings.js';

interface RoomCard {
  roomId: string;
  title: string;
  participantCount: number;
  roomUrl: string;
  passwordRequired?: boolean;
  lobby?: boolean;
}

/** Rooms as cards that open them: the public directory's and a group's. */
export function RoomCards({ rooms, label }: { rooms: readonly RoomCard[]; label?: string }) {
  return (
    <ul class="cards" aria-label={label}>
      {rooms.map((r) => (
        <li key={r.roomId}>
          <a class="list-card" href={r.roomUrl} aria-label={text.openRoom(r.title || text.untitledRoom)}>
            <span class="person-name">{r.title || text.untitledRoom}</span>
            <span class="muted">{text.peopleCount(r.participantCount)}</span>
            {r.passwordRequired && <span class="badge">{text.passwordBadge}</span>}
            {r.lobby && <span class="badge">{text.lobbyBadge}</span>}
          </a>
        </li>
      ))}
    </ul>
  );
}
