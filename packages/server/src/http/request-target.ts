import type { IncomingMessage } from 'node:http';

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
