import type { Participant, Room } from '@treff/client';
import { useContext, useRef, useState } from 'preact/hooks';
import { useDismiss } from '../use-dismiss.js';
import { participantMenu } from '../participant-menu.js';
import { Removing, useSentCheck } from '../action-feedback.js';
import { text } from '../strings.js';
import { MoreIcon } from './icons.js';

/** A participant's menu (see `participantMenu`); `onVerify` opens the security dialog at that person. */
export function ParticipantActions({ room, participant, onVerify }: { room: Room; participant: Participant; onVerify: (participantId: string) => void }) {
  const [open, setOpen] = useState(false);
  const menuId = `actions-${participant.id}`;
  const actions = participantMenu(room, participant, onVerify, useContext(Removing));
  const checkSent = useSentCheck();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(open, () => setOpen(false), root, button);
  // No menu button with nothing in it (a co-host looking at a host who cannot encrypt).
  if (actions.length === 0) return null;
  return (
    <div class="person-actions" ref={root}>
      <button ref={button} type="button" class="icon-button" aria-label={text.actionsFor(participant.name)} aria-expanded={open} aria-controls={menuId} onClick={() => setOpen((o) => !o)}>
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
