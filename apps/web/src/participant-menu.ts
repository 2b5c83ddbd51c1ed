import type { E2eeState, Participant, Room } from '@treff/client';
import { actionsFor, type ModeratorAction } from './moderator-actions.js';
import { text } from './strings.js';

type MenuRoom = Parameters<typeof actionsFor>[0] & Pick<Room, 'isModerator'> & { readonly e2ee: Pick<E2eeState, 'supported'> };

/**
 * Everything a participant's menu offers: anyone may verify the security code with someone whose app
 * encrypts (when ours does too); moderators also get what they may do to them (`actionsFor`).
 */
export function participantMenu(
  room: MenuRoom,
  p: Pick<Participant, 'id' | 'role' | 'media' | 'e2ee' | 'screen'>,
  onVerify: (participantId: string) => void,
  onRemove?: (participantId: string) => void,
): ModeratorAction[] {
  const verify: ModeratorAction[] = room.e2ee.supported && p.e2ee !== null ? [{ label: text.verifySecurityCode, run: () => (onVerify(p.id), true) }] : [];
  return [...verify, ...(room.isModerator ? actionsFor(room, p, onRemove) : [])];
}
