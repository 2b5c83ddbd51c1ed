import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import fastifyStatic from '@fastify/static';
import rateLimit from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { REDIS_KEY_PREFIX } from '../storage/redis/redis-storage.js';
import type { Storage } from '../storage/storage.js';
import { registerAdminApi } from './admin-api.js';
import { registerDirectoryApi } from './directory-api.js';
import { registerGroupApi } from './group-api.js';
import { registerHostApi } from './host-api.js';
import { messagePage, pageLanguage, type PageKind } from './pages.js';
import { PUBLIC_ID } from './public-id.js';
import { registerReportApi } from './report-api.js';
import { registerRoomApi } from './room-api.js';

export interface HttpDeps {
  config: ServerConfig;
  storage: Storage;
  rooms: RoomRegistry;
  metrics: Metrics;
  log: Logger;
  /**
   * A node of a cluster: whether it is in touch with the others (through Redis), for /healthz, and the Redis
   * where the nodes count requests together (with a count per node, n nodes would allow n times as many).
   */
  cluster?: { health: () => { ok: boolean; node: string }; redis: Redis };
}

/** What every API module gets: the server's parts, and the origin links are built on. */
export type ApiDeps = HttpDeps & { origin: (request: FastifyRequest) => string };


export async function createHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const { config, storage, metrics, log } = deps;
  const https = config.tlsCertFile && config.tlsKeyFile ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } : null;
  // No request logging: URLs carry room ids (the key to a meeting) and display names (?name=), and
  // addresses are nobody's business; errors are still logged, without the URL.
  // One proxy in front (a hop count of 1, not `true`): the client address is the right-most
  // X-Forwarded-For entry, as for signaling (server.ts); entries left of it are the client's to forge.
  // Fastify takes a hop count at run time but its types do not, so the same as proxy-addr's function.
  // A node of a cluster trusts one hop too: its requests are screened first (cluster/node-forwarding.ts), so
  // only another node or the configured proxy can have left those headers.
  const trustProxy = config.trustProxy || config.redisUrl !== null ? (_address: string, hop: number) => hop < 1 : false;
  const options = { loggerInstance: log, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 16 * 1024, trustProxy };
  const app = (https ? Fastify({ ...options, https }) : Fastify(options)) as unknown as FastifyInstance;
  // Limits are per route (room and group creation, joins, reports, guesses at secrets); the rest is free.
  const shared = deps.cluster?.redis;
  await app.register(rateLimit, {
    global: false,
    ...(shared && {
      redis: shared,
      nameSpace: `${REDIS_KEY_PREFIX}rate-limit:`,
      // Addresses go into Redis hashed: they are nobody's business.
      keyGenerator: (request: FastifyRequest) => createHash('sha256').update(request.ip).digest('base64url'),
      // A node cut off from Redis serves nothing much, but its pages and errors still answer.
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, error: 'rate-limited', message: `too many requests; try again in ${context.after}` }),
  });

  const api: ApiDeps = { ...deps, origin: (request) => config.publicUrl ?? `${request.protocol}://${request.host}` };
  registerRoomApi(app, api);
  registerHostApi(app, api);
  registerGroupApi(app, api);
  registerDirectoryApi(app, api);
  registerReportApi(app, api);
  registerAdminApi(app, api);

  // A load balancer takes a node out of rotation while it cannot reach Redis: it could serve no room then.
  app.get('/healthz', async (_request, reply) => {
    const cluster = deps.cluster?.health();
    if (cluster === undefined) return { ok: true };
    return reply.code(cluster.ok ? 200 : 503).send({ ok: cluster.ok, node: cluster.node });
  });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));

  const indexFile = join(config.webRoot, 'index.html');
  const webBuilt = existsSync(indexFile);
  if (webBuilt) {
    // index.html is served by the routes below (for the app's pages), with no-cache so updates reach everyone.
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
  const sendPage = (request: FastifyRequest, reply: FastifyReply, status: number, kind: PageKind) =>
    reply.code(status).type('text/html').header('vary', 'accept-language').send(messagePage(kind, pageLanguage(request.headers['accept-language'])));
  const sendApp = (request: FastifyRequest, reply: FastifyReply) =>
    webBuilt ? reply.header('cache-control', 'no-cache').sendFile('index.html') : sendPage(request, reply, 503, 'not-built');

  app.get('/', (request, reply) => sendApp(request, reply));
  app.get('/rooms', (request, reply) => sendApp(request, reply));
  app.get<{ Params: { roomId: string } }>('/r/:roomId', async (request, reply) => {
    const record = PUBLIC_ID.test(request.params.roomId) ? await storage.rooms.get(request.params.roomId) : null;
    if (record === null) {
      return sendPage(request, reply, 404, 'no-meeting');
    }
    if (record.blockedAt !== null) {
      return sendPage(request, reply, 410, 'meeting-closed');
    }
    return sendApp(request, reply);
  });
  app.get<{ Params: { groupId: string } }>('/g/:groupId', async (request, reply) => {
    if (!PUBLIC_ID.test(request.params.groupId) || (await storage.groups.get(request.params.groupId)) === null) {
      return sendPage(request, reply, 404, 'no-group');
    }
    return sendApp(request, reply);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'not-found', message: `no such endpoint: ${request.method} ${request.url.split('?')[0]}` });
    return sendPage(request, reply, 404, 'not-found');
  });
  app.setErrorHandler((err: { statusCode?: number; message: string }, request, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) log.error({ err, route: request.routeOptions.url }, 'request failed');
    const error = status === 500 ? 'internal' : status === 429 ? 'rate-limited' : 'bad-request';
    return reply.code(status).send({ error, message: status === 500 ? 'internal server error' : err.message });
  });
  return app;
}
