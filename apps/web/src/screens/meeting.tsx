import { describeMediaError, type Participant, type Room } from '@treff/client';
import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ConnectionStatus } from '../components/connection-status.js';
import { CameraIcon, CameraOffIcon, LeaveIcon, LinkIcon, MicIcon, MicOffIcon, PeopleIcon, SpeakerIcon } from '../components/icons.js';
import { Audio, resumeAllAudio } from '../components/media.js';
import { Pager } from '../components/pager.js';
import { ParticipantList } from '../components/participant-list.js';
import { Tile } from '../components/tile.js';
import { copyText } from '../copy.js';
import { aspectFor, gridLayout, pageCount, pageItems, tilesPerPage, type GridLayout } from '../layout.js';
import { useRoom } from '../use-room.js';
import { useVideoSubscriptions } from '../use-video-subscriptions.js';

const GAP = 12;
/** Height kept below the grid for the page buttons when there is more than one page. */
const PAGER_HEIGHT = 52;

/**
 * Test and diagnostics hook: `?smallTile=<display name>` draws that person's tile at 160×90 CSS pixels,
 * which subscribes to their video at that size (end-to-end tests check the low simulcast layer arrives).
 */
const SMALL_TILE = new URLSearchParams(location.search).get('smallTile');

interface Props {
  room: Room;
  title: string;
  inviteUrl: string;
}

