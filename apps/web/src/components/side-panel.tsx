/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { text } from '../strings.js';
import { CloseIcon } from './icons.js';

/** The frame every side panel of the meeting shares: a titled aside with a close button. */
export function SidePanel({ id, headingId, className, title, onClose, children }: { id: string; headingId: string; className?: string; title: string; onClose: () => void; children: ComponentChildren }) {
  return (
    <aside id={id} class={className ? `panel ${className}` : 'panel'} aria-labelledby={headingId}>
      <header class="panel-header">
        <h2 id={headingId}>{title}</h2>
        <button type="button" class="icon-button" aria-label={text.closePanel} onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {children}
    </aside>
  );
}
