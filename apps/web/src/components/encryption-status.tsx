/** @jsxRuntime automatic @jsxImportSource preact */
import type { E2eeView } from '../e2ee-status.js';
import { EncryptedIcon, NotEncryptedIcon } from './icons.js';

/**
 * The meeting's encryption state in its header, live; it opens the security dialog. Named by the whole
 * state (with the reason when not encrypted), so it reads the same to everyone whether or not the text fits.
 */
export function EncryptionStatus({ view, onOpen }: { view: E2eeView; onOpen: () => void }) {
  return (
    <button type="button" class={`e2ee-status ${view.encrypted ? 'on' : 'off'}`} aria-label={view.label} aria-haspopup="dialog" title={view.label} onClick={onOpen}>
      {view.encrypted ? <EncryptedIcon size={16} /> : <NotEncryptedIcon size={16} />}
      <span class="e2ee-label" aria-hidden="true">
        {view.label}
      </span>
    </button>
  );
}
