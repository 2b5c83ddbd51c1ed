// Shared setup of the integration tests: a real Treff server in this process, bots on loopback.

import { after } from 'node:test';
import { connect } from 'node:net';
import { startServer, type RunningServer, type StartOptions } from '@treff/server';
import { Bot, BotJoinError, createRoom, type BotOptions } from '@treff/load';

export async function startTestServer(overrides: StartOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    rtcPort: 0,
    iceAddress: '127.0.0.1',
    dataDir: null,
    logLevel: 'warn',
    // These tests need no web app; pointing at a folder without one keeps them independent of
    // whether `npm run build` ran (and of how the server serves it).
    webRoot: '/nonexistent/treff-web',
    ...overrides,
  });
}

export async function newRoom(server: RunningServer): Promise<string> {
  return (await createRoom(server.url, 'integration')).roomId;
}

/** Publishing at 50 video packets/s keeps a 2-core machine that also runs the server comfortable. */
export const TEST_VIDEO = { packetsPerSecond: 50, framesPerSecond: 25, payloadBytes: 1100, keyframeIntervalMs: 60_000 };

export function joinBot(server: Pick<RunningServer, 'url'>, roomId: string, name: string, extra: Partial<BotOptions> = {}): Promise<Bot> {
  return Bot.join({ url: server.url, roomId, name, video: TEST_VIDEO, timeoutMs: 20_000, ...extra });
}

/** A fresh room and a way to fill it with bots. */
export interface BotRoom {
  roomId: string;
  hostSecret: string;
  /** Joins a bot with the room's defaults (`extra` wins) and adds it to the file's bots, to be closed later. */
  join(name: string, extra?: Partial<BotOptions>): Promise<Bot>;
}

/** Creates a room titled `title` whose `join` enters bots with `defaults` and keeps them in `bots`. */
export async function roomForBots(server: RunningServer, title: string, bots: Bot[], defaults: Partial<BotOptions> = {}): Promise<BotRoom> {
  const { roomId, hostSecret } = await createRoom(server.url, title);
  const join = async (name: string, extra: Partial<BotOptions> = {}): Promise<Bot> => {
    const bot = await joinBot(server, roomId, name, { ...defaults, ...extra });
    bots.push(bot);
    return bot;
  };
  return { roomId, hostSecret, join };
}

/** How a bot's join ended: `joined` (the bot goes into `bots`, to be closed later) or the refusal's code. */
export async function joinOutcome(joining: Promise<Bot>, bots: Bot[]): Promise<string> {
  try {
    bots.push(await joining);
    return 'joined';
  } catch (err) {
    if (err instanceof BotJoinError) return err.code;
    throw err;
  }
}

/**
 * node-datachannel's native threads keep the process alive after every PeerConnection is closed,
 * and its cleanup() can crash; so each test file ends its own process once the runner has
 * reported. stdout is a pipe, which Node writes synchronously on Linux, so nothing is lost.
 */
export function exitWhenDone(cleanup: () => Promise<void> | void): void {
  after(async () => {
    try {
      await cleanup();
    } finally {
      setTimeout(() => process.exit(), 500).unref();
    }
  });
}

/**
 * The usual end of a test file: once its tests are done, closes what the lists hold then (raw sockets,
 * bots, relays), in order, then the server `server()` returns, and ends the process (see `exitWhenDone`).
 */
export function closeWhenDone(server: () => RunningServer | undefined, ...open: { close(): void | Promise<void> }[][]): void {
  exitWhenDone(async () => {
    for (const list of open) for (const item of list) await item.close();
    await server()?.close();
  });
}

/** One counter or gauge from the server's Prometheus text at GET /metrics. */
export async function metric(server: RunningServer, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (line === undefined) throw new Error(`metric ${name} missing from /metrics`);
  return Number(line.split(' ')[1]);
}

/** Sends `text` on a fresh TCP connection and resolves with what comes back before the server closes it (or 5 s pass). The
 * connection is not half-closed: like a browser, the client keeps its side open for the answer. */
export function rawRequest(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(text));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}
