import { getLocalMedia, signalingUrl, TERMINAL_JOIN_ERRORS, type EndedReason, type Room } from '@treff/client';
import type { RoomSummary } from '@treff/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure, getRoom } from '../api.js';
import { Logo } from '../components/icons.js';
import { deviceId, holdsGroupAdminCredential, loadMemberCredential, saveHostSecret, saveInviteToken, saveName, takeHostSecret, takeInviteToken } from '../storage.js';
import { endedScreen, joinProblem, text } from '../strings.js';
import { blockedByLock, LOCK_POLL_MS } from '../lock-gate.js';
import { PreJoin, type JoinRequest, type MediaChoice } from './prejoin.js';

declare global {
  interface Window {
    /** Debugging hook for diagnostics and end-to-end tests: the SDK room of this tab, once created. */
    treff?: { room: Room };
  }
}

const loadMeeting = () => import('./meeting-chunk.js');
type MeetingChunk = Awaited<ReturnType<typeof loadMeeting>>;

type Phase =
  | { kind: 'loading' }
  | { kind: 'not-found' }
  // The refusal's code, not its words, so a language switch rewords it.
  | { kind: 'prejoin'; problemCode?: string; askPassword?: boolean }
  | { kind: 'in-room'; room: Room; InRoom: MeetingChunk['InRoom'] }
  | { kind: 'ended'; left: boolean; error?: { code: string; message: string } }
  | { kind: 'ended-by-server'; reason: EndedReason };

const SERVER_REASONS: ReadonlySet<string> = new Set<EndedReason>(['removed', 'banned', 'meeting-ended', 'denied', 'room-closed']);

