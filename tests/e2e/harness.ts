// What every browser test file needs: the real server and both browsers, started once per file, the
// participants opened on them, and the failure diagnostics. The hooks close whatever did start.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser as PlaywrightBrowser } from 'playwright-core';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
import { startServer } from '@treff/server';
import type { CreateRoomRequest, CreateRoomResponse } from '@treff/protocol';
import { launchChromium, launchFirefox } from './browsers.js';
import { playwrightDriver, puppeteerDriver } from './driver.js';
import { Participant } from './participant.js';

export const RESULTS = 'test-results';

type InProcessServer = Awaited<ReturnType<typeof startServer>>;

/** What a harness needs of the server under test. */
export interface ServerUnderTest {
  url: string;
  close(): Promise<void>;
}

export interface Harness<Server extends ServerUnderTest = InProcessServer> {
  /** The running server (fails the test if it did not start). */
  readonly server: Server;
  /** Everyone opened and not yet dismissed; diagnostics cover them all. */
  readonly participants: Participant[];
  createRoom(body?: CreateRoomRequest): Promise<CreateRoomResponse>;
  /** `locale` (e.g. "de-DE") sets the browser's language and `navigator.languages`; the default is English. */
  chromiumParticipant(name: string, locale?: string): Promise<Participant>;
  firefoxParticipant(name: string): Promise<Participant>;
  /** Closes participants' pages (and forgets them), so a later test does not share the 2 cores with them. */
  dismiss(...done: (Participant | undefined)[]): Promise<void>;
  /** Prints what the pages warned about or threw (informational, also when the test passed). */
  printPageLogs(): void;
  /** On failure: screenshot every participant and print what their pages logged, then rethrow. */
  withDiagnostics(label: string, body: () => Promise<void>): Promise<void>;
}

/**
 * Registers the file's before/after hooks; call it once at the top level of a test file. The server is
 * this process's own by default; `start` runs another (e.g. the server with several workers).
 */
export function e2eHarness(): Harness;
export function e2eHarness<Server extends ServerUnderTest>(start: () => Promise<Server>): Harness<Server>;
export function e2eHarness<Server extends ServerUnderTest>(start?: () => Promise<Server>): Harness<Server | InProcessServer> {
  const startDefault = (): Promise<InProcessServer> => startServer({ port: 0, host: '127.0.0.1', rtcPort: 0, iceAddress: '127.0.0.1', dataDir: null, logLevel: 'warn' });
  let server: Server | InProcessServer | undefined;
  let chromium: PlaywrightBrowser | undefined;
  let firefox: PuppeteerBrowser | undefined;
  const participants: Participant[] = [];

  before(async () => {
    mkdirSync(RESULTS, { recursive: true });
    // Browsers launch while the server starts (Firefox alone takes a few seconds). Whatever did start is
    // kept even if something else failed, so the after hook can close it.
    const [s, c, f] = await Promise.allSettled([
      start ? start() : startDefault(),
      launchChromium(),
      launchFirefox(),
    ]);
    if (s.status === 'fulfilled') server = s.value;
    if (c.status === 'fulfilled') chromium = c.value;
    if (f.status === 'fulfilled') firefox = f.value;
    for (const result of [s, c, f]) {
      if (result.status === 'rejected') throw result.reason;
    }
  }, { timeout: 120_000 });

  after(async () => {
    // Every step is guarded so one failure does not leave a browser or the server running.
    await Promise.allSettled(participants.map((p) => p.close()));
    await Promise.allSettled([chromium?.close(), firefox?.close()]);
    await server?.close().catch((e: unknown) => console.error('server.close failed:', e));
  }, { timeout: 60_000 });

  const opened = (p: Participant) => {
    participants.push(p);
    return p;
  };

  const printPageLogs = () => {
    for (const p of participants) {
      if (p.page.log.length > 0) console.log(`${p.name} (${p.engine}) page warnings/errors:\n  ${p.page.log.slice(-30).join('\n  ')}`);
    }
  };

  return {
    get server() {
      assert.ok(server, 'server not started');
      return server;
    },
    participants,
    async createRoom(body = {}) {
      assert.ok(server, 'server not started');
      const response = await fetch(new URL('/api/rooms', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.ok(response.ok, `POST /api/rooms answered ${response.status}: ${await response.clone().text()}`);
      const room = (await response.json()) as CreateRoomResponse;
      assert.ok(room.roomUrl && room.roomId, `POST /api/rooms returned ${JSON.stringify(room)}`);
      return room;
    },
    async chromiumParticipant(name, locale) {
      assert.ok(chromium, 'chromium not launched');
      const context = await chromium.newContext({ viewport: { width: 1280, height: 800 }, ...(locale ? { locale } : {}) });
      return opened(new Participant(name, playwrightDriver(await context.newPage())));
    },
    async firefoxParticipant(name) {
      assert.ok(firefox, 'firefox not launched');
      const page = await (await firefox.createBrowserContext()).newPage();
      await page.setViewport({ width: 1280, height: 800 });
      return opened(new Participant(name, puppeteerDriver(page)));
    },
    async dismiss(...done) {
      for (const p of done) {
        if (!p) continue;
        await p.close();
        const at = participants.indexOf(p);
        if (at >= 0) participants.splice(at, 1);
      }
    },
    printPageLogs,
    async withDiagnostics(label, body) {
      try {
        await body();
      } catch (error) {
        for (const p of participants) {
          const file = `${RESULTS}/failure-${label}-${p.engine}-${p.name}.png`;
          await p.screenshot(file).then(() => console.log(`screenshot: ${file}`), () => undefined);
        }
        printPageLogs();
        throw error;
      }
    },
  };
}
