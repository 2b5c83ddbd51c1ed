import { getLocalMedia, Room, signalingUrl } from '@treff/client';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, getRoom } from '../api.js';
import { Logo } from '../components/icons.js';
import { saveName, takeHostSecret } from '../storage.js';
import { Meeting } from './meeting.js';
import { PreJoin, type JoinRequest, type MediaChoice } from './prejoin.js';

declare global {
  interface Window {
    /** Debugging hook for diagnostics and end-to-end tests: the SDK room of this tab, once created. */
    treff?: { room: Room };
  }
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'not-found' }
  | { kind: 'prejoin' }
  | { kind: 'in-room'; room: Room }
  | { kind: 'ended'; left: boolean; message?: string };

export function RoomPage({ roomId }: { roomId: string }) {
  const [hostSecret] = useState(() => takeHostSecret(roomId));
  const [params] = useState(() => new URLSearchParams(location.search));
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [title, setTitle] = useState('');
  const [count, setCount] = useState<number | null>(null);
  const [name, setName] = useState('');
  const [choice, setChoice] = useState<MediaChoice>({ audio: true, video: true });
  const inviteUrl = `${location.origin}/r/${roomId}`;

  const enter = (displayName: string, audioTrack: MediaStreamTrack | null, videoTrack: MediaStreamTrack | null) => {
    const room = new Room({ url: signalingUrl(location), roomId, name: displayName, ...(hostSecret ? { hostSecret } : {}) });
    window.treff = { room };
    room.events.on('ended', ({ reason, error }) => {
      setPhase({ kind: 'ended', left: reason === 'left', ...(error ? { message: error.message } : {}) });
    });
    // Kept in the console for diagnostics; the UI shows the consequences (state, toasts), not the codes.
    room.events.on('error', (e) => console.warn(`treff: ${e.code}: ${e.message}`));
    room.events.on('self-updated', () => {
      if (room.info?.title) setTitle(room.info.title);
    });
    room.join({ audioTrack, videoTrack }).catch(() => undefined); // failures arrive as the `ended` event
    setName(displayName);
    setPhase({ kind: 'in-room', room });
  };

  /** Joins with default (or previously chosen) devices; without them if they cannot be opened. */
  const enterWithDevices = async (displayName: string, wanted: MediaChoice) => {
    setPhase({ kind: 'loading' });
    const media = await getLocalMedia({ audio: wanted.audio, video: wanted.video, audioDeviceId: wanted.audioDeviceId, videoDeviceId: wanted.videoDeviceId });
    enter(displayName, media.audioTrack, media.videoTrack);
  };

  useEffect(() => {
    document.title = 'Treff';
    getRoom(roomId)
      .then((summary) => {
        setTitle(summary.title);
        setCount(summary.participantCount);
        if (summary.title) document.title = `${summary.title} · Treff`;
        return true;
      })
      .catch((error: unknown) => !(error instanceof ApiFailure && error.status === 404))
      .then((exists) => {
        if (!exists) return setPhase({ kind: 'not-found' });
        const autoName = params.get('name')?.trim();
        if (params.get('autojoin') === '1' && autoName) void enterWithDevices(autoName, { audio: true, video: true });
        else setPhase({ kind: 'prejoin' });
      });
  }, [roomId]);

  const onJoin = (request: JoinRequest) => {
    saveName(request.name);
    setChoice(request.choice);
    enter(request.name, request.audioTrack, request.videoTrack);
  };

  switch (phase.kind) {
    case 'loading':
      return (
        <main class="center-screen" aria-busy="true">
          <div class="spinner" aria-hidden="true" />
          <p class="muted">Getting ready…</p>
        </main>
      );
    case 'not-found':
      return (
        <main class="center-screen">
          <Logo size={40} />
          <h1>This meeting link doesn’t exist</h1>
          <p class="muted">Check that you have the whole link, or start a new meeting.</p>
          <a class="button primary" href="/">
            Go to the home page
          </a>
        </main>
      );
    case 'prejoin':
      return <PreJoin title={title} participantCount={count} isHost={hostSecret !== undefined} initialChoice={choice} onJoin={onJoin} />;
    case 'in-room':
      return <Meeting room={phase.room} title={title} inviteUrl={inviteUrl} />;
    case 'ended':
      return (
        <main class="center-screen">
          <Logo size={40} />
          <h1>{phase.left ? 'You left the meeting' : 'You were disconnected'}</h1>
          {phase.message && !phase.left && <p class="muted">{phase.message}</p>}
          <div class="row">
            <button type="button" class="button primary" onClick={() => void enterWithDevices(name, choice)}>
              Rejoin
            </button>
            <a class="button secondary" href="/">
              Home
            </a>
          </div>
        </main>
      );
  }
}
