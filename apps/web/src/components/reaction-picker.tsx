import { REACTIONS, type Reaction } from '@treff/client';
import { useRef, useState } from 'preact/hooks';
import { useDismiss } from '../use-dismiss.js';
import { text } from '../strings.js';
import { SmileIcon } from './icons.js';

/** The reactions button and its menu, which closes on Escape or a click elsewhere (focus back on the button). */
export function ReactionPicker({ onReact }: { onReact: (emoji: Reaction) => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useDismiss(open, () => setOpen(false), root, button);
  return (
    <div class="reaction-picker" ref={root}>
      <button ref={button} type="button" class={`round ${open ? 'active' : ''}`} aria-label={text.reactions} title={text.reactions} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <SmileIcon />
      </button>
      {open && (
        <div class="reaction-menu" role="group" aria-label={text.reactions}>
          {REACTIONS.map((emoji) => (
            <button key={emoji} type="button" aria-label={text.reactWith(emoji)} title={text.reactWith(emoji)} onClick={() => onReact(emoji)}>
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
