import { useState } from 'preact/hooks';
import { copyText } from '../copy.js';
import { text } from '../strings.js';
import { CheckIcon, CopyIcon } from './icons.js';

/** A read-only link with a copy button; the button's name stays fixed so tests and screen readers can find it. */
export function CopyField({ id, label, value, buttonLabel, hint }: { id: string; label: string; value: string; buttonLabel: string; hint?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const ok = await copyText(value);
    setCopied(ok);
    if (ok) setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} class="input mono" type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} aria-describedby={hint ? `${id}-hint` : undefined} />
        <button type="button" class="button secondary" aria-label={buttonLabel} onClick={copy}>
          {copied ? <CheckIcon /> : <CopyIcon />}
          <span aria-hidden="true">{copied ? text.copied : text.copy}</span>
        </button>
      </div>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <span class="visually-hidden" aria-live="polite">
        {copied ? text.copiedToClipboard : ''}
      </span>
    </div>
  );
}
