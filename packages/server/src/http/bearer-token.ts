import type { FastifyRequest } from 'fastify';

/** The token of `Authorization: Bearer <token>` (RFC 6750), or null when there is none. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
