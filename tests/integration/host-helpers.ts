// Shared by the host-controls integration tests: a raw WebSocket client that records every frame, and
// calls to the host HTTP API with the host secret.

import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { RunningServer } from '@treff/server';
import { waitUntil, webSocketUrl } from '@treff/load';
import { PROTOCOL_VERSION, type ClientMessageInput, type ErrorCode } from '@treff/protocol';
import { api, type ApiAnswer } from './api-client.js';

export interface Frame {
  type: string;
  code?: string;
  fatal?: boolean;
  reason?: string;
  [key: string]: unknown;
}

/** A WebSocket speaking the protocol by hand: for sockets that never join, or join and only listen. */
export class RawSocket {
  readonly frames: Frame[] = [];
  closed = false;
  closeCode = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      try {
        this.frames.push(JSON.parse(data.toString()) as Frame);
      } catch {
        this.frames.push({ type: '<not json>' });
      }
    });
    ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
    ws.on('error', () => {});
  }

  static open(server: RunningServer, headers: Record<string, string> = {}): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(webSocketUrl(server.url), { handshakeTimeout: 10_000, headers });
      ws.once('open', () => resolve(new RawSocket(ws)));
      ws.once('error', reject);
    });
  }

  send(message: ClientMessageInput | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  join(roomId: string, extra: Record<string, unknown> = {}): void {
    this.send({ type: 'join', v: PROTOCOL_VERSION, roomId, name: 'raw', media: { audio: false, video: false }, ...extra });
  }

  /** The first frame of `type` received at or after index `from`. */
  async next(type: string, from = 0, timeoutMs = 10_000): Promise<Frame> {
    let found: Frame | undefined;
    await waitUntil(() => (found = this.frames.slice(from).find((m) => m.type === type)) !== undefined, {
      timeoutMs,
      what: `'${type}' on a raw socket`,
      describe: () => JSON.stringify(this.frames.map((m) => ({ type: m.type, code: m.code, reason: m.reason }))),
    });
    return found!;
  }

  /** Sends `message` and resolves with the error it is answered with, checking its code. */
  async expectError(message: ClientMessageInput | Record<string, unknown>, code: ErrorCode, fatal?: boolean): Promise<Frame> {
    const from = this.frames.length;
    this.send(message);
    const error = await this.next('error', from);
    assert.equal(error.code, code, `${JSON.stringify(message).slice(0, 100)} → ${JSON.stringify(error)}`);
    assert.equal(typeof error.message, 'string');
    if (fatal !== undefined) assert.equal(error.fatal, fatal, `fatal flag of ${code}`);
    return error;
  }

  async waitClosed(timeoutMs = 10_000): Promise<void> {
    await waitUntil(() => this.closed, { timeoutMs, what: 'the server to close a raw socket' });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** One call to the server's HTTP API as a host: `secret` goes into `Authorization: Bearer …` (see `api`). */
export function http<T = Record<string, unknown>>(
  server: Pick<RunningServer, 'url'>,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { secret?: string; body?: unknown; authorization?: string } = {},
): Promise<ApiAnswer<T>> {
  const { secret, ...rest } = options;
  return api<T>(server, method, path, { ...rest, bearer: secret });
}

/** What most host-control tests publish: a microphone, no camera (cheaper on 2 shared cores). */
export const AUDIO_ONLY = { audio: true, video: false };

/** A device id of the form browsers keep (16–64 URL-safe characters). */
export function deviceId(label: string): string {
  return `device-${label.replace(/[^A-Za-z0-9_-]/g, '_')}-${'x'.repeat(16)}`.slice(0, 64);
}
