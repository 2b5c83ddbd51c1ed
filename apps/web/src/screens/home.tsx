import type { CreateRoomResponse } from '@treff/protocol';
import { useState } from 'preact/hooks';
import { createRoom } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { Logo } from '../components/icons.js';

export function Home() {
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreateRoomResponse | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await createRoom(title));
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Could not create the meeting.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="home">
      <div class="home-card">
        <div class="brand">
          <Logo />
          <span>Treff</span>
        </div>
        <h1 class="home-title">Video meetings that stay yours.</h1>
        <p class="lead">Private video calls on your own server. Share a link, type a name, and you’re in — no account, no tracking, no time limit.</p>

        {!created ? (
          <form class="stack" onSubmit={submit}>
            <div class="field">
              <label for="title">Meeting title (optional)</label>
              <input id="title" class="input" type="text" maxLength={120} placeholder="e.g. Weekly sync" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
            </div>
            <button type="submit" class="button primary large" disabled={busy}>
              {busy ? 'Creating…' : 'New meeting'}
            </button>
            {error && (
              <p class="error" role="alert">
                {error}
              </p>
            )}
          </form>
        ) : (
          <section class="stack" aria-labelledby="created-heading">
            <h2 id="created-heading" class="section-title">
              {created.title ? `“${created.title}” is ready` : 'Your meeting is ready'}
            </h2>
            <CopyField id="room-link" label="Room link — share with guests" value={created.roomUrl} buttonLabel="Copy room link" />
            <CopyField
              id="host-link"
              label="Host link — for you"
              value={created.hostUrl}
              buttonLabel="Copy host link"
              hint="Keep the host link private: whoever opens it joins as a host."
            />
            <div class="row">
              <a class="button primary large" href={created.hostUrl}>
                Join as host
              </a>
              <button type="button" class="button ghost" onClick={() => setCreated(null)}>
                Create another
              </button>
            </div>
          </section>
        )}
      </div>
      <p class="footnote">Calls run through this server only — no third parties involved.</p>
    </main>
  );
}
