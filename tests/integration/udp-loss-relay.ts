// A UDP relay on 127.0.0.1 that stands between one WebRTC client and the server's media port and
// drops a fraction of the RTP packets server→client (the default), client→server, or both ways.
// `tc netem` is not available on these machines (shared/guides/sfu-transport.md), so loss is made
// here, in the test's own process.
//
// One socket plays both roles: the client is told (through rewritten ICE candidates) that the
// relay is the server, and the server is told that the relay is the client. So each side sees the
// relay's address as the other's candidate and ICE pairs exactly that path — no direct path around
// the relay can win, and no peer-reflexive candidates are needed. Datagrams from the server go to
// the client's last known address; everything else comes from the client and goes to the server.
//
// With `toClientRate` the way to the client is a slow link instead: a fixed rate and a drop-tail queue.
//
// What may be dropped: only RTP, in the chosen direction(s). STUN (ICE consent and connectivity checks) and
// DTLS (the handshake that keys SRTP) must pass, or the connection would not come up at all; RTCP
// passes too, so that sender reports and the like are not what the test measures. Packets are told
// apart by their first byte as RFC 7983 §7 prescribes (0–3 STUN, 20–63 DTLS, 128–191 RTP/RTCP),
// and RTCP from RTP by the second byte as RFC 5761 §4 prescribes (packet types 192–223 are RTCP).
// SRTP leaves the RTP header in the clear (RFC 3711 §3.1), so all of this works on encrypted traffic.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface UdpLossRelayOptions {
  /** Fraction of RTP packets to drop in `direction`, 0..1. */
  lossRate: number;
  /** Which way packets get lost: to the client (downlink, default), to the server (uplink), or both. */
  direction?: LossDirection;
  /** Seed of the drop decisions, so a run's loss pattern is reproducible. */
  seed: number;
  /**
   * A bottleneck on the way to the client instead of (or besides) random loss: RTP and RTCP to the
   * client leave at most at this rate, wait in a queue of this many bytes, and are dropped when it is
   * full (tail drop), as at a slow link's router. STUN and DTLS bypass it.
   */
  toClientRate?: RateLimit;
}

export interface RateLimit {
  bitsPerSecond: number;
  queueBytes: number;
}

export interface BottleneckStats {
  /** Datagrams that went through the bottleneck, and their bytes. */
  sent: number;
  sentBytes: number;
  /** Datagrams dropped because the queue was full. */
  dropped: number;
  /** Largest queue seen, bytes. */
  maxQueuedBytes: number;
}

/**
 * A link of fixed rate with a drop-tail queue: each datagram leaves when the link has finished the one
 * before (its serialisation time is size × 8 / rate); what does not fit into the queue is lost. The
 * queueing delay it builds is what a delay-based bandwidth estimator should see before any loss.
 */
export class Bottleneck {
  readonly stats: BottleneckStats = { sent: 0, sentBytes: 0, dropped: 0, maxQueuedBytes: 0 };
  private readonly queue: Buffer[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** When the link finishes sending what it has started (ms, performance.now()). */
  private busyUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly limit: RateLimit,
    private readonly deliver: (msg: Buffer) => void,
  ) {}

  push(msg: Buffer): void {
    if (this.closed) return;
    if (this.queuedBytes + msg.length > this.limit.queueBytes) {
      this.stats.dropped++;
      return;
    }
    // A link that sat idle starts on this datagram now; a busy one sends it after those before it.
    if (this.head === this.queue.length) this.busyUntil = Math.max(this.busyUntil, performance.now());
    this.queue.push(msg);
    this.queuedBytes += msg.length;
    this.stats.maxQueuedBytes = Math.max(this.stats.maxQueuedBytes, this.queuedBytes);
    if (this.timer === null) this.drain();
  }

