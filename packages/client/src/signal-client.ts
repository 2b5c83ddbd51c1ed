import { decodeServerMessage, encodeMessage, type ClientMessage, type ServerMessage } from '@treff/protocol';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Emitter } from './events.js';

/** What a transport calls back into; kept minimal so tests can drive a fake socket. */
export interface SocketHandlers {
  open(): void;
  message(text: string): void;
  close(code: number, reason: string): void;
}

export interface SocketHandle {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserSocket: SocketFactory = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  // Binary frames are not part of the protocol; an empty string fails validation and is reported.
  ws.onmessage = (event) => handlers.message(typeof event.data === 'string' ? event.data : '');
  ws.onclose = (event) => handlers.close(event.code, event.reason);
  return {
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
  };
};

export const globalTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};

export interface SignalClientOptions {
  /** Asked again for every connection attempt: what it names (the room) may change between them. */
  url: string | (() => string);
  createSocket?: SocketFactory;
  timers?: Timers;
  backoff?: BackoffOptions;
  /** Consecutive failed connection attempts before giving up. */
  maxAttempts?: number;
  random?: () => number;
}

export type SignalEvents = {
  /** A socket opened; `reconnected` is true for every socket after the first. */
  open: { reconnected: boolean };
  message: ServerMessage;
  /** The server sent a frame that does not validate; it is dropped. */
  'invalid-message': { error: string };
  /** The socket closed without `close()` being called; a reconnect follows unless `willRetry` is false. */
  disconnected: { code: number; reason: string; willRetry: boolean };
  reconnecting: { attempt: number; delayMs: number };
  'gave-up': { attempts: number };
};

/**
 * One logical signaling connection over a sequence of WebSockets: it reconnects with capped
 * exponential backoff until `close()` is called or `maxAttempts` consecutive attempts fail. What to
 * say after (re)connecting (`join` or `resume`) is the caller's business, on the `open` event.
 */
export class SignalClient {
  readonly events = new Emitter<SignalEvents>();
  readonly #url: () => string;
  readonly #createSocket: SocketFactory;
  readonly #timers: Timers;
  readonly #backoff: BackoffOptions;
  readonly #maxAttempts: number;
  readonly #random: () => number;
  #socket: SocketHandle | null = null;
  #open = false;
  #closed = false;
  #attempt = 0;
  #everOpened = false;
  #retryTimer: unknown = null;
  /** Bumped whenever we abandon a socket, so late callbacks from it are ignored. */
  #generation = 0;
  /** Whether the current socket has delivered a message; only then do we trust it enough to reset the backoff. */
  #heardFromServer = false;

  constructor(options: SignalClientOptions) {
    const url = options.url;
    this.#url = typeof url === 'string' ? () => url : url;
    this.#createSocket = options.createSocket ?? browserSocket;
    this.#timers = options.timers ?? globalTimers;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#maxAttempts = options.maxAttempts ?? 30;
    this.#random = options.random ?? Math.random;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  connect(): void {
    if (this.#closed || this.#socket) return;
    this.#heardFromServer = false;
    const generation = ++this.#generation;
    const isCurrent = () => this.#generation === generation && !this.#closed;
    try {
      this.#socket = this.#createSocket(this.#url(), {
        open: () => {
          if (!isCurrent()) return;
          this.#open = true;
          const reconnected = this.#everOpened;
          this.#everOpened = true;
          this.events.emit('open', { reconnected });
        },
        message: (text) => {
          if (!isCurrent()) return;
          const result = decodeServerMessage(text);
          if (!result.ok) {
            this.events.emit('invalid-message', { error: result.error });
            return;
          }
          if (!this.#heardFromServer) {
            this.#heardFromServer = true;
            this.#attempt = 0;
          }
          this.events.emit('message', result.message);
        },
        close: (code, reason) => {
          if (!isCurrent()) return;
          this.#generation++;
          this.#socket = null;
          this.#open = false;
          this.#scheduleRetry(code, reason);
        },
      });
    } catch {
      // e.g. a malformed URL: treat like a failed attempt so the caller sees the same lifecycle.
      this.#scheduleRetry(1006, 'could not create socket');
    }
  }

  /** Sends if a socket is open; returns whether it was sent. */
  send(message: ClientMessage): boolean {
    if (!this.#open || !this.#socket) return false;
    this.#socket.send(encodeMessage(message));
    return true;
  }

  /** Drops the current socket and reconnects (after the usual backoff), e.g. after a server-side failure. */
  restart(): void {
    if (this.#closed) return;
    const socket = this.#socket;
    this.#generation++;
    this.#socket = null;
    this.#open = false;
    socket?.close(1000, 'restart');
    this.#scheduleRetry(1000, 'restart');
  }

  /** Closes for good; no reconnects follow. */
  close(code = 1000, reason = 'bye'): void {
    this.#closed = true;
    if (this.#retryTimer !== null) this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const socket = this.#socket;
    this.#generation++;
    this.#socket = null;
    this.#open = false;
    socket?.close(code, reason);
  }

  #scheduleRetry(code: number, reason: string): void {
    if (this.#closed) return;
    const willRetry = this.#attempt < this.#maxAttempts;
    this.events.emit('disconnected', { code, reason, willRetry });
    if (this.#closed) return; // a listener may have closed us
    if (!willRetry) {
      this.#closed = true;
      this.events.emit('gave-up', { attempts: this.#attempt });
      return;
    }
    const delayMs = backoffDelay(this.#attempt, this.#backoff, this.#random);
    this.#attempt++;
    this.events.emit('reconnecting', { attempt: this.#attempt, delayMs });
    if (this.#retryTimer !== null) this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#timers.setTimeout(() => {
      this.#retryTimer = null;
      this.connect();
    }, delayMs);
  }
}
