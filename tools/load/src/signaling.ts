// The bot's signaling connection: one WebSocket at /ws speaking the typed protocol of
// @treff/protocol. Every server frame is validated; frames that fail validation are counted, not
// trusted (a bot that silently accepted them would hide server bugs).

import WebSocket from 'ws';
import {
  decodeServerMessage,
  encodeMessage,
  type ClientMessage,
  type MessageOf,
  type ServerMessage,
} from '@treff/protocol';
import { WaitTimeoutError } from './wait.js';

export type ServerMessageOf<T extends ServerMessage['type']> = MessageOf<ServerMessage, T>;

export function webSocketUrl(httpUrl: string, roomId?: string): string {
  const u = new URL(httpUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = '/ws';
  // As the SDK does: a server of several processes sends the socket to the one running the room's meeting.
  u.search = roomId === undefined ? '' : new URLSearchParams({ room: roomId }).toString();
  u.hash = '';
  return u.toString();
}

export class SignalingClient {
  readonly invalidFrames: string[] = [];
  private readonly ws: WebSocket;
  private readonly handlers = new Set<(m: ServerMessage) => void>();
  private readonly closeHandlers = new Set<(code: number, reason: string) => void>();
  closed = false;
  closeCode = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      const r = decodeServerMessage(text);
      if (!r.ok) {
        if (this.invalidFrames.length < 100) this.invalidFrames.push(`${r.error}: ${text.slice(0, 200)}`);
        return;
      }
      for (const h of this.handlers) h(r.message);
    });
    ws.on('close', (code, reason) => {
      this.closed = true;
      this.closeCode = code;
      for (const h of this.closeHandlers) h(code, reason.toString());
    });
    ws.on('error', () => {
      // A 'close' follows every 'error'; handled there.
    });
  }

  static connect(url: string, timeoutMs: number): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new WaitTimeoutError(`WebSocket ${url} to open`, timeoutMs));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new SignalingClient(ws));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  onMessage(handler: (m: ServerMessage) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onClose(handler: (code: number, reason: string) => void): void {
    this.closeHandlers.add(handler);
  }

  send(message: ClientMessage): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeMessage(message));
    return true;
  }

  /**
   * Resolves with the next message matching `predicate` (`what` names it in errors); rejects at
   * the deadline or when the socket closes first.
   */
  waitFor(predicate: (m: ServerMessage) => boolean, what: string, timeoutMs: number): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new Error(`signaling closed (code ${this.closeCode}) before ${what}`));
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        off();
        this.closeHandlers.delete(onClose);
      };
      const timer = setTimeout(() => {
        done();
        reject(new WaitTimeoutError(what, timeoutMs));
      }, timeoutMs);
      const onClose = (code: number): void => {
        done();
        reject(new Error(`signaling closed (code ${code}) while waiting for ${what}`));
      };
      const off = this.onMessage((m) => {
        if (!predicate(m)) return;
        done();
        resolve(m);
      });
      this.closeHandlers.add(onClose);
    });
  }

  /** The next message of `type` (matching `predicate`). */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs: number, predicate?: (m: ServerMessageOf<T>) => boolean): Promise<ServerMessageOf<T>> {
    const m = await this.waitFor((x) => x.type === type && (!predicate || predicate(x as ServerMessageOf<T>)), `signaling message '${type}'`, timeoutMs);
    return m as ServerMessageOf<T>;
  }

  /** Destroys the socket at once, without a WebSocket close handshake (RFC 6455 §7.1.1 skipped). */
  terminate(): void {
    this.ws.terminate();
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000, 'bye');
  }
}
