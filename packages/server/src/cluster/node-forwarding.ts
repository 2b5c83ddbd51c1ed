import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import type { ServerConfig } from '../config.js';
import { secretEquals } from '../ids.js';
import { markForwardedByNode } from '../http/request-origin.js';
import { refuseUpgrade } from '../http/request-target.js';
import { setForwarded } from './front-server.js';

/** Carries the cluster's secret on a request one node forwards to another. */
export const NODE_HEADER = 'x-treff-node';
const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'] as const;

/**
 * Sorts a request out before anything reads it: one with the cluster's secret came from a node; any other
 * loses the X-Forwarded-* headers it may not set (all of them, unless a trusted proxy is in front). The
 * HTTP framework then trusts one hop of those headers, which only a node or that proxy can have left.
 */
export function screenRequest(request: IncomingMessage, secret: string, config: ServerConfig): void {
  const claimed = request.headers[NODE_HEADER];
  delete request.headers[NODE_HEADER];
  if (secret !== '' && typeof claimed === 'string' && secretEquals(claimed, secret)) {
    markForwardedByNode(request);
    return;
  }
  if (!config.trustProxy) for (const name of FORWARDED) delete request.headers[name];
}

/** Sends requests and sockets on to the node that runs their meeting, as that node's own client would arrive. */
export class NodeForwarder {
  private readonly proxy = httpProxy.createProxyServer({ xfwd: false });

  constructor(
    private readonly config: ServerConfig,
    private readonly secret: () => string,
  ) {
    this.proxy.on('error', (_err, _request, res) => {
      if (!('writeHead' in res)) return void res.destroy();
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ statusCode: 502, error: 'node-unavailable', message: 'the server running this meeting did not answer; try again' }));
    });
  }

  web(request: IncomingMessage, response: ServerResponse, nodeUrl: string): void {
    this.prepare(request);
    this.proxy.web(request, response, { target: nodeUrl });
  }

  ws(request: IncomingMessage, socket: Duplex, head: Buffer, nodeUrl: string): void {
    this.prepare(request);
    try {
      this.proxy.ws(request, socket, head, { target: nodeUrl });
    } catch {
      refuseUpgrade(socket, '400 Bad Request');
    }
  }

  private prepare(request: IncomingMessage): void {
    setForwarded(request, this.config);
    request.headers[NODE_HEADER] = this.secret();
  }

  close(): void {
    this.proxy.close();
  }
}
