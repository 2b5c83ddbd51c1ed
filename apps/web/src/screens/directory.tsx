import type { DirectoryResponse } from '@treff/protocol';
import { useEffect, useState } from 'preact/hooks';
import { getDirectory } from '../api.js';
import { Logo } from '../components/icons.js';
import { text } from '../strings.js';

/** `/rooms`: the rooms their hosts listed on this server. */
export function Directory() {
  const [rooms, setRooms] = useState<DirectoryResponse['rooms'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${text.directoryTitle} · ${text.appName}`;
    getDirectory()
      .then((r) => setRooms(r.rooms))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : text.directoryLoadFailed));
  }, []);
  return (
    <main class="home">
      <div class="home-card">
        <a class="brand" href="/">
          <Logo />
          <span>{text.appName}</span>
        </a>
        <h1 class="section-title">{text.directoryTitle}</h1>
        <p class="muted">{text.directoryLead}</p>
        {error && (
          <p class="error" role="alert">
            {text.directoryLoadFailed} {error}
          </p>
        )}
        {rooms === null && !error && <div class="spinner" aria-hidden="true" />}
        {rooms?.length === 0 && <p class="hint">{text.directoryEmpty}</p>}
        {rooms && rooms.length > 0 && (
          <ul class="cards" aria-label={text.directoryTitle}>
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
        )}
        <a class="button ghost" href="/">
          {text.goHome}
        </a>
      </div>
    </main>
  );
}