function useElementSize<T extends HTMLElement>(): [RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setSize({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, size];
}

export function Meeting({ room, title, inviteUrl }: Props) {
  useRoom(room);
  const [panelOpen, setPanelOpen] = useState(() => window.matchMedia('(min-width: 1100px)').matches);
  const [toast, setToast] = useState<string | null>(null);
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [busy, setBusy] = useState<{ mic?: boolean; cam?: boolean }>({});
  const [stageRef, stageSize] = useElementSize<HTMLDivElement>();
  const [page, setPage] = useState(0);
  const toastTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const say = (text: string) => {
    setToast(text);
    clearTimeout(toastTimer.current);
    toastTimer.current = setTimeout(() => setToast(null), 3500);
  };

  useEffect(() => {
    const offs = [
      room.events.on('participant-joined', (p) => say(`${p.name} joined`)),
      room.events.on('participant-left', (p) => say(`${p.name} left`)),
      room.events.on('error', (e) => {
        if (e.code === 'ice-failed' || e.code === 'negotiation-failed' || e.code === 'resume-failed') say('Connection interrupted — reconnecting…');
      }),
    ];
    // Closing the tab should make us disappear for the others at once, not after the resume grace period.
    const onPageHide = () => room.leave();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      offs.forEach((off) => off());
      window.removeEventListener('pagehide', onPageHide);
      clearTimeout(toastTimer.current);
    };
  }, [room]);

  const self = room.self;
  const remotes = [...room.participants.values()].sort((a, b) => a.joinedAt - b.joinedAt);
  const alone = remotes.length === 0;
  const micOn = room.microphoneEnabled;
  const camOn = room.cameraEnabled;
  const selfName = self?.name ?? 'You';
  const speakerId = room.activeSpeakerId;

  const toggleMic = async () => {
    setBusy((b) => ({ ...b, mic: true }));
    try {
      await room.setMicrophoneEnabled(!micOn);
    } catch (error) {
      say(`Microphone: ${describeMediaError(error instanceof Error ? error : new Error(String(error)))}`);
    } finally {
      setBusy((b) => ({ ...b, mic: false }));
    }
  };

  const toggleCamera = async () => {
    setBusy((b) => ({ ...b, cam: true }));
    try {
      await room.setCameraEnabled(!camOn);
    } catch (error) {
      say(`Camera: ${describeMediaError(error instanceof Error ? error : new Error(String(error)))}`);
    } finally {
      setBusy((b) => ({ ...b, cam: false }));
    }
  };

  const copyInvite = async () => say((await copyText(inviteUrl)) ? 'Room link copied' : `Copy this link: ${inviteUrl}`);

  const enableAudio = async () => {
    if (await resumeAllAudio()) setAudioBlocked(false);
  };

  const selfTile = () => (
    <Tile
      label="You"
      name={selfName}
      role={self?.role ?? 'guest'}
      media={{ audio: micOn, video: camOn }}
      videoTrack={room.localVideoTrack}
      speaking={speakerId !== null && speakerId === self?.id}
      self
    />
  );

  // Pages of remote tiles; one place on every page is the self view, so it never covers anyone.
  const aspect = aspectFor(stageSize.width, stageSize.height);
  let perPage = Math.max(1, tilesPerPage(stageSize.width, stageSize.height, GAP) - 1);
  let gridHeight = stageSize.height;
  if (remotes.length > perPage) {
    gridHeight = Math.max(0, stageSize.height - PAGER_HEIGHT);
    perPage = Math.max(1, tilesPerPage(stageSize.width, gridHeight, GAP) - 1);
  }
  const pages = pageCount(remotes.length, perPage);
  const currentPage = Math.min(page, pages - 1);
  const shownIds = pageItems(remotes.map((p) => p.id), perPage, currentPage, speakerId);
  const shown = shownIds.flatMap((id) => room.participants.get(id) ?? []);
  // Video for the tiles on this page only, the active speaker first; cameras that are off need none.
  const wanted = shown.filter((p) => p.media.video).map((p) => p.id);
  const speakerAt = speakerId === null ? -1 : wanted.indexOf(speakerId);
  if (speakerAt > 0) wanted.unshift(...wanted.splice(speakerAt, 1));
  const measure = useVideoSubscriptions(room, wanted);

  const grid: GridLayout = gridLayout(shown.length + 1, stageSize.width, gridHeight, GAP, aspect);
  const gridStyle = {
    gridTemplateColumns: `repeat(${grid.columns}, ${grid.width}px)`,
    gridAutoRows: `${grid.height}px`,
  };

  return (
    <div class={`meeting ${panelOpen ? 'with-panel' : ''}`}>
      <header class="topbar">
        <h1 class="room-title">{title || 'Meeting'}</h1>
        <ConnectionStatus state={room.connectionState} />
      </header>

      <div class="stage" ref={stageRef}>
        <div class="grid" style={gridStyle}>
          {shown.map((p: Participant) => (
            <Tile
              key={p.id}
              label={p.name}
              name={p.name}
              role={p.role}
              media={p.media}
              videoTrack={p.videoTrack}
              speaking={speakerId === p.id}
              participantId={p.id}
              tileRef={measure(p.id)}
              class={p.name === SMALL_TILE ? 'tile-small' : ''}
            />
          ))}
          {selfTile()}
        </div>
        {pages > 1 && <Pager page={currentPage} pages={pages} onPage={setPage} />}
        {alone && (
          <div class="waiting">
            <p class="waiting-title">You’re the only one here</p>
            <p class="muted">Share the room link to invite others.</p>
            <p class="mono small-link">{inviteUrl}</p>
          </div>
        )}
      </div>

      {panelOpen && <ParticipantList room={room} onClose={() => setPanelOpen(false)} />}

      <footer class="toolbar" aria-label="Meeting controls">
        <div class="toolbar-group">
          <button type="button" class={`round ${micOn ? '' : 'off'}`} aria-label={micOn ? 'Mute microphone' : 'Unmute microphone'} title={micOn ? 'Mute microphone' : 'Unmute microphone'} onClick={toggleMic} disabled={busy.mic}>
            {micOn ? <MicIcon /> : <MicOffIcon />}
          </button>
          <button type="button" class={`round ${camOn ? '' : 'off'}`} aria-label={camOn ? 'Turn camera off' : 'Turn camera on'} title={camOn ? 'Turn camera off' : 'Turn camera on'} onClick={toggleCamera} disabled={busy.cam}>
            {camOn ? <CameraIcon /> : <CameraOffIcon />}
          </button>
          <button type="button" class="round" aria-label="Copy room link" title="Copy room link" onClick={copyInvite}>
            <LinkIcon />
          </button>
          <button
            type="button"
            class={`round ${panelOpen ? 'active' : ''}`}
            aria-label="Participants"
            title="Participants"
            aria-expanded={panelOpen}
            aria-controls="participants-panel"
            onClick={() => setPanelOpen((open) => !open)}
          >
            <PeopleIcon />
            <span class="count-badge" aria-hidden="true">
              {remotes.length + 1}
            </span>
          </button>
        </div>
        <button type="button" class="leave" aria-label="Leave" title="Leave the meeting" onClick={() => room.leave()}>
          <LeaveIcon />
          <span class="leave-text" aria-hidden="true">
            Leave
          </span>
        </button>
      </footer>

      {audioBlocked && (
        <button type="button" class="audio-unlock" onClick={enableAudio}>
          <SpeakerIcon /> Click to enable audio
        </button>
      )}
      <div class="toast-region" aria-live="polite">
        {toast && <div class="toast">{toast}</div>}
      </div>
      <div class="audio-sinks" aria-hidden="true">
        {/* One element per audio slot: the loudest speakers, whether or not their tiles are on this page. */}
        {room.audioTracks.map((track) => <Audio key={track.id} track={track} onBlocked={() => setAudioBlocked(true)} />)}
      </div>
    </div>
  );
}
