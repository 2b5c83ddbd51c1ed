import { useEffect, useState } from 'preact/hooks';
import { activeLanguage, onLanguageChange, type Language } from './i18n/language.js';

/** The active language; the component using it re-renders (with everything below it) when it switches. */
export function useLanguage(): Language {
  const [language, setLanguage] = useState(activeLanguage);
  useEffect(() => onLanguageChange(setLanguage), []);
  return language;
}
