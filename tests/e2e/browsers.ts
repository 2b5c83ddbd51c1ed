// Launching the real browsers for end-to-end tests, as measured in ../shared/guides/browser-testing.md:
// Debian's Chromium through playwright-core, Debian's Firefox ESR through puppeteer-core over WebDriver BiDi.
// Neither library may download a browser; both use the system binaries below.
import { existsSync } from 'node:fs';
import { chromium, type Browser as PlaywrightBrowser } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser } from 'puppeteer-core';

export const CHROMIUM_PATH = process.env.TREFF_CHROMIUM ?? '/usr/lib/chromium/chromium';
export const FIREFOX_PATH = process.env.TREFF_FIREFOX ?? '/usr/bin/firefox-esr';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  // Without it Chromium gathers no candidates inside a loopback-only network namespace.
  '--allow-loopback-in-peer-connection',
  // Headless background tabs must keep decoding video.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--autoplay-policy=no-user-gesture-required',
];

export const FIREFOX_PREFS: Readonly<Record<string, boolean | number | string>> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
};

function requireExecutable(path: string, what: string): void {
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}; install it with: apt-get install -y ${what === 'Chromium' ? 'chromium' : 'firefox-esr'}`);
  }
}

export async function launchChromium(): Promise<PlaywrightBrowser> {
  requireExecutable(CHROMIUM_PATH, 'Chromium');
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
}

export async function launchFirefox(): Promise<PuppeteerBrowser> {
  requireExecutable(FIREFOX_PATH, 'Firefox ESR');
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    timeout: 60_000,
    protocolTimeout: 120_000,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
  });
}
