/** @jsxRuntime automatic @jsxImportSource preact */
import { LIMITS } from '@treff/protocol';
import { useState } from 'preact/hooks';
import { text } from '../strings.js';
import { FormActions } from './form-actions.js';

/** The SDK refuses other schemes with a RangeError; saying so before sending keeps the person in the form. */
function isWebAddress(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Moderators: a video file's address, to play for everyone; `onShare` returns whether it went out. */
export function ShareVideoDialog({ onShare, onClose }: { onShare: (url: string) => boolean; onClose: () => void }) {
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="share-video-heading">
        <form
          class="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const address = url.trim();
            if (!isWebAddress(address)) return setProblem(text.videoUrlInvalid);
            if (!onShare(address)) return setProblem(text.notSent);
            onClose();
          }}
        >
          <h2 id="share-video-heading" class="section-title">
            {text.shareVideo}
          </h2>
          <div class="field">
            <label for="share-video-url">{text.videoUrl}</label>
            <input
              id="share-video-url"
              class="input"
              type="url"
              inputMode="url"
              placeholder="https://"
              required
              maxLength={LIMITS.videoUrl}
              value={url}
              aria-describedby="share-video-privacy"
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          </div>
          <p id="share-video-privacy" class="hint">
            {text.videoUrlPrivacy}
          </p>
          <FormActions problem={problem} submit={text.playForEveryone} cancel={text.cancel} onCancel={onClose} />
        </form>
      </div>
    </div>
  );
}