  private drain(): void {
    this.timer = null;
    const now = performance.now();
    // Each datagram starts when the one before has finished (`busyUntil`), counted on the link's own
    // clock: a timer that fires late (the event loop is shared with the server and the bots) sends the
    // overdue datagrams at once rather than losing the link time it slept through.
    while (this.head < this.queue.length && this.busyUntil <= now + 0.5) {
      const msg = this.queue[this.head++]!;
      this.queuedBytes -= msg.length;
      this.busyUntil += (msg.length * 8000) / this.limit.bitsPerSecond;
      this.stats.sent++;
      this.stats.sentBytes += msg.length;
      this.deliver(msg);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (!this.closed) {
      if (this.head > 1024) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      this.timer = setTimeout(() => this.drain(), Math.max(1, this.busyUntil - now));
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export type LossDirection = 'to-client' | 'to-server' | 'both';

/** Datagrams forwarded, by kind (dropped ones are not counted here). */
export type ForwardedCounts = Record<Kind, number>;

export interface UdpLossRelayStats {
  toClient: ForwardedCounts;
  toServer: ForwardedCounts;
  /** RTP packets dropped on purpose, in both directions together. */
  droppedRtp: number;
  /** Server→client RTP packets dropped on purpose. */
  droppedToClient: number;
  /** Client→server RTP packets dropped on purpose. */
  droppedToServer: number;
  /** Server→client datagrams that arrived before the client's address was known. */
  noClientYet: number;
}

type Kind = 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'other';

/** RFC 7983 §7 demultiplexing, refined by RFC 5761 §4 for RTP versus RTCP. */
export function classifyDatagram(msg: Buffer): Kind {
  const b0 = msg[0];
  if (b0 === undefined) return 'other';
  if (b0 <= 3) return 'stun';
  if (b0 >= 20 && b0 <= 63) return 'dtls';
  if (b0 >= 128 && b0 <= 191) {
    const b1 = msg[1];
    if (b1 === undefined) return 'other';
    return b1 >= 192 && b1 <= 223 ? 'rtcp' : 'rtp';
  }
  return 'other';
}

/** mulberry32: a tiny deterministic PRNG; statistical quality is ample for drop decisions. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Replaces the connection address and port of an ICE candidate attribute value (RFC 8839 §5.1:
 * "candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...").
 */
export function rewriteCandidateAddress(candidate: string, address: string, port: number): string {
  const prefix = candidate.startsWith('a=') ? 'a=' : '';
  const fields = candidate.slice(prefix.length).split(' ');
  if (fields.length < 8 || fields[6] !== 'typ') throw new Error(`not an ICE candidate: ${candidate}`);
  fields[4] = address;
  fields[5] = String(port);
  return prefix + fields.join(' ');
}

/** Address and port of an ICE candidate attribute value. */
export function candidateAddress(candidate: string): { address: string; port: number } {
  const fields = candidate.replace(/^a=/, '').split(' ');
  const address = fields[4];
  const port = Number(fields[5]);
  if (address === undefined || !Number.isInteger(port) || fields[6] !== 'typ') throw new Error(`not an ICE candidate: ${candidate}`);
  return { address, port };
}

export class UdpLossRelay {
  readonly address = '127.0.0.1';
  readonly stats: UdpLossRelayStats = {
    toClient: { stun: 0, dtls: 0, rtp: 0, rtcp: 0, other: 0 },
    toServer: { stun: 0, dtls: 0, rtp: 0, rtcp: 0, other: 0 },
    droppedRtp: 0,
    droppedToClient: 0,
    droppedToServer: 0,
    noClientYet: 0,
  };
  private client: RemoteInfo | null = null;
  /** The server's media address, learnt from the candidate it trickles (see `rewriteServerCandidate`). */
  private server: { address: string; port: number } | null = null;
  private lossRate: number;
  private readonly direction: LossDirection;
  private readonly random: () => number;
  /** The rate limit towards the client, when `toClientRate` asks for one. */
  readonly bottleneck: Bottleneck | null;

  private constructor(
    private readonly socket: Socket,
    options: UdpLossRelayOptions,
  ) {
    this.lossRate = options.lossRate;
    this.direction = options.direction ?? 'to-client';
    this.random = mulberry32(options.seed);
    this.bottleneck = options.toClientRate
      ? new Bottleneck(options.toClientRate, (msg) => {
          const client = this.client;
          if (client !== null) this.socket.send(msg, client.port, client.address);
        })
      : null;
    socket.on('message', (msg, from) => this.onMessage(msg, from));
    socket.on('error', () => {
      // A send to a port that is gone (ICMP unreachable) surfaces here on some systems; UDP is lossy anyway.
    });
  }

  static start(options: UdpLossRelayOptions): Promise<UdpLossRelay> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new UdpLossRelay(socket, options));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Changes the loss rate from now on (e.g. 0 to let outstanding repairs through before counting). */
  setLossRate(rate: number): void {
    this.lossRate = rate;
  }

  /**
   * For the client's `rewriteRemoteCandidate`: remembers where the server really is and tells the
   * client that the relay is the server. The server has one UDP host candidate (docs/signaling.md).
   */
  readonly rewriteServerCandidate = (candidate: string): string => {
    const server = candidateAddress(candidate);
    if (this.server !== null && (this.server.address !== server.address || this.server.port !== server.port)) {
      throw new Error(`the relay serves one server address, got ${server.address}:${server.port} after ${this.server.address}:${this.server.port}`);
    }
    this.server = server;
    return rewriteCandidateAddress(candidate, this.address, this.port);
  };

  /** For the client's `rewriteLocalCandidate`: tells the server that the relay is the client. */
  readonly rewriteClientCandidate = (candidate: string): string => rewriteCandidateAddress(candidate, this.address, this.port);

  private onMessage(msg: Buffer, from: RemoteInfo): void {
    const server = this.server;
    if (server === null) return; // nobody can know the relay's port before a candidate named it
    const fromServer = from.port === server.port && from.address === server.address;
    const kind = classifyDatagram(msg);
    if (!fromServer) {
      this.client = from;
      if (this.direction !== 'to-client' && this.drops(kind)) {
        this.stats.droppedToServer++;
        return;
      }
      this.stats.toServer[kind]++;
      this.socket.send(msg, server.port, server.address);
      return;
    }
    if (this.direction !== 'to-server' && this.drops(kind)) {
      this.stats.droppedToClient++;
      return;
    }
    if (this.client === null) {
      // The server's connectivity checks can come before the client's first one; STUN retransmits.
      this.stats.noClientYet++;
      return;
    }
    this.stats.toClient[kind]++;
    if (this.bottleneck !== null && (kind === 'rtp' || kind === 'rtcp')) this.bottleneck.push(msg);
    else this.socket.send(msg, this.client.port, this.client.address);
  }

  /** Decides, for a datagram travelling in a loss direction, whether it is lost: only RTP ever is. */
  private drops(kind: Kind): boolean {
    if (this.lossRate <= 0 || kind !== 'rtp' || this.random() >= this.lossRate) return false;
    this.stats.droppedRtp++;
    return true;
  }

  close(): Promise<void> {
    this.bottleneck?.close();
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
