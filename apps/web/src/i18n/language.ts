// Which language the app speaks: the one chosen with the switch (remembered in this browser), else the
// browser's first preferred language Treff has, else English. English is in the first download (it is what
// shows if another language cannot be fetched); every other language is its own chunk, fetched when chosen.
import { en, type Strings } from './en.js';

export type Language = 'en' | 'de';
export const LANGUAGES: readonly Language[] = ['en', 'de'];
const loaded: Partial<Record<Language, Strings>> = { en };
const LOADERS: Record<Language, () => Promise<Strings>> = {
  en: () => Promise.resolve(en),
  de: () => import('./de.js').then((m) => m.de),
};
/** Each language's name in itself, so the switch reads right whatever language is on. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };
/** The locale for dates and numbers. */
const LOCALES: Record<Language, string> = { en: 'en', de: 'de-DE' };
const STORAGE_KEY = 'treff.language';

const isLanguage = (value: string | null | undefined): value is Language => value === 'en' || value === 'de';

/** The stored choice, else the first preferred language ("de-AT" counts as German) Treff has, else English. */
export function chooseLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

function storedChoice(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    // Storage throws in some private modes; the browser's languages still decide.
    return null;
  }
}

const browserLanguages = (): readonly string[] => {
  const nav = globalThis.navigator as Navigator | undefined;
  return nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [];
};

let current: Language = chooseLanguage(storedChoice(), browserLanguages());
const listeners = new Set<(language: Language) => void>();

function showOnPage(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
showOnPage(current);

export const activeLanguage = (): Language => current;
export const activeStrings = (): Strings => loaded[current] ?? en;
export const activeLocale = (): string => LOCALES[current];

/** Fetches a language's strings (once); the app awaits the active one before its first render. */
export async function loadLanguage(language: Language): Promise<void> {
  loaded[language] ??= await LOADERS[language]();
}

/** The language asked for last: a slow fetch of an earlier choice must not win over it. */
let requested: Language = current;

/**
 * Switches the app's language once its strings are here, and tells the listeners (the app re-renders); with
 * `remember` (the default) the choice is kept in this browser. Rejects, changing and remembering nothing, when
 * the strings cannot be fetched.
 */
export async function setLanguage(language: Language, { remember = true }: { remember?: boolean } = {}): Promise<void> {
  requested = language;
  await loadLanguage(language);
  if (language !== requested) return;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, language);
    } catch {
      // Not remembered in this browser; it still switches now.
    }
  }
  if (language === current) return;
  current = language;
  showOnPage(language);
  for (const listener of listeners) listener(language);
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
