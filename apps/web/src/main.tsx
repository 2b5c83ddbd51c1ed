import { render } from 'preact';
import { App } from './app.js';
import { activeLanguage, loadLanguage, setLanguage } from './i18n/language.js';
import './styles.css';

const root = document.getElementById('app');
// A language other than English is fetched first, so the first paint is already in it; if it cannot be
// fetched, the app starts in English this time (the choice stays as it was for the next visit).
const ready = loadLanguage(activeLanguage()).catch(() => setLanguage('en', { remember: false }));
if (root) void ready.then(() => render(<App />, root));
