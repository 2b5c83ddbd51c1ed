import { text } from '../strings.js';

/** A host's request to turn a device on: the person decides; nothing turns on by itself. */
export function UnmutePrompt({ kind, byName, onAccept, onDismiss }: { kind: 'audio' | 'video'; byName: string | null; onAccept: () => void; onDismiss: () => void }) {
  return (
    <div class="prompt" role="alertdialog" aria-labelledby="unmute-prompt-text">
      <p id="unmute-prompt-text">{text.unmuteAsk(byName, kind)}</p>
      <div class="row">
        <button type="button" class="button small primary" onClick={onAccept}>
          {text.turnOn}
        </button>
        <button type="button" class="button small ghost" onClick={onDismiss}>
          {text.notNow}
        </button>
      </div>
    </div>
  );
}
