import { createSocket, type Socket } from 'node:dgram';
import { cleanup } from 'node-datachannel';
import { createCounters, type SfuCounters } from './counters.js';
import type { PacketTap } from './packet-tap.js';
import { DEFAULT_ROUTER_OPTIONS, Router, type RouterOptions } from './router.js';
import type { TransportSettings } from './webrtc-transport.js';

export interface SfuOptions {
  /** Address the shared ICE UDP socket binds to; default all interfaces. */
  bindAddress?: string;
  /** The one UDP port every PeerConnection shares (ICE UDP mux); 0 picks a free one. */
  port: number;
  /** Address announced in ICE candidates instead of the gathered ones. */
  announcedAddress?: string | null;
}

/** The media plane of one process: routers share one UDP port and one set of counters. */
export class Sfu {
  readonly counters: SfuCounters = createCounters();
  private readonly routers = new Set<Router>();
  private tap: PacketTap | null = null;

  private constructor(readonly settings: TransportSettings) {}

  static async create(options: SfuOptions): Promise<Sfu> {
    const bindAddress = options.bindAddress ?? '0.0.0.0';
    // libjuice takes a port range, not an ephemeral port; ask the OS for a free one first.
    const port = options.port === 0 ? (await findFreeUdpPorts(bindAddress, 1))[0]! : options.port;
    return new Sfu({ bindAddress, port, announcedAddress: options.announcedAddress ?? null });
  }

  createRouter(id: string, options: RouterOptions = DEFAULT_ROUTER_OPTIONS): Router {
    const router = new Router(id, this.settings, this.counters, options);
    if (this.tap !== null) router.setPacketTap(this.tap);
    this.routers.add(router);
    router.once('close', () => this.routers.delete(router));
    return router;
  }

  /**
   * A diagnostic seam: every RTP packet any publisher sends, once parsed, is copied to `tap` (null stops
   * it). Without a tap the forwarding path pays one null check per packet.
   */
  setPacketTap(tap: PacketTap | null): void {
    this.tap = tap;
    for (const router of this.routers) router.setPacketTap(tap);
  }

  get routerCount(): number {
    return this.routers.size;
  }

  close(): void {
    for (const router of [...this.routers]) router.close();
  }
}

/**
 * `count` distinct free UDP ports, for SFUs in several processes: the ports are held together until all are
 * known, since one freed at once may be the next one the OS hands out.
 */
export async function findFreeUdpPorts(address: string, count: number): Promise<number[]> {
  const sockets = await Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve, reject) => {
      const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', reject);
      socket.bind(0, address, () => resolve(socket));
    })),
  );
  const ports = sockets.map((socket) => socket.address().port);
  await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
  return ports;
}

/**
 * Stops libdatachannel's threads so the process can exit. Call once, after every PeerConnection in the
 * process (the SFU's and any bots') is closed; node-datachannel otherwise keeps the event loop alive.
 */
export function releaseNativeResources(): void {
  cleanup();
}
