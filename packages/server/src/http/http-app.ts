import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import type { CreateRoomResponse, RoomSummary } from '@treff/protocol';
import { LIMITS } from '@treff/protocol';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import { hashSecret, newRoomId, newSecret } from '../ids.js';
import type { Metrics } from '../metrics.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { RoomStore } from '../storage/room-store.js';
import { messagePage } from './pages.js';

export interface HttpDeps {
  config: ServerConfig;
  store: RoomStore;
  rooms: RoomRegistry;
  metrics: Metrics;
  log: Logger;
}

const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function createHttpApp({ config, store, rooms, metrics, log }: HttpDeps): Promise<FastifyInstance> {
  const https = config.tlsCertFile && config.tlsKeyFile ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } : null;
  // No request logging: URLs carry room ids (the key to a meeting) and display names (?name=), and
  // addresses are nobody's business; errors are still logged, without the URL.
  const options = { loggerInstance: log, disableRequestLogging: true, bodyLimit: 16 * 1024, trustProxy: config.trustProxy };
  const app = (https ? Fastify({ ...options, https }) : Fastify(options)) as unknown as FastifyInstance;
  // Anyone may create rooms; the limit keeps one client from filling the database.
  await app.register(rateLimit, { global: false });

  const origin = (request: FastifyRequest): string => config.publicUrl ?? `${request.protocol}://${request.host}`;

  app.post<{ Body: { title?: unknown } | undefined }>(
    '/api/rooms',
    { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const rawTitle = request.body?.title;
      if (rawTitle !== undefined && typeof rawTitle !== 'string') return reply.code(400).send({ error: 'bad-request', message: 'title must be a string' });
      const title = (rawTitle ?? '').replace(/\s+/g, ' ').trim();
      if (title.length > LIMITS.titleLength) return reply.code(400).send({ error: 'bad-request', message: `title must be at most ${LIMITS.titleLength} characters` });
      const roomId = newRoomId();
      const hostSecret = newSecret();
      store.insert({ id: roomId, title, hostSecretHash: hashSecret(hostSecret), createdAt: Date.now() });
      metrics.roomsCreated.inc();
      const roomUrl = `${origin(request)}/r/${roomId}`;
      const body: CreateRoomResponse = { roomId, title, roomUrl, hostUrl: `${roomUrl}#host=${hostSecret}`, hostSecret };
      return reply.code(201).send(body);
    },
  );

  app.get<{ Params: { roomId: string } }>('/api/rooms/:roomId', async (request, reply) => {
    const record = ROOM_ID.test(request.params.roomId) ? store.get(request.params.roomId) : null;
    if (record === null) return reply.code(404).send({ error: 'room-not-found', message: 'this meeting does not exist' });
    const body: RoomSummary = { roomId: record.id, title: record.title, participantCount: rooms.get(record.id)?.size ?? 0 };
    return body;
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

  const indexFile = join(config.webRoot, 'index.html');
  const webBuilt = existsSync(indexFile);
  if (webBuilt) {
    // index.html is served by the routes below (for / and for rooms), with no-cache so updates reach everyone.
    await app.register(fastifyStatic, {
      root: config.webRoot,
      index: false,
      wildcard: false,
      cacheControl: false,
      // Vite puts a content hash in every asset name, so assets never change under their URL.
      setHeaders: (res, path) => {
        if (path.includes('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  } else {
    log.warn({ webRoot: config.webRoot }, 'web app not built; run `npm run build`');
  }
  const sendApp = (reply: import('fastify').FastifyReply) =>
    webBuilt
      ? reply.header('cache-control', 'no-cache').sendFile('index.html')
      : reply.code(503).type('text/html').send(messagePage('Web app not built', 'Run "npm run build" (or "npm start") in the Treff folder, then reload.'));

  app.get('/', (_request, reply) => sendApp(reply));
  app.get<{ Params: { roomId: string } }>('/r/:roomId', (request, reply) => {
    if (!ROOM_ID.test(request.params.roomId) || store.get(request.params.roomId) === null) {
      return reply.code(404).type('text/html').send(messagePage('This meeting doesn’t exist', 'The link may be mistyped, or the meeting was deleted. Check the link, or start a new meeting.'));
    }
    return sendApp(reply);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'not-found', message: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` });
    return reply.code(404).type('text/html').send(messagePage('Page not found', 'There is nothing at this address.'));
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error({ err, route: request.routeOptions.url }, 'request failed');
    return reply.code(status).send({ error: status === 500 ? 'internal' : 'bad-request', message: status === 500 ? 'internal server error' : err.message });
  });
  return app;
}
