import type { FastifyInstance } from 'fastify';
import type { DirectoryResponse } from '@treff/protocol';
import type { ApiDeps } from './http-app.js';

/** Most rooms one directory page lists: the most recently used ones. */
const DIRECTORY_SIZE = 200;

/** `GET /api/directory`: the rooms their hosts made discoverable (never blocked ones), with their live size. */
export function registerDirectoryApi(app: FastifyInstance, { storage, rooms, origin }: ApiDeps): void {
  app.get('/api/directory', { config: { rateLimit: { max: 120, timeWindow: '1 minute' } } }, async (request) => {
    const response: DirectoryResponse = {
      rooms: (await storage.rooms.listDiscoverable(DIRECTORY_SIZE)).map((room) => ({
        roomId: room.id,
        title: room.title,
        participantCount: rooms.liveSize(room.key),
        roomUrl: `${origin(request)}/r/${room.id}`,
        passwordRequired: room.settings.passwordHash !== null,
        lobby: room.settings.lobby,
      })),
    };
    return response;
  });
}
