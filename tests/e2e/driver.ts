// One small interface over a Playwright page (Chromium) and a Puppeteer page (Firefox over WebDriver BiDi), so
// tests are written once. Elements are found by ARIA role and accessible name only, never by CSS classes:
// Playwright's getByRole, and Puppeteer's `::-p-aria(...)`, which Firefox answers from its accessibility tree.
import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage, ElementHandle } from 'puppeteer-core';
import type { PageElement, PageMediaElement } from './page-types.js';

export type Engine = 'chromium' | 'firefox';

/** What a test learns about one element found by role and name. */
export interface ElementSummary {
  text: string;
  /** Rendered size; 0×0 means present in the tree but not visible. */
  width: number;
  height: number;
  media: MediaSummary[];
}

export interface MediaSummary {
  tag: string;
  videoWidth: number;
  videoHeight: number;
  paused: boolean;
  /** Live tracks of the element's srcObject; their ids equal the inbound-rtp `trackIdentifier`. */
  tracks: { kind: string; id: string }[];
}

export interface PageDriver {
  readonly engine: Engine;
  /** Navigates; resolves with the HTTP status of the document, or null when the browser did not report one. */
  goto(url: string, timeoutMs: number): Promise<number | null>;
  /** Runs `fn(arg)` in the page; `arg` and the result must be JSON-serializable. */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  clickButton(name: string, timeoutMs: number): Promise<void>;
  /** Types `value` into the text field named `name` (its label), replacing what was there. */
  fill(name: string, value: string, timeoutMs: number): Promise<void>;
  /** Clicks the link named `name`. */
  clickLink(name: string, timeoutMs: number): Promise<void>;
  findByRole(role: string, name: string): Promise<ElementSummary[]>;
  screenshot(path: string): Promise<void>;
  /** Resizes the page's viewport (CSS pixels). */
  setViewport(width: number, height: number): Promise<void>;
  /** Console errors and uncaught page errors seen so far (printed when a test fails). */
  readonly log: string[];
  close(): Promise<void>;
}

/**
 * Evaluated on the found element. It is sent to the page as source text, so it may not call helpers
 * defined outside it, and (because tsx keeps function names with a `__name` helper that does not exist in
 * the page) it must not declare named inner functions; anonymous callbacks are fine.
 */
const summarize = (el: PageElement): ElementSummary => {
  const rect = el.getBoundingClientRect();
  const media = Array.from(el.querySelectorAll('video, audio') as ArrayLike<PageMediaElement>).map((m) => ({
    tag: m.tagName.toLowerCase(),
    videoWidth: m.videoWidth ?? 0,
    videoHeight: m.videoHeight ?? 0,
    paused: m.paused,
    tracks: m.srcObject
      ? m.srcObject.getTracks().filter((t) => t.readyState === 'live').map((t) => ({ kind: t.kind, id: t.id }))
      : [],
  }));
  return { text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), width: rect.width, height: rect.height, media };
};

/** Wraps `fn` as an expression, with a no-op `__name` in scope in case tsx named an inner function. */
function asExpression<A>(fn: (arg: A) => unknown, arg: A): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'}); })()`;
}

/** `::-p-aria` takes a quoted name; quotes and backslashes inside it are escaped. */
function ariaSelector(role: string, name: string): string {
  const quoted = name.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `::-p-aria([name="${quoted}"][role="${role}"])`;
}

export function playwrightDriver(page: PlaywrightPage): PageDriver {
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  return {
    engine: 'chromium',
    log,
    async goto(url, timeoutMs) {
      const response = await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
      return response ? response.status() : null;
    },
    async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
      return (await page.evaluate(asExpression(fn, arg))) as R;
    },
    async clickButton(name, timeoutMs) {
      await page.getByRole('button', { name, exact: true }).click({ timeout: timeoutMs });
    },
    async fill(name, value, timeoutMs) {
      await page.getByRole('textbox', { name, exact: true }).fill(value, { timeout: timeoutMs });
    },
    async clickLink(name, timeoutMs) {
      await page.getByRole('link', { name, exact: true }).click({ timeout: timeoutMs });
    },
    async findByRole(role, name) {
      // The role comes from the test itself; Playwright's AriaRole union is wider than any test needs.
      const locator = page.getByRole(role as Parameters<PlaywrightPage['getByRole']>[0], { name, exact: true });
      // Handles, not `locator.all()`: those are `nth(i)` locators that wait (up to the default timeout) for an
      // element that left the page between the count and the read, e.g. a hand icon as the hand is lowered.
      const found: ElementSummary[] = [];
      for (const handle of await locator.elementHandles()) {
        found.push(await handle.evaluate(summarize as (el: unknown) => ElementSummary));
        await handle.dispose();
      }
      return found;
    },
    async screenshot(path) {
      await page.screenshot({ path, fullPage: true });
    },
    async setViewport(width, height) {
      await page.setViewportSize({ width, height });
    },
    async close() {
      await page.close().catch(() => undefined);
    },
  };
}

export function puppeteerDriver(page: PuppeteerPage): PageDriver {
  const log: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') log.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  return {
    engine: 'firefox',
    log,
    async goto(url, timeoutMs) {
      const response = await page.goto(url, { timeout: timeoutMs, waitUntil: 'load' });
      return response ? response.status() : null;
    },
    async evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
      return (await page.evaluate(asExpression(fn, arg))) as R;
    },
    async clickButton(name, timeoutMs) {
      await page.locator(ariaSelector('button', name)).setTimeout(timeoutMs).click();
    },
    async fill(name, value, timeoutMs) {
      await page.locator(ariaSelector('textbox', name)).setTimeout(timeoutMs).fill(value);
    },
    async clickLink(name, timeoutMs) {
      await page.locator(ariaSelector('link', name)).setTimeout(timeoutMs).click();
    },
    async findByRole(role, name) {
      const handles: ElementHandle[] = await page.$$(ariaSelector(role, name));
      const found: ElementSummary[] = [];
      for (const handle of handles) {
        found.push(await handle.evaluate(summarize as (el: unknown) => ElementSummary));
        await handle.dispose();
      }
      return found;
    },
    async screenshot(path) {
      await page.screenshot({ path: path as `${string}.png`, fullPage: true });
    },
    async setViewport(width, height) {
      await page.setViewport({ width, height });
    },
    async close() {
      await page.close().catch(() => undefined);
    },
  };
}
