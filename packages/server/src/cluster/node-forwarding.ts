import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import type { ServerConfig } from '../config.js';
import { markForwardedByNode } from '../http/request-origin.js';
import { refuseUpgrade } from '../http/request-target.js';
import { setForwarded } from './front-server.js';
import { answerProxyErrors, passOrRefuse } from './proxy-answers.js';

/** Carries the cluster's secret on a request one node forwards to another. */
export const NODE_HEADER = 'x-treff-node';
const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'] as const;

/**
 * Sorts a request out before anything reads it. One with a secret the cluster knows came from a node
 * ('node'). One that claims to but carries another is refused ('forged'): it may be a node that still has a
 * secret from before Redis lost its data, and answering it as a client's could send it back and forth. Any
 * other ('client') loses the X-Forwarded-* headers it may not set (all of them, unless a trusted proxy is in
 * front). The HTTP framework then trusts one hop of those headers, which only a node or that proxy can have left.
 */
export function screenRequest(request: IncomingMessage, trusts: (secret: string) => boolean, config: ServerConfig): 'node' | 'forged' | 'client' {
  const claimed = request.headers[NODE_HEADER];
  delete request.headers[NODE_HEADER];
  if (typeof claimed === 'string' && trusts(claimed)) {
    markForwardedByNode(request);
    return 'node';
  }
  if (!config.trustProxy || claimed !== undefined) for (const name of FORWARDED) delete request.headers[name];
  return claimed === undefined ? 'client' : 'forged';
}

/** Sends requests and sockets on to the node that runs their meeting, as that node's own client would arrive. */
export class NodeForwarder {
  private readonly proxy = httpProxy.createProxyServer({ xfwd: false });
  /** Kept-alive connections to the other nodes for plain requests; each socket upgrade gets one of its own. */
  private readonly agents = { http: new Agent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  /** Forwarded signaling sockets, closed with the server. */
  private readonly sockets = new Set<Duplex>();
  private closed = false;

  constructor(
    private readonly config: ServerConfig,
    /** The cluster's secret as it is now (it may change, see NodeLink). */
    private readonly secret: () => string,
  ) {
    answerProxyErrors(this.proxy, 'node-unavailable', 'the server running this meeting did not answer; try again');
  }

  web(request: IncomingMessage, response: ServerResponse, nodeUrl: string): void {
    this.prepare(request);
    const agent = nodeUrl.startsWith('https:') ? this.agents.https : this.agents.http;
    passOrRefuse(response, () => this.proxy.web(request, response, { target: nodeUrl, agent }));
  }

  ws(request: IncomingMessage, socket: Duplex, head: Buffer, nodeUrl: string): void {
    if (this.closed) return refuseUpgrade(socket, '503 Service Unavailable');
    this.prepare(request);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
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
    this.closed = true;
    // With an error: http-proxy then ends the socket to the other node too, whose participant leaves at once.
    for (const socket of this.sockets) socket.destroy(new Error('this node is stopping'));
    this.agents.http.destroy();
    this.agents.https.destroy();
    this.proxy.close();
  }
}
