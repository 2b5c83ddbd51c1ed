import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ServerConfig } from '../config.js';
import { forwardedByNode } from '../http/request-origin.js';
import { refuseUpgrade, requestTarget } from '../http/request-target.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { connectRedis, REDIS_KEY_PREFIX } from '../storage/redis/redis-storage.js';
import type { Storage } from '../storage/storage.js';
import { NodeForwarder, screenRequest } from './node-forwarding.js';
import { NodeLink } from './node-link.js';
import { requestRoom } from './request-room.js';

/**
 * This server as a node of several sharing one Redis: the link to the others, and the HTTP side of it
 * (screening every request, sending those about a meeting another node runs there).
 */
export class ClusterNode {
  private readonly forged = new WeakSet<IncomingMessage>();
  private readonly forwarder: NodeForwarder;

  private constructor(
    readonly link: NodeLink,
    /** The link's command connection, for what else the nodes count together (rate limits, password guesses). */
    readonly redis: Redis,
    private readonly config: ServerConfig,
  ) {
    this.forwarder = new NodeForwarder(config, () => link.secret);
  }

  /** Connects to Redis (two connections of its own) and learns the cluster's secret; before the server listens. */
  static async join(redisUrl: string, config: ServerConfig, rooms: RoomRegistry, storage: Storage, log: Logger): Promise<ClusterNode> {
    const [commands, subscriber] = await Promise.all([connectRedis(redisUrl, { log }), connectRedis(redisUrl, { log })]);
    const link = new NodeLink(commands, subscriber, rooms, storage.rooms, REDIS_KEY_PREFIX, log);
    await link.connect();
    return new ClusterNode(link, commands, config);
  }

  private screen(request: IncomingMessage): 'node' | 'forged' | 'client' {
    return screenRequest(request, (secret) => this.link.trusts(secret), this.config);
  }

  /** Screens every plain request before Fastify reads it, and forwards those about a meeting elsewhere. */
  attach(app: FastifyInstance): void {
    // Fastify's own handler was added when its server was made: this one runs first.
    app.server.prependListener('request', (request: IncomingMessage) => {
      if (this.screen(request) === 'forged') this.forged.add(request);
    });
    // A forwarded request never goes on: no loops.
    app.addHook('onRequest', async (request, reply) => {
      if (this.forged.has(request.raw)) return reply.code(403).send({ statusCode: 403, error: 'forbidden', message: 'not a node of this cluster' });
      if (forwardedByNode(request.raw)) return;
      const target = requestTarget(request.raw);
      const room = target && requestRoom(target);
      const nodeUrl = room ? await this.link.route(room.roomId) : null;
      if (nodeUrl === null) return;
      reply.hijack();
      this.forwarder.web(request.raw, reply.raw, nodeUrl);
      return reply;
    });
  }

  /** A socket upgrade to /ws: taken here (`accept`), or forwarded to the node that runs its meeting. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, target: URL, accept: () => void, log: Logger): void {
    if (this.screen(request) === 'forged') return refuseUpgrade(socket, '403 Forbidden');
    if (forwardedByNode(request)) return accept();
    // Without its room a node cannot know where the meeting runs: the SDK always names it.
    const room = requestRoom(target);
    if (room === null) return refuseUpgrade(socket, '400 Bad Request', 'open /ws?room=<room id>');
    this.link
      .route(room.roomId)
      .then((nodeUrl) => {
        if (socket.destroyed) return;
        if (nodeUrl === null) accept();
        else this.forwarder.ws(request, socket, head, nodeUrl);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'could not take a signaling socket');
        refuseUpgrade(socket, '500 Internal Server Error');
      });
  }

  /** The cluster as this node sees it, beside the server's own metrics. */
  registerMetrics(registry: Registry): void {
    const link = this.link;
    new Gauge({
      name: 'treff_cluster_nodes',
      help: 'Nodes of the cluster this one hears from, itself included',
      registers: [registry],
      collect() {
        this.set(link.nodesSeen());
      },
    });
    new Gauge({
      name: 'treff_cluster_in_touch',
      help: "1 while this node's reports reach Redis",
      registers: [registry],
      collect() {
        this.set(link.inTouch() ? 1 : 0);
      },
    });
    new Counter({
      name: 'treff_meetings_handed_over_total',
      help: 'Meetings this node gave up because another node took them over',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(link.handOvers);
      },
    });
  }

  /** Closes the sockets this node forwarded; the link closes by itself, once the meetings have ended. */
  closeForwarding(): void {
    this.forwarder.close();
  }
}
