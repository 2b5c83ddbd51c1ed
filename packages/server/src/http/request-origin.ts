import type { IncomingMessage } from 'node:http';
import type { ServerConfig } from '../config.js';

/** Requests another node of the cluster forwarded (cluster/node-forwarding.ts): their X-Forwarded-* are that node's reading. */
const fromNode = new WeakSet<IncomingMessage>();

export function markForwardedByNode(request: IncomingMessage): void {
  fromNode.add(request);
}

export function forwardedByNode(request: IncomingMessage): boolean {
  return fromNode.has(request);
}

/**
 * The client's address (for rate limits), and the scheme and host its links should use. Forwarded headers
 * are believed only behind a trusted proxy (or from another node), and only their right-most entry: the one
 * proxy in front appends what it saw, anything left of it is whatever the client sent. Fastify reads them
 * the same way (`trustProxy: 1`, see http-app.ts).
 */
export function requestOrigin(request: IncomingMessage, config: ServerConfig): { address: string; scheme: string; host: string } {
  const trusted = config.trustProxy || fromNode.has(request);
  const forwarded = (name: string): string | undefined => {
    const value = request.headers[name];
    const last = (Array.isArray(value) ? value.at(-1) : value)?.split(',').at(-1)?.trim();
    return trusted && last ? last : undefined;
  };
  return {
    address: forwarded('x-forwarded-for') ?? request.socket.remoteAddress ?? 'unknown',
    scheme: forwarded('x-forwarded-proto') ?? (config.tlsCertFile ? 'https' : 'http'),
    host: forwarded('x-forwarded-host') ?? request.headers.host ?? 'localhost',
  };
}

/** The URL to print for a server listening on `port` (localhost for an any-address bind). */
export function listenUrl(config: ServerConfig, port: number): string {
  const scheme = config.tlsCertFile ? 'https' : 'http';
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${scheme}://${host}:${port}`;
}
