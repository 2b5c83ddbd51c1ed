import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { LIMITS, RoomSettingsUpdate, type CreateRoomResponse, type RoomSummary } from '@treff/protocol';
import { hashSecret, newRoomId, newSecret } from '../ids.js';
import { initialRoomSettings, publicRoomSettings, settingsChanges, SettingsError } from '../storage/room-settings.js';
import { sendAuthError, sendError } from './api-error.js';
import { bearerToken } from './bearer-token.js';
import type { ApiDeps } from './http-app.js';
import { PUBLIC_ID } from './public-id.js';
import { parseBody } from './parse-body.js';

const CreateRoomBody = v.object({
  title: v.optional(
    v.pipe(
      v.string('title must be a string'),
      v.transform((s) => s.replace(/\s+/g, ' ').trim()),
      v.maxLength(LIMITS.titleLength, `title must be at most ${LIMITS.titleLength} characters`),
    ),
  ),
  groupId: v.optional(v.pipe(v.string('groupId must be a string'), v.regex(PUBLIC_ID, 'groupId is not a group id'))),
  settings: v.optional(RoomSettingsUpdate),
});

/** Creating rooms (`POST /api/rooms`) and what the pre-join screen asks about one (`GET /api/rooms/:roomId`). */
export function registerRoomApi(app: FastifyInstance, { config, storage, rooms, metrics, origin }: ApiDeps): void {
  // Anyone may create rooms; the limit keeps one client from filling the database.
  app.post('/api/rooms', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (request, reply) => {
    const body = parseBody(CreateRoomBody, request.body);
    if (!body.ok) return sendError(reply, 400, 'bad-request', body.message);
    const { title = '', groupId = null, settings: update = {} } = body.value;
    if (groupId !== null) {
      const group = await storage.groups.get(groupId);
      if (group === null) return sendError(reply, 404, 'group-not-found', 'this group does not exist');
      const token = bearerToken(request);
      const member = token === null ? null : await storage.credentials.verify(token);
      if (member === null || member.groupId !== groupId) return sendAuthError(reply, token, 'a member credential of this group');
    }
    let changes;
    try {
      changes = await settingsChanges(update, { groupId }, config.maxParticipantsPerRoom);
    } catch (err) {
      if (err instanceof SettingsError) return sendError(reply, 400, 'bad-request', err.message);
      throw err;
    }
    const hostSecret = newSecret();
    const record = await storage.rooms.insert({
      id: newRoomId(),
      title,
      hostSecretHash: hashSecret(hostSecret),
      createdAt: Date.now(),
      groupId,
      settings: { ...initialRoomSettings(config.maxParticipantsPerRoom, groupId), ...changes },
    });
    metrics.roomsCreated.inc();
    const roomUrl = `${origin(request)}/r/${record.id}`;
    const response: CreateRoomResponse = {
      roomId: record.id,
      title,
      roomUrl,
      hostUrl: `${roomUrl}#host=${hostSecret}`,
      hostSecret,
      settings: publicRoomSettings(record),
    };
    return reply.code(201).send(response);
  });

  app.get<{ Params: { roomId: string } }>('/api/rooms/:roomId', async (request, reply) => {
    const record = PUBLIC_ID.test(request.params.roomId) ? await storage.rooms.get(request.params.roomId) : null;
    if (record === null) return sendError(reply, 404, 'room-not-found', 'this meeting does not exist');
    if (record.blockedAt !== null) return sendError(reply, 410, 'room-blocked', 'the operator of this server closed this meeting');
    const { settings } = record;
    const summary: RoomSummary = {
      roomId: record.id,
      title: record.title,
      participantCount: rooms.liveSize(record.key),
      joinMode: settings.joinMode,
      passwordRequired: settings.passwordHash !== null,
      lobby: settings.lobby,
      locked: settings.locked,
      requireE2ee: settings.requireE2ee,
      groupId: record.groupId,
      groupName: record.groupId === null ? null : ((await storage.groups.get(record.groupId))?.name ?? null),
    };
    return summary;
  });
}
