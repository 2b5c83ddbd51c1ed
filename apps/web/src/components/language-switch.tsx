import { activeLanguage, LANGUAGE_NAMES, LANGUAGES, setLanguage, type Language } from '../i18n/language.js';
import { text } from '../strings.js';

/** Picks the app's language; its name is bilingual, so someone who reads only one of them still finds it. */
export function LanguageSwitch() {
  return (
    <select
      class="language-switch"
      aria-label={text.languageSwitch}
      title={text.languageSwitch}
      value={activeLanguage()}
      // A language that cannot be fetched leaves the app as it was; the select snaps back on the next render.
      onChange={(e) => void setLanguage(e.currentTarget.value as Language).catch(() => undefined)}
    >
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </option>
      ))}
    </select>
  );
}
