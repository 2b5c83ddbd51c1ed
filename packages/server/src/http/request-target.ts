import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * The request's target as a URL, or null when it is none. Node's parser lets through targets such as
 * `http://[` that `new URL` throws on; in an 'upgrade' or plain 'request' listener that throw would end the process.
 */
export function requestTarget(request: Pick<IncomingMessage, 'url'>): URL | null {
  try {
    return new URL(request.url ?? '/', 'http://x');
  } catch {
    return null;
  }
}

/** Answers a socket upgrade that is not taken with `status` and closes the connection once it is written. */
export function refuseUpgrade(socket: Duplex, status: string, message = ''): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}
