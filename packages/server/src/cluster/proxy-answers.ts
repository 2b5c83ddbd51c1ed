import type { ServerResponse } from 'node:http';
import type httpProxy from 'http-proxy';

// What a process that passes requests on (the front before its workers, a node before another node) answers
// itself, as JSON with the fields of the API's errors (`http/api-error.ts`) and the status.

export function sendError(response: ServerResponse, status: number, error: string, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ statusCode: status, error, message }));
}

/** A target that does not answer: a plain request gets a 502 (if nothing was sent yet), a socket is closed. */
export function answerProxyErrors(proxy: httpProxy, error: string, message: string): void {
  proxy.on('error', (_err, _request, res) => {
    if ('writeHead' in res && !res.headersSent) sendError(res, 502, error, message);
    else res.destroy();
  });
}

/**
 * http-proxy parses the target again, with the legacy parser, and throws where it objects: `pass` is run
 * and such a throw answered 400.
 */
export function passOrRefuse(response: ServerResponse, pass: () => void): void {
  try {
    pass();
  } catch {
    if (!response.headersSent) sendError(response, 400, 'bad-request', 'that request target is not a URL');
  }
}
