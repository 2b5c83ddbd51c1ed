import type { RoomSettings } from '@treff/protocol';

/** A new link room's settings as the server sends them; tests spread what they change. */
export const ROOM_SETTINGS: RoomSettings = {
  joinMode: 'link', lobby: false, locked: false, passwordRequired: false, linkSharing: true, discoverable: false,
  maxParticipants: 50, autoPromote: true, groupId: null, requireE2ee: false, multipleScreenShares: false,
};
