import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import {
  LIMITS,
  MediaKind,
  Role,
  RoomSettingsUpdate,
  type CreateInviteResponse,
  type CreateRoomResponse,
  type InviteInfo,
  type InvitesResponse,
  type LobbyResponse,
  type ParticipantsResponse,
  type UnboundBanResponse,
} from '@treff/protocol';
import { hashSecret, newRoomId, newSecret, secretMatches } from '../ids.js';
import {
  admitFromLobby,
  denyFromLobby,
  endMeeting,
  HOST_API,
  muteParticipants,
  removeParticipant,
  setRole,
  UNBOUND_BAN_MESSAGE,
  updateSettings,
} from '../rooms/moderation.js';
import type { Room } from '../rooms/room.js';
import { RoomError } from '../rooms/room-error.js';
import type { InviteRecord, RoomRecord } from '../storage/records.js';
import { publicRoomSettings } from '../storage/room-settings.js';
import { sendAuthError, sendError } from './api-error.js';
import { bearerToken } from './bearer-token.js';
import type { ApiDeps } from './http-app.js';
import { parseBody } from './parse-body.js';
import { PUBLIC_ID } from './public-id.js';


const MuteBody = v.object({ kinds: v.optional(v.pipe(v.array(MediaKind), v.minLength(1), v.maxLength(2))) });
const RemoveBody = v.object({ ban: v.optional(v.boolean()) });
const RoleBody = v.object({ role: Role });
const InviteBody = v.object({
  label: v.optional(v.pipe(v.string(), v.transform((s) => s.replace(/\s+/g, ' ').trim()), v.maxLength(LIMITS.inviteLabel))),
});

/** A guess at a host secret costs little, but nobody needs more than this many host calls a minute. */
const RATE = { config: { rateLimit: { max: 300, timeWindow: '1 minute' } } };

const STATUS: Partial<Record<RoomError['code'], number>> = { forbidden: 403, 'not-found': 404, 'bad-request': 400, 'wrong-state': 409 };

type RoomParams = { roomId: string };
type ParticipantParams = RoomParams & { participantId: string };

/**
 * Every host action over HTTP, for integrations and automation (`Authorization: Bearer <hostSecret>`):
 * the same moderation functions the WebSocket path uses, acting as a host who is not in the meeting.
 * A missing secret gets 401, a wrong one 403, and neither changes anything.
 */
