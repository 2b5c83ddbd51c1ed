import type { Participant, Room } from '@treff/client';
import { useContext, useState } from 'preact/hooks';
import { actionsFor, type ModeratorAction } from '../moderator-actions.js';
import { Removing, useSentCheck } from '../action-feedback.js';
import { text } from '../strings.js';
import { MoreIcon } from './icons.js';

/**
 * A participant's menu: everyone may verify the security code with someone who encrypts; moderators also
 * get what they may do to them. `onVerify` opens the security dialog at that person.
 */
export function ParticipantActions({ room, participant, onVerify }: { room: Room; participant: Participant; onVerify: (participantId: string) => void }) {
  const [open, setOpen] = useState(false);
  const menuId = `actions-${participant.id}`;
  const removing = useContext(Removing);
  const checkSent = useSentCheck();
  const verify: ModeratorAction[] =
    room.e2ee.supported && participant.e2ee !== null ? [{ label: text.verifySecurityCode, run: () => (onVerify(participant.id), true) }] : [];
  const actions = [...verify, ...(room.isModerator ? actionsFor(room, participant, removing) : [])];
  // No menu button with nothing in it (a co-host looking at a host who cannot encrypt).
  if (actions.length === 0) return null;
  return (
    <div class="person-actions">
      <button type="button" class="icon-button" aria-label={text.actionsFor(participant.name)} aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((o) => !o)}>
        <MoreIcon />
      </button>
      {open && (
        <ul id={menuId} class="action-menu" aria-label={text.actionsFor(participant.name)}>
          {actions.map((action) => (
            <li key={action.label}>
              <button
                type="button"
                class={action.danger ? 'danger' : ''}
                onClick={() => {
                  setOpen(false);
                  checkSent(action.run());
                }}
              >
                {action.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
