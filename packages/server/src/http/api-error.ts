import type { FastifyReply } from 'fastify';
import type { ApiError } from '@treff/protocol';

/** Every API error has this shape (`ApiError` in @treff/protocol). */
export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  const body: ApiError = { error, message };
  return reply.code(status).send(body);
}

/** 401 without a secret, 403 with a wrong one: the caller learns which of the two to fix. */
export function sendAuthError(reply: FastifyReply, presented: string | null, what: string): FastifyReply {
  return presented === null
    ? sendError(reply, 401, 'unauthorized', `send ${what} as "Authorization: Bearer <…>"`)
    : sendError(reply, 403, 'forbidden', `${what} is not valid here`);
}