export function registerHostApi(app: FastifyInstance, { config, storage, rooms, origin }: ApiDeps): void {
  /** The room the request may act on as host, or null once an error is sent. */
  const authorized = async (request: FastifyRequest<{ Params: RoomParams }>, reply: FastifyReply): Promise<RoomRecord | null> => {
    const secret = bearerToken(request);
    if (secret === null) {
      sendAuthError(reply, null, "the room's host secret");
      return null;
    }
    const record = PUBLIC_ID.test(request.params.roomId) ? await storage.rooms.get(request.params.roomId) : null;
    if (record === null) {
      sendError(reply, 404, 'room-not-found', 'this meeting does not exist');
      return null;
    }
    if (!secretMatches(secret, record.hostSecretHash)) {
      sendAuthError(reply, secret, "the room's host secret");
      return null;
    }
    if (record.blockedAt !== null) {
      sendError(reply, 410, 'room-blocked', 'this meeting was closed by the server’s operator');
      return null;
    }
    return record;
  };

  /** Runs a moderation action on the live meeting, answering its refusals with their status. */
  const act = async (reply: FastifyReply, action: () => unknown): Promise<FastifyReply> => {
    try {
      const result = await action();
      return result === undefined ? reply.code(204).send() : reply.send(result);
    } catch (err) {
      if (err instanceof RoomError) return sendError(reply, STATUS[err.code] ?? 400, err.code, err.message);
      throw err;
    }
  };

  /** Actions on people need a meeting going on. */
  const live = (record: RoomRecord): Room => {
    const room = rooms.getByKey(record.key);
    if (room === undefined) throw new RoomError('not-found', 'nobody is in this meeting now');
    return room;
  };

  const body = <S extends v.GenericSchema>(schema: S, request: FastifyRequest, reply: FastifyReply): v.InferOutput<S> | null => {
    const parsed = parseBody(schema, request.body);
    if (parsed.ok) return parsed.value;
    sendError(reply, 400, 'bad-request', parsed.message);
    return null;
  };

  app.get<{ Params: RoomParams }>('/api/rooms/:roomId/participants', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const response: ParticipantsResponse = { participants: [...(rooms.getByKey(record.key)?.participants.values() ?? [])].map((p) => p.info()) };
    return response;
  });

  app.get<{ Params: RoomParams }>('/api/rooms/:roomId/lobby', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const response: LobbyResponse = { waiting: rooms.getByKey(record.key)?.lobby.waiting ?? [] };
    return response;
  });

  app.post<{ Params: ParticipantParams }>('/api/rooms/:roomId/lobby/:participantId/admit', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    return act(reply, () => admitFromLobby(live(record), HOST_API, [request.params.participantId]));
  });

  app.post<{ Params: ParticipantParams }>('/api/rooms/:roomId/lobby/:participantId/deny', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    return act(reply, () => denyFromLobby(live(record), HOST_API, [request.params.participantId]));
  });

  app.post<{ Params: ParticipantParams }>('/api/rooms/:roomId/participants/:participantId/remove', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const parsed = body(RemoveBody, request, reply);
    if (parsed === null) return reply;
    return act(reply, async () => {
      const removal = await removeParticipant(live(record), HOST_API, request.params.participantId, parsed.ban === true);
      if (parsed.ban !== true || removal.banned) return undefined;
      const response: UnboundBanResponse = { banned: false, message: UNBOUND_BAN_MESSAGE };
      return response;
    });
  });

  app.post<{ Params: ParticipantParams }>('/api/rooms/:roomId/participants/:participantId/mute', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const parsed = body(MuteBody, request, reply);
    if (parsed === null) return reply;
    return act(reply, () => muteParticipants(live(record), HOST_API, request.params.participantId, parsed.kinds ?? ['audio']));
  });

  app.post<{ Params: RoomParams }>('/api/rooms/:roomId/mute-all', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const parsed = body(MuteBody, request, reply);
    if (parsed === null) return reply;
    return act(reply, () => muteParticipants(live(record), HOST_API, 'all', parsed.kinds ?? ['audio']));
  });

  app.post<{ Params: ParticipantParams }>('/api/rooms/:roomId/participants/:participantId/role', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const parsed = body(RoleBody, request, reply);
    if (parsed === null) return reply;
    return act(reply, () => setRole(live(record), HOST_API, request.params.participantId, parsed.role, false));
  });

  const changeSettings = (record: RoomRecord, update: RoomSettingsUpdate) =>
    updateSettings(storage, record, () => rooms.getByKey(record.key), HOST_API, update, config.maxParticipantsPerRoom);

  app.post<{ Params: RoomParams }>('/api/rooms/:roomId/lock', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    return act(reply, () => changeSettings(record, { locked: true }));
  });

  app.post<{ Params: RoomParams }>('/api/rooms/:roomId/unlock', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    return act(reply, () => changeSettings(record, { locked: false }));
  });

  app.get<{ Params: RoomParams }>('/api/rooms/:roomId/settings', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    return publicRoomSettings(record);
  });

  app.patch<{ Params: RoomParams }>('/api/rooms/:roomId/settings', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const update = body(RoomSettingsUpdate, request, reply);
    if (update === null) return reply;
    return act(reply, () => changeSettings(record, update));
  });

  app.post<{ Params: RoomParams }>('/api/rooms/:roomId/invites', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const parsed = body(InviteBody, request, reply);
    if (parsed === null) return reply;
    const token = newSecret();
    const invite = await storage.invites.create(record.key, parsed.label ?? '', hashSecret(token), Date.now());
    // The token is shown this once; only its hash is kept.
    const response: CreateInviteResponse = { invite: inviteInfo(invite), inviteUrl: `${origin(request)}/r/${record.id}#invite=${token}` };
    return reply.code(201).send(response);
  });

  app.get<{ Params: RoomParams }>('/api/rooms/:roomId/invites', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const response: InvitesResponse = { invites: (await storage.invites.list(record.key)).map(inviteInfo) };
    return response;
  });

  app.delete<{ Params: RoomParams & { inviteId: string } }>('/api/rooms/:roomId/invites/:inviteId', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    if (!(await storage.invites.revoke(record.key, request.params.inviteId, Date.now()))) return sendError(reply, 404, 'not-found', 'no such invite');
    return reply.code(204).send();
  });

  /** A new room id: the old link (and invite links built on it) stop working; a live meeting carries on under the new one. */
  app.post<{ Params: RoomParams }>('/api/rooms/:roomId/rotate-link', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const rotated = await storage.rooms.rotateId(record.key, newRoomId());
    const room = rooms.getByKey(record.key);
    if (room !== undefined && !room.isClosed) room.adopt(rotated);
    // The caller proved it holds the host secret, so the new host link can be built from it.
    const hostSecret = bearerToken(request)!;
    const roomUrl = `${origin(request)}/r/${rotated.id}`;
    const response: CreateRoomResponse = {
      roomId: rotated.id,
      title: rotated.title,
      roomUrl,
      hostUrl: `${roomUrl}#host=${hostSecret}`,
      hostSecret,
      settings: publicRoomSettings(rotated),
    };
    return response;
  });

  app.post<{ Params: RoomParams }>('/api/rooms/:roomId/end', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    const room = rooms.getByKey(record.key);
    // Nothing going on is already ended.
    return act(reply, () => (room === undefined ? undefined : endMeeting(room, HOST_API)));
  });

  app.delete<{ Params: RoomParams }>('/api/rooms/:roomId/bans', RATE, async (request, reply) => {
    const record = await authorized(request, reply);
    if (record === null) return reply;
    return { cleared: await storage.bans.clear(record.key) };
  });
}

function inviteInfo(invite: InviteRecord): InviteInfo {
  return { id: invite.id, label: invite.label, createdAt: invite.createdAt, revoked: invite.revokedAt !== null };
}
