import type { DirectoryResponse } from '@treff/protocol';
import { useEffect, useState } from 'preact/hooks';
import { getDirectory } from '../api.js';
import { BrandPage } from '../components/brand-page.js';
import { RoomCards } from '../components/room-cards.js';
import { text } from '../strings.js';
import { useLanguage } from '../use-language.js';
import { describeError } from '../use-action.js';

/** `/rooms`: the rooms their hosts listed on this server. */
export function Directory() {
  const [rooms, setRooms] = useState<DirectoryResponse['rooms'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const language = useLanguage();
  useEffect(() => {
    document.title = `${text.directoryTitle} · ${text.appName}`;
  }, [language]);
  useEffect(() => {
    getDirectory()
      .then((r) => setRooms(r.rooms))
      .catch((e: unknown) => setError(describeError(e)));
  }, []);
  return (
    <BrandPage>
      <h1 class="section-title">{text.directoryTitle}</h1>
      <p class="muted">{text.directoryLead}</p>
      {error && (
        <p class="error" role="alert">
          {text.directoryLoadFailed} {error}
        </p>
      )}
      {rooms === null && !error && <div class="spinner" aria-hidden="true" />}
      {rooms?.length === 0 && <p class="hint">{text.directoryEmpty}</p>}
      {rooms && rooms.length > 0 && <RoomCards rooms={rooms} label={text.directoryTitle} />}
      <a class="button ghost" href="/">
        {text.goHome}
      </a>
    </BrandPage>
  );
}