export function RoomPage({ roomId: initialRoomId }: { roomId: string }) {
  const [roomId, setRoomId] = useState(initialRoomId);
  const [hostSecret] = useState(() => takeHostSecret(initialRoomId));
  const [inviteToken] = useState(() => takeInviteToken(initialRoomId));
  const [params] = useState(() => new URLSearchParams(location.search));
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [summary, setSummary] = useState<RoomSummary | null>(null);
  const [name, setName] = useState('');
  const [choice, setChoice] = useState<MediaChoice>({ audio: true, video: true });
  const password = useRef<string | undefined>(undefined);

  const enter = async (displayName: string, audioTrack: MediaStreamTrack | null, videoTrack: MediaStreamTrack | null, room: RoomSummary | null) => {
    // The pre-join screen goes at once: its Join must not start a second join while the meeting loads.
    setPhase({ kind: 'loading' });
    let meeting: MeetingChunk;
    try {
      meeting = await loadMeeting();
    } catch {
      audioTrack?.stop();
      videoTrack?.stop();
      return setPhase({ kind: 'ended', left: false, error: { code: 'signaling-unreachable', message: text.unreachable } });
    }
    const { Room, InRoom } = meeting;
    const memberToken = room?.groupId ? loadMemberCredential(room.groupId)?.token : undefined;
    const sdkRoom = new Room({
      url: signalingUrl(location),
      roomId,
      name: displayName,
      deviceId: deviceId(),
      ...(hostSecret ? { hostSecret } : {}),
      ...(inviteToken ? { inviteToken } : {}),
      ...(memberToken ? { memberToken } : {}),
      ...(password.current ? { password: password.current } : {}),
      // `?e2ee=off`: join as a client that never encrypts (benchmarks, compatibility checks).
      ...(params.get('e2ee') === 'off' ? { e2ee: false } : {}),
    });
    window.treff = { room: sdkRoom };
    let waiting = false;
    let currentId = roomId;
    sdkRoom.events.on('connection-state', (state) => {
      if (state === 'waiting') waiting = true;
      else if (state === 'connecting' || state === 'connected') waiting = false;
    });
    sdkRoom.events.on('ended', ({ reason, error }) => {
      if (SERVER_REASONS.has(reason)) return setPhase({ kind: 'ended-by-server', reason: reason as EndedReason });
      if (reason === 'left' && waiting) return setPhase({ kind: 'prejoin' }); // cancelled from the lobby
      if (error?.code === 'room-not-found') return setPhase({ kind: 'not-found' });
      if (error && (TERMINAL_JOIN_ERRORS as ReadonlySet<string>).has(error.code)) {
        const problem = joinProblem(error.code);
        // What the pre-join screen says about the room (locked, password) may have changed since it loaded.
        getRoom(currentId).then(setSummary, () => undefined);
        return setPhase({ kind: 'prejoin', problemCode: error.code, askPassword: problem.askPassword });
      }
      setPhase({ kind: 'ended', left: reason === 'left', ...(error ? { error: { code: error.code, message: error.message } } : {}) });
    });
    // Kept in the console for diagnostics; the UI shows the consequences (state, toasts), not the codes.
    sdkRoom.events.on('error', (e) => console.warn(`treff: ${e.code}: ${e.message}`));
    sdkRoom.events.on('room-updated', (info) => {
      // A rotated link: the address bar, this tab's host rights and its invite follow the room's new id.
      if (info.id === currentId) return;
      currentId = info.id;
      if (hostSecret) saveHostSecret(info.id, hostSecret);
      if (inviteToken) saveInviteToken(info.id, inviteToken);
      history.replaceState(history.state, '', `/r/${info.id}${location.search}`);
      setRoomId(info.id);
    });
    sdkRoom.join({ audioTrack, videoTrack }).catch(() => undefined); // failures arrive as the `ended` event
    setName(displayName);
    setPhase({ kind: 'in-room', room: sdkRoom, InRoom });
  };

  /** Joins with default (or previously chosen) devices; without them if they cannot be opened. */
  const enterWithDevices = async (displayName: string, wanted: MediaChoice, room: RoomSummary | null) => {
    setPhase({ kind: 'loading' });
    const media = await getLocalMedia({ audio: wanted.audio, video: wanted.video, audioDeviceId: wanted.audioDeviceId, videoDeviceId: wanted.videoDeviceId });
    await enter(displayName, media.audioTrack, media.videoTrack, room);
  };

  useEffect(() => {
    // Everyone on a room link is about to join: fetch the meeting while the pre-join screen shows.
    void loadMeeting().catch(() => undefined);
    document.title = text.appName;
    getRoom(roomId)
      .then((found) => {
        setSummary(found);
        if (found.title) document.title = `${found.title} · ${text.appName}`;
        return found;
      })
      .catch((error: unknown) => (error instanceof ApiFailure && error.status === 404 ? undefined : null))
      .then((found) => {
        if (found === undefined) return setPhase({ kind: 'not-found' });
        const autoName = params.get('name')?.trim();
        if (params.get('autojoin') === '1' && autoName) {
          setName(autoName);
          void enterWithDevices(autoName, { audio: true, video: true }, found);
        } else setPhase({ kind: 'prejoin' });
      });
  }, []);

  const onJoin = (request: JoinRequest) => {
    saveName(request.name);
    setChoice(request.choice);
    password.current = request.password || undefined;
    void enter(request.name, request.audioTrack, request.videoTrack, summary);
  };

  const title = (phase.kind === 'in-room' ? phase.room.info?.title : undefined) ?? summary?.title ?? '';
  // Host links and the group's admin skip the password and pass the lock on the server; ask for the
  // password only if the server did refuse.
  const groupAdmin = summary?.groupId ? holdsGroupAdminCredential(summary.groupId) : false;
  const privileged = hostSecret !== undefined || groupAdmin;
  const heldByLock = phase.kind === 'prejoin' && blockedByLock(summary, privileged);
  useEffect(() => {
    if (!heldByLock) return;
    // Join stays disabled while locked; re-reading the summary re-enables it once a host unlocks.
    const timer = setInterval(() => getRoom(roomId).then(setSummary, () => undefined), LOCK_POLL_MS);
    return () => clearInterval(timer);
  }, [heldByLock, roomId]);
  switch (phase.kind) {
    case 'loading':
      return (
        <main class="center-screen" aria-busy="true">
          <div class="spinner" aria-hidden="true" />
          <p class="muted">{text.gettingReady}</p>
        </main>
      );
    case 'not-found':
      return (
        <main class="center-screen">
          <Logo size={40} />
          <h1>{text.roomNotFound}</h1>
          <p class="muted">{text.roomNotFoundHint}</p>
          <a class="button primary" href="/">
            {text.goHome}
          </a>
        </main>
      );
    case 'prejoin':
      return (
        <PreJoin
          title={title}
          summary={summary}
          isHost={hostSecret !== undefined}
          canPassLock={privileged}
          initialName={name}
          initialChoice={choice}
          problem={phase.problemCode === undefined ? undefined : joinProblem(phase.problemCode).message}
          askPassword={phase.askPassword === true || (!privileged && summary?.passwordRequired === true)}
          onJoin={onJoin}
        />
      );
    case 'in-room':
      return <phase.InRoom room={phase.room} title={title} hostSecret={hostSecret} />;
    case 'ended-by-server': {
      const screen = endedScreen(phase.reason);
      return (
        <main class="center-screen">
          <Logo size={40} />
          <h1>{screen.title}</h1>
          <p class="muted">{screen.detail}</p>
          <a class="button secondary" href="/">
            {text.home}
          </a>
        </main>
      );
    }
    case 'ended':
      return (
        <main class="center-screen">
          <Logo size={40} />
          <h1>{phase.left ? text.youLeft : text.disconnected}</h1>
          {phase.error && !phase.left && <p class="muted">{text.endedProblem(phase.error.code, phase.error.message)}</p>}
          <div class="row">
            <button type="button" class="button primary" onClick={() => void enterWithDevices(name, choice, summary)}>
              {text.rejoin}
            </button>
            <a class="button secondary" href="/">
              {text.home}
            </a>
          </div>
        </main>
      );
  }
}
