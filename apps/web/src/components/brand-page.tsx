import type { ComponentChildren } from 'preact';
import { text } from '../strings.js';
import { Logo } from './icons.js';
import { LanguageSwitch } from './language-switch.js';

/** The card layout of the pages outside a meeting, with the logo linking home. */
export function BrandPage({ children }: { children: ComponentChildren }) {
  return (
    <main class="home">
      <div class="home-card">
        <div class="brand-row">
          <a class="brand" href="/">
            <Logo />
            <span>{text.appName}</span>
          </a>
          <LanguageSwitch />
        </div>
        {children}
      </div>
    </main>
  );
}
