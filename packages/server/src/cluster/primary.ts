import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import { findFreeUdpPorts } from '@treff/sfu';
import type { ServerConfig } from '../config.js';
import { listenUrl } from '../http/request-origin.js';
import { openStorage } from '../storage/storage.js';
import { createFrontServer } from './front-server.js';
import { isWorkerMessage, type PrimaryMessage } from './messages.js';
import { Placement } from './placement.js';

/** Env vars telling a forked process which worker it is and its media port. */
export const WORKER_INDEX_ENV = 'TREFF_WORKER_INDEX';
export const WORKER_RTC_PORT_ENV = 'TREFF_WORKER_RTC_PORT';
/** Where the worker listens: a Unix socket in a folder only this user may open, so nobody else can reach a worker past the front. */
export const WORKER_SOCKET_ENV = 'TREFF_WORKER_SOCKET';
/** How often every worker learns the other workers' meeting sizes. */
const SIZES_INTERVAL_MS = 1000;
/** A worker that exits is started again after this, doubling while it keeps failing within a minute. */
const RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** How long a worker gets to end its meetings when the server stops. */
const STOP_GRACE_MS = 5000;

export interface RunningCluster {
  url: string;
  rtcPorts: number[];
  close(): Promise<void>;
}

/**
 * Runs `config.workers` worker processes (each a whole Treff server on a Unix socket, with its own SFU and
 * media port, main.ts) behind one public port, and restarts any that exits. The workers share the SQLite
 * file: it is migrated here first, so they never race to do it.
 */
export async function runPrimary(config: ServerConfig, log: Logger): Promise<RunningCluster> {
  await (await openStorage(config.dataDir)).close();
  // Each worker keeps its media port across restarts. Free ones are picked here, all at once: workers each
  // picking one at the same moment could be handed the same.
  const rtcPorts = config.rtcPort === 0 ? await findFreeUdpPorts(config.rtcBindAddress, config.workers) : Array.from({ length: config.workers }, (_, i) => config.rtcPort + i);
  const socketDir = mkdtempSync(join(tmpdir(), 'treff-sockets-'));
  const socketOf = (index: number): string => join(socketDir, `${index}.sock`);
  const placement = new Placement();
  const processes = new Map<number, Worker>();
  const metrics = new AggregatorRegistry();
  // The front's own, beside the workers' sums: what only it knows.
  const frontMetrics = new Registry();
  new Gauge({ name: 'treff_workers_up', help: 'Worker processes running and ready', registers: [frontMetrics], collect() { this.set(placement.workers.length); } });
  const restartsTotal = new Counter({ name: 'treff_worker_restarts_total', help: 'Worker processes that exited unasked and were started again', registers: [frontMetrics] });
  let stopping = false;
  const restarts = new Set<NodeJS.Timeout>();

  const start = (index: number, delay: number): Promise<void> => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index), [WORKER_RTC_PORT_ENV]: String(rtcPorts[index]), [WORKER_SOCKET_ENV]: socketOf(index) });
    processes.set(index, worker);
    const startedAt = performance.now();
    let ready = (): void => {};
    const started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      worker.once('exit', (code) => reject(new Error(`worker ${index} exited (code ${code}) before it was ready`)));
    });
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      switch (message.type) {
        case 'treff:ready':
          placement.workerUp(index);
          return ready();
        case 'treff:meetings':
          return placement.report(index, message.meetings);
        case 'treff:claim':
          return tell(worker, { type: 'treff:claimed', requestId: message.requestId, granted: placement.claim(index, message.meeting) });
        case 'treff:close-meeting': {
          const owner = placement.ownerOf(message.key);
          const target = owner === null ? undefined : processes.get(owner);
          if (target) tell(target, message);
        }
      }
    });
    // A send to a worker whose channel just closed fails here, not in the front; its 'exit' follows.
    worker.on('error', (err) => log.warn({ err, worker: index }, 'worker channel error'));
    worker.on('exit', (code, signal) => {
      placement.workerDown(index);
      if (processes.get(index) === worker) processes.delete(index);
      if (stopping) return;
      const next = performance.now() - startedAt < 60_000 ? Math.min(delay * 2, MAX_RESTART_DELAY_MS) : RESTART_DELAY_MS;
      log.error({ worker: index, code, signal, restartInMs: delay }, 'worker exited; its meetings ended; starting it again');
      restartsTotal.inc();
      const timer = setTimeout(() => {
        restarts.delete(timer);
        start(index, next).catch((err: unknown) => log.error({ err, worker: index }, 'worker failed to start'));
      }, delay);
      restarts.add(timer);
    });
    return started;
  };

  await Promise.all(Array.from({ length: config.workers }, (_, i) => start(i, RESTART_DELAY_MS)));

  const sizes = setInterval(() => {
    const message: PrimaryMessage = { type: 'treff:sizes', sizes: placement.sizes() };
    for (const worker of processes.values()) tell(worker, message);
  }, SIZES_INTERVAL_MS);

  const front = createFrontServer({
    config,
    placement,
    socketOf: (worker) => (placement.workers.includes(worker) ? socketOf(worker) : undefined),
    metrics: async () => ({ contentType: metrics.contentType, body: `${await metrics.clusterMetrics()}\n${await frontMetrics.metrics()}` }),
    health: () => ({ up: placement.workers.length, of: config.workers }),
  });
  front.listen(config.port, config.host);
  await once(front, 'listening');
  const address = front.address() as AddressInfo;
  const url = listenUrl(config, address.port);
  log.info({ url, workers: config.workers, rtcPorts }, 'treff started');

  let closing: Promise<void> | null = null;
  return {
    url,
    rtcPorts,
    close() {
      closing ??= (async () => {
        stopping = true;
        for (const timer of restarts) clearTimeout(timer);
        clearInterval(sizes);
        front.close();
        front.closeAllConnections();
        await Promise.all(
          [...processes.values()].map(async (worker) => {
            if (worker.isDead()) return;
            const exited = once(worker, 'exit');
            tell(worker, { type: 'treff:shutdown' });
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
            await exited;
            clearTimeout(timer);
          }),
        );
        rmSync(socketDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

function tell(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message);
}
