import type { IncomingMessage } from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { WebSocketServer, type WebSocket } from 'ws';
import { Sfu } from '@treff/sfu';
import { MAX_MESSAGE_BYTES } from '@treff/protocol';
import { ClusterNode } from './cluster/cluster-node.js';
import { WorkerLink } from './cluster/worker-link.js';
import type { WorkerMessage } from './cluster/messages.js';
import { DEFAULT_CONFIG, type ServerConfig } from './config.js';
import { createHttpApp } from './http/http-app.js';
import { listenUrl, requestOrigin } from './http/request-origin.js';
import { refuseUpgrade, requestTarget } from './http/request-target.js';
import { MediaTap, type MediaTapListener } from './media-tap.js';
import { createMetrics } from './metrics.js';
import { Admission } from './rooms/admission.js';
import { RedisPasswordGuesses } from './rooms/password-guesses.js';
import { RoomRegistry } from './rooms/room-registry.js';
import { overBudget } from './signaling/backlog-budget.js';
import { SignalingSession, type ClientInfo } from './signaling/signaling-session.js';
import { openRedisStorage, REDIS_KEY_PREFIX } from './storage/redis/redis-storage.js';
import { openStorage } from './storage/storage.js';

export interface StartOptions extends Partial<ServerConfig> {
  /** Shorthand for tests and single-host setups: bind media to this address and announce it. */
  iceAddress?: string;
  logger?: Logger;
  /** Run as one worker of several (cluster/primary.ts): listen on a Unix socket of its own and report to the primary. */
  worker?: WorkerChannel;
}

/** Where a worker listens, and the cluster IPC channel as it sees it (`process` in a cluster worker). */
export interface WorkerChannel {
  /** The Unix socket to listen on instead of a TCP port: only the front reaches it. */
  socketPath: string;
  send(message: WorkerMessage): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** The UDP port media uses. */
  rtcPort: number;
  config: ServerConfig;
  /**
   * Diagnostics for tests: `listener` sees every RTP packet a publisher sends, after the SFU parsed it
   * (what the server could read of the media). Returns the function that stops it.
   */
  tapMedia(listener: MediaTapListener): () => void;
  close(): Promise<void>;
}

/** Starts HTTP, signaling and the SFU in this process. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { iceAddress, logger, worker, ...overrides } = options;
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...overrides };
  if (iceAddress !== undefined) {
    config.rtcBindAddress = iceAddress;
    config.announcedAddress = iceAddress;
  }
  const log = logger ?? pino({ level: config.logLevel });
  // Storage first: when it cannot be opened (an unreachable Redis), nothing else has been started to stop.
  const storage = config.redisUrl === null ? await openStorage(config.dataDir) : await openRedisStorage(config.redisUrl, {}, { log });
  const sfu = await Sfu.create({ port: config.rtcPort, bindAddress: config.rtcBindAddress, announcedAddress: config.announcedAddress });
  const rooms = new RoomRegistry(storage, sfu, config.maxParticipantsPerRoom, { audioTopN: config.audioTopN, lastN: config.lastN }, log);
  const node = config.redisUrl === null ? null : await ClusterNode.join(config.redisUrl, config, rooms, storage, log);
  const admission = new Admission(storage, node ? new RedisPasswordGuesses(node.redis, REDIS_KEY_PREFIX) : undefined);
  const metrics = createMetrics(sfu.counters, () => rooms);
  node?.registerMetrics(metrics.registry);
  const mediaTap = new MediaTap(sfu, log);
  const app = await createHttpApp({
    config,
    storage,
    rooms,
    metrics,
    log,
    ...(node && { cluster: { health: () => ({ ok: node.link.inTouch(), node: node.link.id }), redis: node.redis } }),
  });
  const link = worker && new WorkerLink(rooms, worker);
  node?.attach(app);
  // The primary answers /metrics for the cluster by asking each worker for this registry. prom-client
  // starts answering those requests when an AggregatorRegistry is first made, in the worker too.
  if (worker) {
    AggregatorRegistry.setRegistries([metrics.registry]);
    new AggregatorRegistry();
  }

  /** Sockets whose last ping has no pong yet. */
  const unanswered = new WeakSet<WebSocket>();
  // ws closes frames beyond maxPayload itself; below that the session answers oversized messages with an error.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_MESSAGE_BYTES });
  app.server.on('upgrade', (request, socket, head) => {
    // Node drops its own error listener once it hands a socket to 'upgrade': a reset on a refused one would
    // otherwise be an unhandled 'error' and end the process. ws adds its own for the sockets it takes.
    socket.on('error', () => socket.destroy());
    const target = requestTarget(request);
    if (target === null) return refuseUpgrade(socket, '400 Bad Request');
    if (target.pathname !== '/ws') return refuseUpgrade(socket, '404 Not Found');
    const roomId = target.searchParams.get('room') || null;
    const accept = (): void =>
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('pong', () => unanswered.delete(ws));
        new SignalingSession(ws, rooms, admission, clientInfo(request, config, roomId), { reconnectGraceMs: config.reconnectGraceMs }, log);
      });
    if (node) node.upgrade(request, socket, head, target, accept, log);
    else accept();
  });
  const backlogCheck = setInterval(() => {
    for (const ws of overBudget(wss.clients)) {
      log.info({ backlog: ws.bufferedAmount }, 'clients leave too much unread in all; dropping the largest backlog');
      ws.terminate();
    }
  }, 1000);
  backlogCheck.unref();
  // Browsers keep idle sockets open; pings find the dead ones so their participants enter the grace period.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (unanswered.has(ws)) {
        ws.terminate();
        continue;
      }
      unanswered.add(ws);
      ws.ping();
    }
  }, config.heartbeatMs);

  let url: string;
  if (worker) {
    // A worker's socket is its own: without `exclusive`, a cluster worker's listen is shared through the
    // primary. One left by this worker's previous run (a crash) is in the way.
    rmSync(worker.socketPath, { force: true });
    await app.listen({ path: worker.socketPath, exclusive: true });
    link?.ready();
    url = `unix:${worker.socketPath}`;
  } else {
    await app.listen({ host: config.host, port: config.port });
    url = listenUrl(config, (app.server.address() as AddressInfo).port);
    await node?.link.start(config.nodeUrl ?? url);
  }
  log.info({ url, rtcPort: sfu.settings.port }, worker ? 'worker started' : 'treff started');

  let closing: Promise<void> | null = null;
  return {
    url,
    rtcPort: sfu.settings.port,
    config,
    tapMedia: (listener) => mediaTap.add(listener),
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(backlogCheck);
        link?.close();
        node?.closeForwarding();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        rooms.close();
        // After the meetings: their leases go back at once, for the clients reconnecting to another node.
        await node?.link.close();
        sfu.close();
        await app.close();
        await storage.close();
      })();
      return closing;
    },
  };
}

/** What a signaling session needs to know of its client, from the upgrade request. */
function clientInfo(request: IncomingMessage, config: ServerConfig, roomId: string | null): ClientInfo {
  const { address, scheme, host } = requestOrigin(request, config);
  return { address, origin: config.publicUrl ?? `${scheme}://${host}`, roomId };
}

