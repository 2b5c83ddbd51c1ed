// The real server as `npm start -- --workers n` runs it: a child process (the front) with n workers, for the
// tests of that mode. Media and HTTP on 127.0.0.1, any free ports, a fresh data folder removed on close.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const MAIN = join(import.meta.dirname, '../packages/server/src/main.ts');

export interface ClusterProcess {
  url: string;
  /** The workers' media ports, as printed at start. */
  rtcPorts: number[];
  process: ChildProcess;
  /** Stops the server as an operator would (SIGTERM; SIGKILL after 10 s) and removes the data folder. */
  close(): Promise<void>;
}

export async function startClusterProcess(workers: number, extraArgs: string[] = []): Promise<ClusterProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'treff-workers-'));
  const args = ['--workers', String(workers), '--host', '127.0.0.1', '--port', '0', '--rtc-port', '0', '--rtc-bind', '127.0.0.1', '--announced-ip', '127.0.0.1', '--data-dir', dataDir, '--log-level', 'error', ...extraArgs];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (out += chunk));
  const started = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout!.on('data', () => /media on UDP ports? [\d, ]+\)/.test(out) && resolve(true))),
    once(child, 'exit').then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000).unref()),
  ]);
  const url = /open (https?:\/\/\S+?)\/ in your browser/.exec(out)?.[1];
  const ports = /media on UDP ports? ([\d, ]+)\)/.exec(out)?.[1];
  if (!started || url === undefined || ports === undefined) {
    await close();
    throw new Error(`the server with ${workers} workers did not start; it printed: ${out}`);
  }
  return { url, rtcPorts: ports.split(', ').map(Number), process: child, close };
}
