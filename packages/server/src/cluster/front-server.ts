import { Agent, createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import httpProxy from 'http-proxy';
import type { ServerConfig } from '../config.js';
import { requestOrigin } from '../http/request-origin.js';
import { refuseUpgrade, requestTarget } from '../http/request-target.js';
import type { Placement } from './placement.js';
import { answerProxyErrors, passOrRefuse, sendError } from './proxy-answers.js';
import { requestRoom } from './request-room.js';

export interface FrontOptions {
  config: ServerConfig;
  placement: Placement;
  /** The Unix socket of a worker that is up, or undefined. */
  socketOf(worker: number): string | undefined;
  /** Answers /metrics for the whole cluster. */
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Workers up, of how many: /healthz is answered here, for a load balancer in front. */
  health(): { up: number; of: number };
}

/**
 * The public HTTP(S) port in front of the workers. Each request goes to the worker that runs the meeting it
 * is about (requestRoom); the rest go by client address, so a client's per-address rate limits stay in one
 * worker. Only signaling and pages pass through here; media goes straight to the worker's UDP port.
 */
export function createFrontServer(options: FrontOptions): Server {
  const { config, placement } = options;
  // xfwd off: the forwarded headers are set below, replacing whatever the client sent.
  const proxy = httpProxy.createProxyServer({ xfwd: false });
  // Kept-alive connections to the workers for plain requests; each socket upgrade gets a connection of its own.
  const agent = new Agent({ keepAlive: true });
  answerProxyErrors(proxy, 'worker-unavailable', 'the process serving this room stopped; try again');

  /** Only a socket upgrade may place a room (start its meeting); a plain GET of /ws?room= only finds it. */
  const workerFor = (request: IncomingMessage, room: ReturnType<typeof requestRoom>, upgrade: boolean): { socketPath: string; host: string; port: number } | null => {
    let worker = room === null ? null : room.connects && upgrade ? placement.connect(room.roomId) : placement.find(room.roomId);
    worker ??= byAddress(placement.workers, requestOrigin(request, config).address);
    const socketPath = worker === null ? undefined : options.socketOf(worker);
    // host and port only fill the type: the connection goes to the socket, the Host header is the client's.
    return socketPath === undefined ? null : { socketPath, host: 'localhost', port: 80 };
  };

  const https = config.tlsCertFile && config.tlsKeyFile ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } : null;
  const server = https ? createHttpsServer(https) : createHttpServer();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const target = requestTarget(request);
    if (target === null) return sendError(response, 400, 'bad-request', 'that request target is not a URL');
    if (target.pathname === '/healthz') {
      const { up, of } = options.health();
      response.writeHead(up > 0 ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: up > 0, workers: { up, of } }));
      return;
    }
    if (target.pathname === '/metrics') {
      options.metrics().then(
        (m) => response.writeHead(200, { 'content-type': m.contentType }).end(m.body),
        () => sendError(response, 503, 'unavailable', 'a worker did not answer for its metrics'),
      );
      return;
    }
    const worker = workerFor(request, requestRoom(target), false);
    if (worker === null) return sendError(response, 503, 'unavailable', 'no worker is running; try again');
    setForwarded(request, config);
    passOrRefuse(response, () => proxy.web(request, response, { target: worker, agent }));
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const target = requestTarget(request);
    if (target === null) return refuseUpgrade(socket, '400 Bad Request');
    if (target.pathname !== '/ws') return refuseUpgrade(socket, '404 Not Found');
    // Without its room the socket would go to a worker by address, which might not run that room's meeting.
    const room = requestRoom(target);
    if (room === null) return refuseUpgrade(socket, '400 Bad Request', 'open /ws?room=<room id>');
    const worker = workerFor(request, room, true);
    if (worker === null) return refuseUpgrade(socket, '503 Service Unavailable');
    setForwarded(request, config);
    try {
      proxy.ws(request, socket, head, { target: worker });
    } catch {
      refuseUpgrade(socket, '400 Bad Request');
    }
  });
  return server;
}

/**
 * The client's address, scheme and host, as a single-process server would read them, handed on as the only
 * X-Forwarded-* entries: the workers trust exactly one hop, this one.
 */
export function setForwarded(request: IncomingMessage, config: ServerConfig): void {
  const { address, scheme, host } = requestOrigin(request, config);
  request.headers['x-forwarded-for'] = address;
  request.headers['x-forwarded-proto'] = scheme;
  request.headers['x-forwarded-host'] = host;
}

/** The same worker for the same address while the set of workers is the same (FNV-1a). */
export function byAddress(workers: readonly number[], address: string): number | null {
  if (workers.length === 0) return null;
  let hash = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) hash = Math.imul(hash ^ address.charCodeAt(i), 0x01000193) >>> 0;
  return workers[hash % workers.length] ?? null;
}
