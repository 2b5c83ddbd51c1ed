import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;
/** Another process may take the free port before redis-server binds it; then a new port is tried. */
const ATTEMPTS = 3;

class ExitedEarly extends Error {}

/** redis-server does not take `--port 0`: ask the OS for a free port, then let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function startOnce(givenPort?: number): Promise<TestRedis> {
  const port = givenPort ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'treff-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  // 'close' comes after the output was read to its end, and also when spawning failed.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    // At once: the server keeps nothing worth saving.
    child.kill('SIGKILL');
    await closed;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError !== undefined || child.exitCode !== null) break;
    if (await answersPing(url)) return { url, stop };
    await sleep(50);
  }
  await stop();
  if (spawnError !== undefined) throw new Error(`cannot start redis-server: ${spawnError.message}`);
  if (child.exitCode !== null) throw new ExitedEarly(`redis-server exited with code ${child.exitCode} (port ${port}); its output:\n${output}`);
  throw new Error(`redis-server did not answer PING within ${STARTUP_TIMEOUT_MS} ms (port ${port}); its output:\n${output}`);
}

/**
 * A redis-server of its own for a test file, on a free port, keeping nothing on disk. `port`: on that one
 * (a Redis started again where a stopped one was).
 */
export async function startTestRedis(port?: number): Promise<TestRedis> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(port);
    } catch (err) {
      if (!(err instanceof ExitedEarly) || attempt >= ATTEMPTS || port !== undefined) throw err;
    }
  }
}
