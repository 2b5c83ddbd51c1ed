// The real SDK in Node, for integration tests: a `Room` over a `ws` socket, a PeerConnection stand-in (media does
// not matter to these tests: the server refuses its answer as `bad-sdp` and signaling goes on) and, for the sealed
// path, the frame transforms run in-process.

import WebSocket from 'ws';
import type { RunningServer } from '@treff/server';
import { webSocketUrl } from '@treff/load';
import type { Frame } from './host-helpers.js';

// The SDK is browser code (its types need the DOM library, which this Node project does not load): imported
// at run time, and used through the little of it each test declares.
const CLIENT = '../../packages/client/src/';

/** What every test needs of the SDK's `Room`; each test file extends it with what it uses. */
export interface SdkRoom {
  readonly events: { on(event: 'error', listener: (error: { code: string; message: string }) => void): () => void };
  join(media: object): Promise<{ id: string }>;
  leave(): void;
}
type SocketHandlers = { open(): void; message(text: string): void; close(code: number, reason: string): void };
const { Room } = (await import(`${CLIENT}room.js`)) as { Room: new (options: object) => SdkRoom };
const { FakePeerConnection } = (await import(`${CLIENT}testing/fakes.js`)) as { FakePeerConnection: new () => object };
const { LocalFrames } = (await import(`${CLIENT}testing/local-frames.js`)) as { LocalFrames: new () => object };

/** One SDK participant, with its socket reachable (to drop it) and a filter on what reaches it. */
export interface Person<R extends SdkRoom = SdkRoom> {
  name: string;
  id: string;
  room: R;
  /** Errors the server sent it, but the refused fake answers. */
  errors: string[];
  /** Frames it sent and received (parsed). */
  sent: Frame[];
  received: Frame[];
  /** Drops an incoming frame when true. */
  drop: (frame: Frame) => boolean;
  /** While true, every new socket fails at once (as with no network). */
  offline: boolean;
  ws: WebSocket | null;
}

/** Joins `roomId` as `name` with the SDK; `open` gets what to close when the test file ends. */
export async function sdkPerson<R extends SdkRoom>(
  server: RunningServer,
  roomId: string,
  name: string,
  options: { encrypted: boolean; hostSecret?: string },
  open: { close(): void }[],
): Promise<Person<R>> {
  const p = { name, errors: [], sent: [], received: [], drop: () => false, offline: false, ws: null } as unknown as Person<R>;
  const createSocket = (url: string, handlers: SocketHandlers) => {
    if (p.offline) {
      setTimeout(() => handlers.close(1006, 'offline'), 10);
      return { send: () => {}, close: () => {} };
    }
    const ws = new WebSocket(url);
    p.ws = ws;
    ws.on('open', () => handlers.open());
    ws.on('message', (data) => {
      const text = data.toString();
      const frame = JSON.parse(text) as Frame;
      if (p.drop(frame)) return;
      p.received.push(frame);
      handlers.message(text);
    });
    ws.on('close', (code, reason) => handlers.close(code, reason.toString()));
    ws.on('error', () => {});
    return {
      send: (text: string) => {
        p.sent.push(JSON.parse(text) as Frame);
        ws.send(text);
      },
      close: (code?: number, reason?: string) => ws.close(code, reason),
    };
  };
  p.room = <R>new Room({
    url: webSocketUrl(server.url),
    roomId,
    name,
    e2ee: options.encrypted,
    ...(options.hostSecret ? { hostSecret: options.hostSecret } : {}),
    backoff: { initialMs: 50, maxMs: 200, jitter: 0 },
    createSocket,
    createPeerConnection: () => new FakePeerConnection(),
    createFrameEncryption: () => (options.encrypted ? new LocalFrames() : null),
  });
  p.room.events.on('error', (e) => {
    if (e.code !== 'bad-sdp') p.errors.push(`${e.code}: ${e.message}`);
  });
  open.push({ close: () => p.room.leave() });
  p.id = (await p.room.join({})).id;
  return p;
}
