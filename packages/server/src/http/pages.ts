/** Server-rendered pages for what the web app cannot show: a room that does not exist, an unbuilt app. */
export type PageKind = 'no-meeting' | 'meeting-closed' | 'no-group' | 'not-found' | 'not-built';
export type PageLanguage = 'en' | 'de';

const PAGES: Record<PageLanguage, Record<PageKind, { title: string; body: string }> & { start: string }> = {
  en: {
    'no-meeting': { title: 'This meeting doesn’t exist', body: 'The link may be mistyped, or the meeting was deleted. Check the link, or start a new meeting.' },
    'meeting-closed': { title: 'This meeting was closed', body: 'The operator of this server closed this meeting, and its link no longer works.' },
    'no-group': { title: 'This group doesn’t exist', body: 'The link may be mistyped. Ask the person who sent it for a new one.' },
    'not-found': { title: 'Page not found', body: 'There is nothing at this address.' },
    'not-built': { title: 'Web app not built', body: 'Run "npm run build" (or "npm start") in the Treff folder, then reload.' },
    start: 'Start a new meeting',
  },
  de: {
    'no-meeting': { title: 'Dieses Meeting gibt es nicht', body: 'Vielleicht ist der Link vertippt, oder das Meeting wurde gelöscht. Prüfe den Link oder starte ein neues Meeting.' },
    'meeting-closed': { title: 'Dieses Meeting wurde geschlossen', body: 'Der Betreiber dieses Servers hat das Meeting geschlossen; sein Link funktioniert nicht mehr.' },
    'no-group': { title: 'Diese Gruppe gibt es nicht', body: 'Vielleicht ist der Link vertippt. Bitte die Person, die ihn geschickt hat, um einen neuen.' },
    'not-found': { title: 'Seite nicht gefunden', body: 'Unter dieser Adresse gibt es nichts.' },
    'not-built': { title: 'Web-App nicht gebaut', body: 'Führe im Treff-Ordner „npm run build“ (oder „npm start“) aus und lade die Seite neu.' },
    start: 'Neues Meeting starten',
  },
};

/**
 * The page's language from the request's Accept-Language (RFC 9110 §12.5.4), as the web app chooses by the
 * browser's languages: the preferred of German and English, English when neither is listed.
 */
export function pageLanguage(acceptLanguage: string | undefined): PageLanguage {
  let best: { lang: PageLanguage; q: number } | null = null;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const lang = range.startsWith('de') ? 'de' : range.startsWith('en') ? 'en' : null;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > 0 && (best === null || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'en';
}

export function messagePage(kind: PageKind, language: PageLanguage): string {
  const strings = PAGES[language];
  const { title, body } = strings[kind];
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Treff</title>
<style>
  :root { color-scheme: dark; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #111418; color: #e8eaed;
    font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 28rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
  p { color: #b4b9c0; margin: 0 0 1.5rem; }
  a { display: inline-block; padding: .6rem 1.2rem; border-radius: .5rem; background: #3b82f6; color: #fff; text-decoration: none; }
  a:focus-visible { outline: 3px solid #93c5fd; outline-offset: 2px; }
</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p><a href="/">${escapeHtml(strings.start)}</a></main></body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
