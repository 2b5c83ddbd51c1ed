import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { LIMITS, ReportReason } from '@treff/protocol';
import { fileReport } from '../rooms/moderation.js';
import { sendError } from './api-error.js';
import type { ApiDeps } from './http-app.js';
import { PUBLIC_ID } from './public-id.js';
import { parseBody } from './parse-body.js';

const ReportBody = v.object({
  reason: ReportReason,
  text: v.optional(v.pipe(v.string('text must be a string'), v.maxLength(LIMITS.reportText, `text must be at most ${LIMITS.reportText} characters`))),
});

/**
 * `POST /api/rooms/:roomId/reports`: anyone with the room link reports it to the operator. Kept: room id,
 * time, reason, text, participant count and display names at that moment — never media, chat or addresses.
 */
export function registerReportApi(app: FastifyInstance, { storage, rooms }: ApiDeps): void {
  app.post<{ Params: { roomId: string } }>('/api/rooms/:roomId/reports', { config: { rateLimit: { max: 5, timeWindow: '10 minutes' } } }, async (request, reply) => {
    const body = parseBody(ReportBody, request.body);
    if (!body.ok) return sendError(reply, 400, 'bad-request', body.message);
    const record = PUBLIC_ID.test(request.params.roomId) ? await storage.rooms.get(request.params.roomId) : null;
    if (record === null) return sendError(reply, 404, 'room-not-found', 'this meeting does not exist');
    if (record.blockedAt !== null) return sendError(reply, 410, 'room-blocked', 'the operator of this server already closed this meeting');
    await fileReport(storage, record, rooms.getByKey(record.key), body.value.reason, body.value.text);
    return reply.code(204).send();
  });
}
