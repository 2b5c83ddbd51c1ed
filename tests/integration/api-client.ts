// Plain HTTP calls to a test server's API, returning status and parsed body, for the API's integration tests.

import type { RunningServer } from '@treff/server';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls `path` on the server; `bearer` goes into `Authorization: Bearer …`, `authorization` is sent as
 * it is (for malformed headers). Bodies that are not JSON come back as text.
 */
export async function api<T = Record<string, unknown>>(
  server: Pick<RunningServer, 'url'>,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; bearer?: string; authorization?: string } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const res = await fetch(new URL(path, server.url), {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // an HTML page or plain text: keep the text
  }
  return { status: res.status, body: body as T };
}

/** The value after `#<name>=` in a link (secrets travel in fragments). */
export function fragment(url: string, name: string): string {
  const value = new URLSearchParams(new URL(url).hash.slice(1)).get(name);
  if (value === null) throw new Error(`no #${name}= in ${url}`);
  return value;
}
