import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BlockRoomResponse, ReportInfo, ReportsResponse } from '@treff/protocol';
import { hashSecret, secretMatches } from '../ids.js';
import type { RoomRecord } from '../storage/records.js';
import type { ListedReport } from '../storage/stores.js';
import { sendAuthError, sendError } from './api-error.js';
import { bearerToken } from './bearer-token.js';
import type { ApiDeps } from './http-app.js';
import { PUBLIC_ID } from './public-id.js';

const reportInfo = ({ roomKey: _internal, ...report }: ListedReport): ReportInfo => report;

/**
 * The operator's API: review reports, close them, and close a room for good (its link stops working).
 * Without an operator secret configured none of it exists (404), so a server that never set one exposes
 * nothing to guess at.
 */
export function registerAdminApi(app: FastifyInstance, { config, storage, rooms }: ApiDeps): void {
  const secret = config.operatorSecret;
  if (secret === null) return;
  // Hashing both sides first makes the comparison constant-time whatever the presented length.
  const secretHash = hashSecret(secret);
  const limit = { config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };

  const authorized = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const token = bearerToken(request);
    if (token !== null && secretMatches(token, secretHash)) return true;
    void sendAuthError(reply, token, 'the operator secret');
    return false;
  };

  app.get<{ Querystring: { status?: string } }>('/api/admin/reports', limit, async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const status = request.query.status ?? 'open';
    if (status !== 'open' && status !== 'all') return sendError(reply, 400, 'bad-request', 'status must be "open" or "all"');
    const response: ReportsResponse = { reports: (await storage.reports.list(status)).map(reportInfo) };
    return response;
  });

  app.post<{ Params: { id: string } }>('/api/admin/reports/:id/close', limit, async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    if (!(await storage.reports.close(request.params.id, Date.now()))) return sendError(reply, 404, 'not-found', 'no open report with this id');
    return reply.code(204).send();
  });

  /** A room by its id now, or by the id a report shows (a host who rotated the link does not dodge the operator). */
  const roomShownAs = async (roomId: string): Promise<RoomRecord | null> => {
    const current = await storage.rooms.get(roomId);
    if (current !== null) return current;
    const reportedKey = await storage.reports.roomKeyReportedAs(roomId);
    return reportedKey === null ? null : storage.rooms.getByKey(reportedKey);
  };

  app.post<{ Params: { roomId: string } }>('/api/admin/rooms/:roomId/block', limit, async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const record = PUBLIC_ID.test(request.params.roomId) ? await roomShownAs(request.params.roomId) : null;
    if (record === null) return sendError(reply, 404, 'room-not-found', 'no room with this id, nor a report of one');
    // Block first: nobody may get in between the meeting ending and the link being blocked.
    await storage.rooms.block(record.key, Date.now());
    const endedMeeting = rooms.closeByOperator(record.key);
    const response: BlockRoomResponse = { roomId: record.id, blockedAt: (await storage.rooms.getByKey(record.key))!.blockedAt!, endedMeeting };
    return response;
  });
}
