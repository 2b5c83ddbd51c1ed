import { ScreenShareError, type MediaKind, type Participant, type Room } from '@treff/client';
import { Fragment, type ComponentChildren, type RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ConnectionStatus } from '../components/connection-status.js';
import { EncryptionStatus } from '../components/encryption-status.js';
import { BreakoutIcon, CameraIcon, CameraOffIcon, ChatIcon, FlagIcon, HandIcon, LeaveIcon, LinkIcon, LockIcon, MicIcon, MicOffIcon, NotesIcon, PeopleIcon, PlayVideoIcon, PollIcon, ScreenShareIcon, SettingsIcon, SpeakerIcon, SpeakerViewIcon, UnlockIcon, WhiteboardIcon } from '../components/icons.js';
import { Audio, resumeAllAudio } from '../components/media.js';
import { Pager } from '../components/pager.js';
import { ChatPanel } from '../components/chat-panel.js';
import { PollsPanel } from '../components/polls-panel.js';
import { PresenterStage, SHARED_VIDEO_ID, type Share } from '../components/presenter-stage.js';
import { SpeakerStage } from '../components/speaker-stage.js';
import { ReactionPicker } from '../components/reaction-picker.js';
import { SharedVideoTile } from '../components/shared-video-tile.js';
import { ParticipantList } from '../components/participant-list.js';
import { lazyComponent } from '../components/lazy.js';
import { handPosition, Tile } from '../components/tile.js';
import { UnmutePrompt } from '../components/unmute-prompt.js';
import { actionErrorToast, Removing, sayIfUnsent, Toast } from '../action-feedback.js';
import { DepartureNotes } from '../departure-notes.js';
import { useUnseenEdits } from '../use-unseen-edits.js';
import { isArrival } from '../arrival-toast.js';
import { describeE2ee, e2eeChangeToast, identityChangedWarning } from '../e2ee-status.js';
import { copyText } from '../copy.js';
import { mediaProblem } from '../media-problem.js';
import { text } from '../strings.js';
import { aspectFor, gridLayout, pageCount, pageItems, tilesPerPage, type GridLayout } from '../layout.js';
import { awaitingVote, newPolls } from '../polls.js';
import { presenterLayout, shownShare } from '../presenter-layout.js';
import { focusOf, type MeetingView } from '../speaker-view.js';
import { loadView, saveView } from '../storage.js';
import { useScreenShares } from '../use-screen-shares.js';
import { useRoom } from '../use-room.js';
import { useVideoSubscriptions } from '../use-video-subscriptions.js';
import { BreakoutBadge, BroadcastBanner } from '../components/breakout-badge.js';
import { inRoom, roomMates, sharesHere } from '../breakout-view.js';
import { useBreakouts } from '../use-breakouts.js';

// Host settings, the report form and the security details are opened rarely: their code loads when first opened.
const SettingsPanel = lazyComponent(() => import('../components/settings-panel.js').then((m) => m.SettingsPanel));
const ReportDialog = lazyComponent(() => import('../components/report-dialog.js').then((m) => m.ReportDialog));
const SecurityDialog = lazyComponent(() => import('../components/security-dialog.js').then((m) => m.SecurityDialog));
const ShareVideoDialog = lazyComponent(() => import('../components/share-video-dialog.js').then((m) => m.ShareVideoDialog));
const BreakoutPanel = lazyComponent(() => import('../components/breakout-panel.js').then((m) => m.BreakoutPanel));
// The notes and the whiteboard (with perfect-freehand) load when first opened.
const NotesPanel = lazyComponent(() => import('../components/notes-panel.js').then((m) => m.NotesPanel));
const WhiteboardStage = lazyComponent(() => import('../components/whiteboard-stage.js').then((m) => m.WhiteboardStage));

const GAP = 12;
/** Height kept below the grid for the page buttons when there is more than one page. */
const PAGER_HEIGHT = 52;

/**
 * Test and diagnostics hook: `?smallTile=<display name>` draws that person's tile at 160×90 CSS pixels,
 * which subscribes to their video at that size (end-to-end tests check the low simulcast layer arrives).
 */
