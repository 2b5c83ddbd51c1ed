import type { ReportReason } from '@treff/client';
import { LIMITS } from '@treff/protocol';
import { useState } from 'preact/hooks';
import { text } from '../strings.js';
import { FormActions } from './form-actions.js';

const REASONS: ReportReason[] = ['abuse', 'spam', 'illegal-content', 'other'];

/** Reason and optional text for the server's operator; `onSend` returns whether it went out. */
export function ReportDialog({ onSend, onClose }: { onSend: (reason: ReportReason, details: string) => boolean; onClose: () => void }) {
  const [reason, setReason] = useState<ReportReason>('abuse');
  const [details, setDetails] = useState('');
  const [unsent, setUnsent] = useState(false);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="report-heading">
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          const sent = onSend(reason, details);
          setUnsent(!sent);
          if (sent) onClose();
        }}
      >
        <h2 id="report-heading" class="section-title">
          {text.reportHeading}
        </h2>
        <div class="field">
          <label for="report-reason">{text.reportReason}</label>
          <select id="report-reason" class="input" value={reason} onChange={(e) => setReason(e.currentTarget.value as ReportReason)}>
            {REASONS.map((r) => (
              <option value={r} key={r}>
                {text.reportReasonLabel(r)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="report-details">{text.reportDetails}</label>
          <textarea id="report-details" class="input textarea" maxLength={LIMITS.reportText} rows={4} value={details} onInput={(e) => setDetails(e.currentTarget.value)} />
        </div>
        <p class="hint">{text.reportPrivacy}</p>
        <FormActions problem={unsent ? text.notSent : null} submit={text.sendReport} cancel={text.cancel} onCancel={onClose} />
      </form>
      </div>
    </div>
  );
}
