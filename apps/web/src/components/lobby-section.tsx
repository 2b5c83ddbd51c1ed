import type { Room } from '@treff/client';
import { useSentCheck } from '../action-feedback.js';
import { text } from '../strings.js';
import { Avatar } from './avatar.js';

/** Hosts and co-hosts: who knocks, with admit / deny each, and admit all. */
export function LobbySection({ room }: { room: Room }) {
  const waiting = room.lobby;
  const checkSent = useSentCheck();
  if (!room.isModerator || waiting.length === 0) return null;
  return (
    <section class="lobby" aria-labelledby="lobby-heading">
      <div class="lobby-header">
        <h3 id="lobby-heading">{text.lobbyHeading(waiting.length)}</h3>
        {waiting.length > 1 && (
          <button type="button" class="button small primary" onClick={() => checkSent(room.admit('all'))}>
            {text.admitAll}
          </button>
        )}
      </div>
      <ul class="people">
        {waiting.map((entry) => (
          <li key={entry.id} aria-label={text.waitingEntry(entry.name)}>
            <Avatar name={entry.name} size="small" />
            <span class="person-name">{entry.name}</span>
            <button type="button" class="button small primary" aria-label={text.admitName(entry.name)} onClick={() => checkSent(room.admit([entry.id]))}>
              {text.admit}
            </button>
            <button type="button" class="button small" aria-label={text.denyName(entry.name)} onClick={() => checkSent(room.deny([entry.id]))}>
              {text.deny}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
