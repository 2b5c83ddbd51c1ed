/** @jsxRuntime automatic @jsxImportSource preact */
import { reasonSentence, type E2eeView } from '../e2ee-status.js';
import { EncryptedIcon, NotEncryptedIcon } from './icons.js';

/**
 * The meeting's encryption state in its header, live; it opens the security dialog. Its accessible name is
 * the state alone, so it is found the same way whatever the reason; the reason is its description (and the
 * visible text, which may be cut short on a narrow screen).
 */
export function EncryptionStatus({ view, onOpen }: { view: E2eeView; onOpen: () => void }) {
  return (
    <button
      type="button"
      class={`e2ee-status ${view.encrypted ? 'on' : 'off'}`}
      aria-label={view.state}
      aria-describedby={view.reason ? 'e2ee-reason' : undefined}
      aria-haspopup="dialog"
      title={view.reason ? view.label : undefined}
      onClick={onOpen}
    >
      {view.encrypted ? <EncryptedIcon size={16} /> : <NotEncryptedIcon size={16} />}
      <span class="e2ee-label" aria-hidden="true">
        {view.label}
      </span>
      {view.reason && (
        <span id="e2ee-reason" class="visually-hidden">
          {reasonSentence(view.reason)}
        </span>
      )}
    </button>
  );
}