const SMALL_TILE = new URLSearchParams(location.search).get('smallTile');

/** Screen capture exists in desktop browsers only; elsewhere there is no share button. */
const CAN_SHARE_SCREEN = typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';

/** A cancelled picker or a share stopped before it began is the person's choice, not a failure to tell them about. */
const isCancel = (error: unknown) => error instanceof ScreenShareError && (error.reason === 'cancelled' || error.reason === 'stopped');

interface Props {
  room: Room;
  title: string;
  /** The host link's secret, for the host-only HTTP calls (invites, new room link). */
  hostSecret: string | undefined;
}

type PanelView = 'people' | 'settings' | 'chat' | 'polls' | 'breakouts' | 'notes' | null;

/** How long a reaction floats over its sender's tile. */
const REACTION_MS = 4000;

interface FloatingReaction {
  key: number;
  from: string;
  emoji: string;
}

/** A header button that opens and closes one side panel. */
function PanelButton(props: { open: boolean; label: string; title: string; controls: string; describedBy?: string; onToggle: () => void; children: ComponentChildren }) {
  return (
    <button
      type="button"
      class={`round ${props.open ? 'active' : ''}`}
      aria-label={props.label}
      aria-describedby={props.describedBy}
      title={props.title}
      aria-expanded={props.open}
      aria-controls={props.controls}
      onClick={props.onToggle}
    >
      {props.children}
    </button>
  );
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

export function Meeting({ room, title, hostSecret }: Props) {
  useRoom(room);
  const [panel, setPanel] = useState<PanelView>(() => (window.matchMedia('(min-width: 1100px)').matches ? 'people' : null));
  
  const [reporting, setReporting] = useState(false);
  /** The whiteboard in place of the grid, opened by each for themselves. */
  const [whiteboardOpen, setWhiteboardOpen] = useState(false);
  const notesUnseen = useUnseenEdits(room.docs.doc('notes'), panel === 'notes');
  const boardUnseen = useUnseenEdits(room.docs.doc('whiteboard'), whiteboardOpen);
  const [choosingVideo, setChoosingVideo] = useState(false);
  /** The security dialog, opened from the header (no one in focus) or at a participant's code. */
  const [security, setSecurity] = useState<{ focus: string | null } | null>(null);
  const [unmuteAsk, setUnmuteAsk] = useState<{ kind: MediaKind; byName: string | null } | null>(null);
  const [toast, setToast] = useState<string | null>(null);
  const [notes] = useState(() => new DepartureNotes(room.info?.settings.locked ?? false));
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [busy, setBusy] = useState<{ mic?: boolean; cam?: boolean; screen?: boolean }>({});
  /** The share picked in the switcher (null: the newest). */
  const [pickedShare, setPickedShare] = useState<string | null>(null);
  const [stageRef, stageSize] = useElementSize<HTMLDivElement>();
  const [page, setPage] = useState(0);
  const [view, setView] = useState<MeetingView>(loadView);
  const [pinned, setPinned] = useState<string | null>(null);
  /** Who the speaker view showed large last: it stays there while nobody speaks. */
  const lastFocus = useRef<string | null>(null);
  const toastTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [unread, setUnread] = useState(0);
  const [floating, setFloating] = useState<readonly FloatingReaction[]>([]);
  // The chat listener below is set up once per room; it reads the open panel through this.
  const panelNow = useRef(panel);
  panelNow.current = panel;

  const say = (text: string) => {
    setToast(text);
    clearTimeout(toastTimer.current);
    toastTimer.current = setTimeout(() => setToast(null), 3500);
  };

  useEffect(() => {
    const offs = [
      room.events.on('participant-joined', (p) => {
        if (isArrival(room.connectionState)) say(text.joinedToast(p.name));
      }),
      room.events.on('participant-left', (p) => say(notes.left(p.id, p.name))),
      room.events.on('error', (e) => {
        if (e.code === 'ice-failed' || e.code === 'negotiation-failed' || e.code === 'resume-failed') return say(text.reconnectingToast);
        const refusal = actionErrorToast(e);
        if (refusal) say(refusal);
      }),
      room.events.on('force-muted', ({ byName, kinds }) => say(text.forceMuted(byName, kinds))),
      room.events.on('room-updated', (info) => {
        const locked = notes.settingsChanged(info.settings.locked);
        if (locked) say(locked);
        if (info.id !== shownId) say(text.linkRotated(info.link));
        shownId = info.id;
      }),
      room.events.on('unmute-requested', ({ kind, byName }) => setUnmuteAsk({ kind, byName })),
      room.events.on('report-received', () => say(text.reportSent)),
      room.events.on('chat', (message) => {
        if (message.from === room.self?.id || panelNow.current === 'chat') return;
        setUnread((n) => n + 1);
        say(text.chatNewMessage(message.fromName));
      }),
      room.events.on('hands', (queue) => {
        const raised = queue.find((id) => !shownHands.has(id) && id !== room.self?.id);
        const name = raised === undefined ? undefined : room.participants.get(raised)?.name;
        if (name !== undefined) say(text.handRaisedToast(name));
        shownHands = new Set(queue);
      }),
      room.events.on('screen-share-stopped', ({ byName }) => say(text.screenShareStoppedBy(byName))),
      room.events.on('participant-updated', (p) => {
        const shared = sharesHere(p, room.myBreakout);
        if (shared && !shownSharers.has(p.id)) say(text.screenShareStartedToast(p.name));
        if (shared) shownSharers.add(p.id);
        else shownSharers.delete(p.id);
      }),
      room.events.on('polls', (polls) => {
        const fresh = newPolls(shownPolls, polls).filter((poll) => !poll.closed);
        for (const poll of polls) shownPolls.add(poll.id);
        const first = fresh[0];
        if (first && panelNow.current !== 'polls' && !room.isModerator) say(text.pollNewToast(first.createdBy, first.question));
      }),
      room.events.on('reaction', ({ from, emoji }) => {
        const key = ++reactionKey;
        setFloating((all) => [...all, { key, from, emoji }]);
        timers.add(setTimeout(() => setFloating((all) => all.filter((r) => r.key !== key)), REACTION_MS));
      }),
      room.events.on('e2ee', (state) => {
        const was = shownE2ee;
        shownE2ee = state.status;
        const newlyChanged = state.identityChanged.filter((id) => !shownIdentityChanges.has(id));
        for (const id of newlyChanged) shownIdentityChanges.add(id);
        const warning = identityChangedWarning(newlyChanged, (id) => room.participants.get(id)?.name);
        if (warning) say(warning);
        // While joining, the state settles as the participant list arrives: only later changes are news.
        if (!isArrival(room.connectionState)) return;
        // After the task that emitted it: the arrival toast of whoever changed it does not cover it, and
        // their name is in the participant list by then.
        timers.add(setTimeout(() => {
          const change = e2eeChangeToast(was, describeE2ee(room.e2ee, (id) => room.participants.get(id)?.name));
          if (change) say(change);
        }, 0));
      }),
      room.events.on('lobby', (waiting) => {
        const newest = waiting.at(-1);
        if (newest && !knownWaiting.has(newest.id)) say(text.waitingToast(newest.name));
        knownWaiting.clear();
        for (const entry of waiting) knownWaiting.add(entry.id);
      }),
    ];
    const knownWaiting = new Set(room.lobby.map((entry) => entry.id));
    let shownId = room.roomId;
    let shownHands = new Set(room.hands);
    const shownSharers = new Set([...room.participants.values()].filter((p) => p.screen === true).map((p) => p.id));
    const shownPolls = new Set(room.polls.map((poll) => poll.id));
    let shownE2ee = room.e2ee.status;
    const shownIdentityChanges = new Set(room.e2ee.identityChanged);
    let reactionKey = 0;
    /** Reaction and deferred toast timers, cleared when the meeting view goes. */
    const timers = new Set<ReturnType<typeof setTimeout>>();
    // Closing the tab should make us disappear for the others at once, not after the resume grace period.
    const onPageHide = () => room.leave();
    window.addEventListener('pagehide', onPageHide);
    return () => {
      offs.forEach((off) => off());
      window.removeEventListener('pagehide', onPageHide);
      clearTimeout(toastTimer.current);
      timers.forEach((timer) => clearTimeout(timer));
    };
  }, [room]);

  useEffect(() => {
    if (panel === 'chat') setUnread(0);
  }, [panel]);
  const breakouts = useBreakouts(room, say);

  const self = room.self;
  const remotes = [...room.participants.values()].sort((a, b) => a.joinedAt - b.joinedAt);
  // Breakout rooms separate media: tiles (and so video subscriptions) only for those in our room.
  const roomRemotes = roomMates(remotes, room.myBreakout);
  const showBreakouts = room.isModerator || room.breakouts !== null;
  // Alone in our room: in a breakout room, the others may all be elsewhere.
  const alone = roomRemotes.length === 0;
  const aloneInBreakout = alone && room.myBreakout !== null;
  const micOn = room.microphoneEnabled;
  const camOn = room.cameraEnabled;
  const selfName = self?.name ?? text.you;
  const inviteUrl = room.info?.link ?? null;
  const settings = room.info?.settings;
  const locked = settings?.locked === true;
  const lobbyCount = room.isModerator ? room.lobby.length : 0;
  const panelOpen = panel === 'people' || panel === 'chat' || panel === 'polls' || panel === 'notes' || (panel === 'settings' && room.isHost) || (panel === 'breakouts' && showBreakouts);
  const sharing = room.screenSharing;
  const pollsWaiting = awaitingVote(room.polls);
  const handOf = (id: string | undefined): number | null => handPosition(room.hands, id);
  const handRaised = handOf(self?.id) !== null;
  const reactionsOf = (id: string | undefined) => floating.filter((r) => r.from === id);
  const speakerId = room.activeSpeakerId;
  const e2eeView = describeE2ee(room.e2ee, (id) => room.participants.get(id)?.name);

  const toggleMic = async () => {
    setBusy((b) => ({ ...b, mic: true }));
    try {
      await room.setMicrophoneEnabled(!micOn);
    } catch (error) {
      say(text.microphoneError(mediaProblem(error)));
    } finally {
      setBusy((b) => ({ ...b, mic: false }));
    }
  };

  const toggleCamera = async () => {
    setBusy((b) => ({ ...b, cam: true }));
    try {
      await room.setCameraEnabled(!camOn);
    } catch (error) {
      say(text.cameraError(mediaProblem(error)));
    } finally {
      setBusy((b) => ({ ...b, cam: false }));
    }
  };

  const toggleScreenShare = async () => {
    if (room.screenSharing) return room.stopScreenShare();
    setBusy((b) => ({ ...b, screen: true }));
    try {
      // Tab or system audio where the browser offers it; the SDK shares without when there is none.
      await room.startScreenShare({ audio: true });
    } catch (error) {
      if (isCancel(error)) return;
      const words = error instanceof Error ? error.message : String(error);
      // The server refuses a second share while another is on: name who shares, in the active language.
      const sharer = [...room.participants.values()].find((p) => sharesHere(p, room.myBreakout))?.name ?? null;
      say(error instanceof ScreenShareError ? text.screenShareProblem(error.reason, words, sharer) : text.screenShareProblem('unavailable', words, null));
    } finally {
      setBusy((b) => ({ ...b, screen: false }));
    }
  };

  const copyInvite = async () => {
    if (inviteUrl) say((await copyText(inviteUrl)) ? text.roomLinkCopied : text.copyThisLink(inviteUrl));
  };

  const acceptUnmute = async () => {
    const ask = unmuteAsk;
    setUnmuteAsk(null);
    if (ask?.kind === 'audio' && !micOn) await toggleMic();
    if (ask?.kind === 'video' && !camOn) await toggleCamera();
  };

  const checkSent = (sent: boolean) => sayIfUnsent(sent, say);

  const endForAll = () => {
    if (confirm(text.confirmEndForAll)) checkSent(room.endMeeting());
  };

  const togglePanel = (view: Exclude<PanelView, null>) => setPanel((open) => (open === view ? null : view));

  const enableAudio = async () => {
    if (await resumeAllAudio()) setAudioBlocked(false);
  };

  const selfTile = () => (
    <Tile
      label={text.you}
      name={selfName}
      role={self?.role ?? 'guest'}
      media={{ audio: micOn, video: camOn }}
      videoTrack={room.localVideoTrack}
      speaking={speakerId !== null && speakerId === self?.id}
      handPosition={handOf(self?.id)}
      reactions={reactionsOf(self?.id)}
      self
    />
  );

  // While anyone shares a screen, the newest share (or the one picked) is large and the cameras go to a strip.
  const shareIds = useScreenShares(room).filter((id) => id === self?.id || inRoom(room.participants.get(id) ?? {}, room.myBreakout));
  const shares: Share[] = shareIds.map((id) =>
    id === self?.id
      ? { id, name: selfName, track: room.localScreenTrack, self: true }
      : { id, name: room.participants.get(id)?.name ?? '', track: room.participants.get(id)?.screenTrack ?? null, self: false },
  );
  // A shared video takes the large place like a share, last in the switcher.
  const sharedVideo = room.sharedVideo;
  const stageIds = sharedVideo ? [...shareIds, SHARED_VIDEO_ID] : shareIds;
  const presenting = stageIds.length > 0;
  const shownShareId = shownShare(stageIds, pickedShare);

  // The speaker view, when chosen and nothing is shared or drawn: one person large, the others in the strip.
  const pinnedHere = pinned !== null && roomRemotes.some((p) => p.id === pinned) ? pinned : null;
  const focusId = view === 'speaker' && !presenting && !whiteboardOpen ? focusOf(roomRemotes.map((p) => p.id), pinnedHere, speakerId, lastFocus.current) : null;
  if (focusId !== null) lastFocus.current = focusId;
  const focus = focusId === null ? undefined : room.participants.get(focusId);
  const stripRemotes = focus === undefined ? roomRemotes : roomRemotes.filter((p) => p !== focus);
  const togglePin = (id: string) => {
    if (pinnedHere === id) return setPinned(null);
    setPinned(id);
    chooseView('speaker');
  };
  const chooseView = (next: MeetingView) => {
    setView(next);
    saveView(next);
    if (next === 'grid') setPinned(null);
  };

  // Pages of remote tiles; one place on every page is the self view, so it never covers anyone.
  const aspect = aspectFor(stageSize.width, stageSize.height);
  const stripped = presenting || whiteboardOpen || focus !== undefined;
  const placesFor = (height: number) => (stripped ? presenterLayout(stageSize.width, height, GAP).perStrip : tilesPerPage(stageSize.width, height, GAP));
  let perPage = Math.max(1, placesFor(stageSize.height) - 1);
  let gridHeight = stageSize.height;
  if (stripRemotes.length > perPage) {
    gridHeight = Math.max(0, stageSize.height - PAGER_HEIGHT);
    perPage = Math.max(1, placesFor(gridHeight) - 1);
  }
  const presenter = presenterLayout(stageSize.width, gridHeight, GAP);
  const pages = pageCount(stripRemotes.length, perPage);
  const currentPage = Math.min(page, pages - 1);
  const shownIds = pageItems(stripRemotes.map((p) => p.id), perPage, currentPage, speakerId);
  const shown = shownIds.flatMap((id) => room.participants.get(id) ?? []);
  // Video for the tiles on this page only, the one shown large or else the active speaker first; cameras that are off need none.
  const wanted = shown.filter((p) => p.media.video).map((p) => p.id);
  const speakerAt = speakerId === null ? -1 : wanted.indexOf(speakerId);
  if (speakerAt > 0) wanted.unshift(...wanted.splice(speakerAt, 1));
  if (focus?.media.video) wanted.unshift(focus.id);
  const measure = useVideoSubscriptions(room, wanted);

  const grid: GridLayout = gridLayout(shown.length + 1, stageSize.width, gridHeight, GAP, aspect);
  const gridStyle = {
    gridTemplateColumns: `repeat(${grid.columns}, ${grid.width}px)`,
    gridAutoRows: `${grid.height}px`,
  };

  const remoteTile = (p: Participant) => (
    <Tile
      key={p.id}
      label={p.name}
      name={p.name}
      role={p.role}
      media={p.media}
      videoTrack={p.videoTrack}
      videoPaused={p.videoPaused}
      speaking={speakerId === p.id}
      participantId={p.id}
      tileRef={measure(p.id)}
      class={p.name === SMALL_TILE ? 'tile-small' : ''}
      handPosition={handOf(p.id)}
      reactions={reactionsOf(p.id)}
      pin={{ pinned: pinnedHere === p.id, onToggle: () => togglePin(p.id) }}
    />
  );
  const cameraTiles = [...shown.map(remoteTile), <Fragment key="self">{selfTile()}</Fragment>];

  return (
    <Toast.Provider value={say}>
    <Removing.Provider value={(id) => notes.removing(id)}>
    <div class={`meeting ${panelOpen ? 'with-panel' : ''}`}>
      <header class="topbar">
        <h1 class="room-title">{title || text.meeting}</h1>
        <div class="topbar-end">
          <BreakoutBadge room={room} onOpen={() => setPanel('breakouts')} />
          <EncryptionStatus view={e2eeView} onOpen={() => setSecurity({ focus: null })} />
          {room.isModerator ? (
            <button type="button" class={`lock-toggle ${locked ? 'locked' : ''}`} aria-pressed={locked} onClick={() => checkSent(room.updateSettings({ locked: !locked }))}>
              {locked ? <LockIcon size={16} /> : <UnlockIcon />}
              <span>{locked ? text.unlockMeeting : text.lockMeeting}</span>
            </button>
          ) : (
            locked && (
              <span class="lock-indicator" role="status" aria-label={text.lockedIndicator}>
                <LockIcon size={16} />
                {text.locked}
              </span>
            )
          )}
          {/* Up here, not in the toolbar: on a phone the toolbar already wraps, and every row of it is taken from the tiles. */}
          <button type="button" class="view-toggle" aria-label={text.speakerView} title={text.speakerView} aria-pressed={view === 'speaker'} onClick={() => chooseView(view === 'speaker' ? 'grid' : 'speaker')}>
            <SpeakerViewIcon />
          </button>
          <ConnectionStatus state={room.connectionState} />
        </div>
      </header>

      <div class="stage" ref={stageRef}>
        {whiteboardOpen ? (
          <WhiteboardStage room={room} title={title} layout={presenter} gap={GAP}>
            {cameraTiles}
          </WhiteboardStage>
        ) : presenting ? (
          <PresenterStage
            shares={shares}
            video={sharedVideo && (
              <SharedVideoTile
                video={sharedVideo}
                moderator={room.isModerator}
                onChange={({ action, position }) =>
                  checkSent(action === 'play' ? room.playSharedVideo(position) : action === 'pause' ? room.pauseSharedVideo(position) : room.seekSharedVideo(position))
                }
                onStop={() => checkSent(room.stopSharedVideo())}
                width={presenter.screen.width}
                height={presenter.screen.height}
              />
            )}
            shownId={shownShareId}
            onPick={setPickedShare}
            layout={presenter}
            gap={GAP}
          >
            {cameraTiles}
          </PresenterStage>
        ) : focus ? (
          <SpeakerStage focus={remoteTile(focus)} layout={presenter} gap={GAP}>
            {cameraTiles}
          </SpeakerStage>
        ) : (
          <div class="grid" style={gridStyle}>
            {cameraTiles}
          </div>
        )}
        {pages > 1 && <Pager page={currentPage} pages={pages} onPage={setPage} />}
        {alone && !presenting && !whiteboardOpen && (
          <div class="waiting">
            <p class="waiting-title">{aloneInBreakout ? text.aloneInBreakoutTitle : text.aloneTitle}</p>
            {aloneInBreakout ? <p class="muted">{text.aloneInBreakoutHint}</p> : inviteUrl && <p class="muted">{text.aloneHint}</p>}
            {!aloneInBreakout && inviteUrl && <p class="mono small-link">{inviteUrl}</p>}
          </div>
        )}
      </div>

      {panel === 'people' && <ParticipantList room={room} onClose={() => setPanel(null)} onVerify={(id) => setSecurity({ focus: id })} />}
      {panel === 'chat' && <ChatPanel room={room} title={title} onClose={() => setPanel(null)} />}
      {panel === 'polls' && <PollsPanel room={room} onClose={() => setPanel(null)} />}
      {panel === 'notes' && <NotesPanel room={room} title={title} onClose={() => setPanel(null)} />}
      {panel === 'breakouts' && showBreakouts && <BreakoutPanel room={room} onJoin={breakouts.join} onClose={() => setPanel(null)} />}
      {panel === 'settings' && room.isHost && <SettingsPanel room={room} hostSecret={hostSecret} onClose={() => setPanel(null)} />}

      <footer class="toolbar" aria-label={text.meetingControls}>
        <div class="toolbar-group">
          <button type="button" class={`round ${micOn ? '' : 'off'}`} aria-label={micOn ? text.muteMicrophone : text.unmuteMicrophone} title={micOn ? text.muteMicrophone : text.unmuteMicrophone} onClick={toggleMic} disabled={busy.mic}>
            {micOn ? <MicIcon /> : <MicOffIcon />}
          </button>
          <button type="button" class={`round ${camOn ? '' : 'off'}`} aria-label={camOn ? text.turnCameraOff : text.turnCameraOn} title={camOn ? text.turnCameraOff : text.turnCameraOn} onClick={toggleCamera} disabled={busy.cam}>
            {camOn ? <CameraIcon /> : <CameraOffIcon />}
          </button>
          {CAN_SHARE_SCREEN && (
            <button
              type="button"
              class={`round ${sharing ? 'active' : ''}`}
              aria-label={sharing ? text.stopSharing : text.shareScreen}
              title={sharing ? text.stopSharing : text.shareScreen}
              aria-pressed={sharing}
              onClick={() => void toggleScreenShare()}
              disabled={busy.screen}
            >
              <ScreenShareIcon />
            </button>
          )}
          {room.isModerator && (
            <button type="button" class={`round ${sharedVideo ? 'active' : ''}`} aria-label={text.shareVideo} title={text.shareVideo} onClick={() => setChoosingVideo(true)}>
              <PlayVideoIcon />
            </button>
          )}
          {inviteUrl && (
            <button type="button" class="round" aria-label={text.copyRoomLink} title={text.copyRoomLink} onClick={copyInvite}>
              <LinkIcon />
            </button>
          )}
          <PanelButton open={panel === 'people'} label={text.participants} title={text.participants} controls="participants-panel" onToggle={() => togglePanel('people')}>
            <PeopleIcon />
            <span class="count-badge" aria-hidden="true">
              {remotes.length + 1}
            </span>
            {lobbyCount > 0 && (
              // Announced by the "is waiting to join" toast; the button keeps its plain name.
              <span class="count-badge lobby-badge" aria-hidden="true" title={text.lobbyWaitingCount(lobbyCount)}>
                {lobbyCount}
              </span>
            )}
          </PanelButton>
          <PanelButton open={panel === 'chat'} label={unread > 0 ? text.chatWithUnread(unread) : text.chat} title={text.chat} controls="chat-panel" onToggle={() => togglePanel('chat')}>
            <ChatIcon />
            {unread > 0 && (
              <span class="count-badge unread-badge" aria-hidden="true">
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </PanelButton>
          <button
            type="button"
            class={`round ${handRaised ? 'active' : ''}`}
            aria-label={handRaised ? text.lowerYourHand : text.raiseHand}
            title={handRaised ? text.lowerYourHand : text.raiseHand}
            aria-pressed={handRaised}
            onClick={() => checkSent(room.raiseHand(!handRaised))}
          >
            <HandIcon />
          </button>
          <ReactionPicker onReact={(emoji) => checkSent(room.react(emoji))} />
          <PanelButton
            open={panel === 'polls'}
            label={text.polls}
            describedBy={pollsWaiting > 0 ? 'polls-waiting' : undefined}
            title={text.polls}
            controls="polls-panel"
            onToggle={() => togglePanel('polls')}
          >
            <PollIcon />
            {pollsWaiting > 0 && (
              <span class="count-badge unread-badge">
                <span aria-hidden="true">{pollsWaiting}</span>
                <span id="polls-waiting" class="visually-hidden">
                  {text.pollsWaiting(pollsWaiting)}
                </span>
              </span>
            )}
          </PanelButton>
          <PanelButton open={panel === 'notes'} label={notesUnseen ? text.notesChanged : text.notes} title={text.notes} controls="notes-panel" onToggle={() => togglePanel('notes')}>
            <NotesIcon />
            {notesUnseen && <span class="activity-dot" aria-hidden="true" />}
          </PanelButton>
          <button type="button" class={`round ${whiteboardOpen ? 'active' : ''}`} aria-label={boardUnseen ? text.whiteboardChanged : text.whiteboard} title={text.whiteboard} aria-pressed={whiteboardOpen} onClick={() => setWhiteboardOpen((open) => !open)}>
            <WhiteboardIcon />
            {boardUnseen && <span class="activity-dot" aria-hidden="true" />}
          </button>
          {showBreakouts && (
            <PanelButton open={panel === 'breakouts'} label={text.breakoutRooms} title={text.breakoutRooms} controls="breakouts-panel" onToggle={() => togglePanel('breakouts')}>
              <BreakoutIcon />
            </PanelButton>
          )}
          {room.isHost && (
            <PanelButton open={panel === 'settings'} label={text.settings} title={text.settings} controls="settings-panel" onToggle={() => togglePanel('settings')}>
              <SettingsIcon />
            </PanelButton>
          )}
          <button type="button" class="round" aria-label={text.reportRoom} title={text.reportRoom} onClick={() => setReporting(true)}>
            <FlagIcon />
          </button>
        </div>
        <button type="button" class="leave" aria-label={text.leave} title={text.leaveTitle} onClick={() => room.leave()}>
          <LeaveIcon />
          <span class="leave-text" aria-hidden="true">
            {text.leave}
          </span>
        </button>
        {room.isHost && (
          <button type="button" class="leave end-all" onClick={endForAll}>
            {text.endForAll}
          </button>
        )}
      </footer>

      {reporting && (
        <ReportDialog
          onClose={() => setReporting(false)}
          onSend={(reason, details) => {
            // The server confirms with report-received (toast below) or refuses with an error event.
            return room.report(reason, details);
          }}
        />
      )}
      {choosingVideo && <ShareVideoDialog onShare={(url) => room.shareVideo(url)} onClose={() => setChoosingVideo(false)} />}
      {security && <SecurityDialog room={room} focus={security.focus} onClose={() => setSecurity(null)} />}
      {unmuteAsk && <UnmutePrompt kind={unmuteAsk.kind} byName={unmuteAsk.byName} onAccept={() => void acceptUnmute()} onDismiss={() => setUnmuteAsk(null)} />}

      {audioBlocked && (
        <button type="button" class="audio-unlock" onClick={enableAudio}>
          <SpeakerIcon /> {text.enableAudio}
        </button>
      )}
      {breakouts.broadcast && <BroadcastBanner broadcast={breakouts.broadcast} onDismiss={breakouts.dismiss} />}
      <div class="toast-region" aria-live="polite">
        {toast && <div class="toast">{toast}</div>}
      </div>
      <div class="audio-sinks" aria-hidden="true">
        {/* One element per audio slot: the loudest speakers, whether or not their tiles are on this page. */}
        {room.audioTracks.map((track) => <Audio key={track.id} track={track} onBlocked={() => setAudioBlocked(true)} />)}
      </div>
    </div>
    </Removing.Provider>
    </Toast.Provider>
  );
}
