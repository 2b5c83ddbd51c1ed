import { REACTIONS, type Reaction } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { text } from '../strings.js';
import { SmileIcon } from './icons.js';

/** The reactions button and its menu, which closes on Escape or a click elsewhere (focus back on the button). */
export function ReactionPicker({ onReact }: { onReact: (emoji: Reaction) => void }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = () => {
      setOpen(false);
      button.current?.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    const onPointer = (e: PointerEvent) => {
      if (!(e.target instanceof Node) || !root.current?.contains(e.target)) close();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
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
