import {
  PROTOCOL_VERSION,
  type ChatMessage,
  type E2eeIdentity,
  type Reaction,
  type ErrorCode,
  type LobbyEntry,
  type MediaKind,
  type MediaSource,
  type MediaState,
  type ParticipantInfo,
  type Poll,
  type SharedVideoState,
  type BreakoutState,
  type ReportReason,
  type Role,
  type RoomInfo,
  type RoomSettingsUpdate,
  type ServerMessage,
  type VideoSubscription,
} from '@treff/protocol';
import { getTrack } from './devices.js';
import { E2eeSession, type ChatEntry, type E2eeState } from './e2ee/e2ee-session.js';
import { emptyStats, type E2eeStats } from './e2ee/frame-messages.js';
import { createFrameEncryption, detectE2eeCapability, type FrameEncryption } from './e2ee/media-encryption.js';
import { Emitter } from './events.js';
import { TERMINAL_JOIN_ERRORS } from './join-errors.js';
import { MediaSession, type RemoteTrackEvent } from './media-session.js';
import { lobbyMessage, muteMessage, removeMessage, reportMessage, requestUnmuteMessage, setRoleMessage, updateSettingsMessage, type Targets } from './moderation.js';
import { isHostRole, isModeratorRole } from './roles.js';
import type { Actor, ConnectionState, EndReason, JoinMedia, Participant, RoomError, RoomEvents, RoomOptions } from './room-types.js';
import { closePollMessage, createPollMessage, voteMessage, withPoll, type NewPoll } from './polls.js';
import { ScreenShare, ScreenShareError } from './screen-share.js';
import { changeMessage, sameVideo, shareVideoMessage, stopVideoMessage, type SharedVideo } from './shared-video.js';
import { assignBreakoutMessage, breakoutsNews, broadcastMessage, closeBreakoutsMessage, joinBreakoutMessage, openBreakoutsMessage, type Breakouts, type NewBreakouts } from './breakouts.js';
import { SerialQueue } from './serial-queue.js';
import { SharedDocs } from './shared-docs.js';
import { chatMessage, reactionMessage } from './together.js';
import { globalTimers, SignalClient, type Timers } from './signal-client.js';
import { normalizeSubscriptions, SubscriptionSender } from './video-subscriptions.js';

export type { Actor, ConnectionState, EndReason, JoinMedia, Participant, RoomError, RoomErrorCode, RoomEvents, RoomOptions, TrackEvent } from './room-types.js';

/** Rejoins in a row (without connecting in between) after which we give up. */
const MAX_RECOVERIES = 2;

/**
 * A meeting from one participant's point of view: the public face of the SDK. It joins over the
 * signaling socket, publishes the given tracks, surfaces everyone else's, and rides out dropped
 * sockets by resuming the session while the PeerConnection keeps carrying media.
 */
export class Room {
  readonly events = new Emitter<RoomEvents>();
  /** The meeting's shared notes and whiteboard (docs/shared-docs.md). */
  readonly docs: SharedDocs;
  readonly #options: RoomOptions;
  readonly #participants = new Map<string, Participant>();
  readonly #localOps = new SerialQueue();
  readonly #subscriptions: SubscriptionSender;
  #signal: SignalClient | null = null;
  #media: MediaSession | null = null;
  #info: RoomInfo | null = null;
  /** The id to resume with: a rotated link gives the room a new one. */
  #roomId: string;
  #lobby: readonly LobbyEntry[] = [];
  #chat: ChatEntry[] = [];
  /** Sealed chat opens asynchronously; messages still appear in arrival order. */
  readonly #chatQueue = new SerialQueue();
  readonly #frames: FrameEncryption | null;
  readonly #e2ee: E2eeSession;
  /** Counts socket opens, so a join that waited for our identity is not sent on a socket that has since closed. */
  #opens = 0;
  #hands: readonly string[] = [];
  #polls: readonly Poll[] = [];
  #sharedVideo: SharedVideo | null = null;
  #breakouts: Breakouts | null = null;
  readonly #screen: ScreenShare;
  #waiting = false;
  /** We waited in the lobby and lost the socket: reconnecting knocks again. */
  #knocked = false;
  #self: ParticipantInfo | null = null;
  #resumeToken: string | null = null;
  #activeSpeakerId: string | null = null;
  /** Participants whose camera the server holds back for our downlink (`video-paused`). */
  #pausedVideo = new Set<string>();
  #local: Record<MediaKind, MediaStreamTrack | null> = { audio: null, video: null };
  #micEnabled = false;
  #lastDevice: Partial<Record<MediaKind, string>> = {};
  #state: ConnectionState = 'disconnected';
  #joined = false;
  #socketDown = false;
  /** Kinds toggled while the server could not be told; the resume reconciles them (see #reconcileMedia). */
  #unsentToggles = new Set<MediaKind>();
  #ended = false;
  #recoveries = 0;
  /** Candidates gathered while the socket was down; still valid for the kept PeerConnection. */
  #pendingCandidates: { candidate: string; mid: string }[] = [];
  #pendingJoin: { resolve: (self: ParticipantInfo) => void; reject: (error: Error) => void } | null = null;

  constructor(options: RoomOptions) {
    this.#options = options;
    this.#roomId = options.roomId;
    const enabled = options.e2ee !== false;
    const onError = (message: string) => this.#emitError({ code: 'e2ee-failed', message: `End-to-end encryption failed: ${message}`, fatal: false });
    this.#frames = enabled ? (options.createFrameEncryption ?? createFrameEncryption)({ onError }) : null;
    this.#e2ee = new E2eeSession({
      frames: this.#frames,
      supported: this.#frames !== null || (!enabled && detectE2eeCapability() !== null),
      enabled,
      send: (message) => this.#joined && this.#signal !== null && this.#signal.send(message),
    });
    this.#e2ee.events.on('state', (state) => {
      if (!this.#ended) this.events.emit('e2ee', state);
    });
    this.#screen = new ScreenShare({
      send: (message) => this.#sendModeration(message),
      publish: (video, audio) => {
        void this.#media?.setLocalTrack('video', video, 'screen').catch(() => undefined);
        void this.#media?.setLocalTrack('audio', audio, 'screen').catch(() => undefined);
      },
      changed: (sharing) => {
        if (!this.#ended) this.events.emit('screen-share', { sharing });
      },
    });
    this.#subscriptions = new SubscriptionSender({
      timers: this.#timers(),
      send: (video) => this.#joined && this.#signal !== null && this.#signal.send({ type: 'subscribe', video }),
    });
    // Global timers, not the connection's test seam: documents' windows (50 ms, 2 s, 3 s) are their own.
    this.docs = new SharedDocs({ e2ee: this.#e2ee, send: (message) => this.#joined && this.#signal !== null && this.#signal.send(message) });
  }

  /** The room's current id (it changes when a host rotates the link). */
  get roomId(): string {
    return this.#roomId;
  }

  /** Room id, title, settings and link (null when we may not share it), once joined. */
  get info(): RoomInfo | null {
    return this.#info;
  }

  /** Hosts and co-hosts: who waits in the lobby, oldest first (empty for everyone else). */
  get lobby(): readonly LobbyEntry[] {
    return this.#lobby;
  }

  /** The meeting's chat as we may read it (public messages and our private ones), oldest first. */
  get chat(): readonly ChatEntry[] {
    return this.#chat;
  }

  /** Whether our media and chat are end-to-end encrypted now, and if not, who keeps them from it (event `e2ee`). */
  get e2ee(): E2eeState {
    return this.#e2ee.state;
  }

  /**
   * The safety code of our pair of identity keys with a participant: the same on both sides unless someone
   * (e.g. the server) substituted a key. Null when they or we do not encrypt.
   */
  safetyCode(participantId: string): Promise<string | null> {
    return this.#e2ee.safetyCode(participantId);
  }

  /** What the frame encryption did so far (all zeros when this browser does not encrypt). */
  e2eeStats(): Promise<E2eeStats> {
    return this.#frames ? this.#frames.stats() : Promise.resolve(emptyStats());
  }

  /** Raised hands: participant ids (ours too) in the order they were raised. */
  get hands(): readonly string[] {
    return this.#hands;
  }

  /** The meeting's polls as we see them (our own choices included), oldest first; event `polls`. */
  get polls(): readonly Poll[] {
    return this.#polls;
  }

  /**
   * The video everyone watches together, or null; event `shared-video`. Its `position` was current at
   * `receivedAt` (performance.now()): `currentPosition()` gives where playback is now.
   */
  get sharedVideo(): SharedVideo | null {
    return this.#sharedVideo;
  }

  /** The open breakout rooms, or null; event `breakouts`. `remainingMs()` gives the time left now. */
  get breakouts(): Breakouts | null {
    return this.#breakouts;
  }

  /** The breakout room we are in (null: the main room); a move comes with `self-updated`. */
  get myBreakout(): string | null {
    return this.#self?.breakout ?? null;
  }

  /** We are sharing our screen (the server has accepted it); event `screen-share`. */
  get screenSharing(): boolean {
    return this.#screen.sharing;
  }

  /** What we share (the captured screen, window or tab) while sharing or about to. */
  get localScreenTrack(): MediaStreamTrack | null {
    return this.#screen.videoTrack;
  }

  get isHost(): boolean {
    return isHostRole(this.#self?.role);
  }

  /** Host or co-host: may admit, mute, remove and lock. */
  get isModerator(): boolean {
    return isModeratorRole(this.#self?.role);
  }

  /** This participant as the server knows it, with media reflecting the local toggles; null before joining. */
  get self(): ParticipantInfo | null {
    return this.#self;
  }

  /** Everyone else in the room, by participant id. */
  get participants(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  get activeSpeakerId(): string | null {
    return this.#activeSpeakerId;
  }

  /**
   * Every receiving audio track, one per audio slot, whoever it carries now. The server sends only the
   * loudest few speakers, who need not be among the tiles shown: play all of these (e.g. one hidden
   * `<audio>` each) rather than audio per participant, and nothing is cut off when a slot switches.
   * Screen shares' sound comes on slots of its own, also listed here.
   */
  get audioTracks(): readonly MediaStreamTrack[] {
    return this.#media?.remoteTracks('audio') ?? [];
  }

  /** The tiles last given to `setVideoSubscriptions` (null: never called). */
  get videoSubscriptions(): readonly VideoSubscription[] | null {
    return this.#subscriptions.wanted;
  }

  get localAudioTrack(): MediaStreamTrack | null {
    return this.#local.audio;
  }

  get localVideoTrack(): MediaStreamTrack | null {
    return this.#local.video;
  }

  get microphoneEnabled(): boolean {
    return this.#micEnabled && this.#local.audio !== null;
  }

  get cameraEnabled(): boolean {
    return this.#local.video !== null;
  }

  /** Joins the room; resolves with this participant once the server has accepted the join. */
  join(media: JoinMedia = {}): Promise<ParticipantInfo> {
    if (this.#signal || this.#ended) return Promise.reject(new Error('join() can be called once per Room'));
    this.#adoptLocal('audio', media.audioTrack ?? null);
    this.#adoptLocal('video', media.videoTrack ?? null);
    this.#micEnabled = media.audioTrack?.enabled ?? false;
    const signal = new SignalClient({
      // The room in the URL lets a server of several processes send the socket to the one running the meeting.
      url: () => withRoom(this.#options.url, this.#roomId),
      ...(this.#options.createSocket ? { createSocket: this.#options.createSocket } : {}),
      ...(this.#options.timers ? { timers: this.#options.timers } : {}),
      ...(this.#options.backoff ? { backoff: this.#options.backoff } : {}),
    });
    this.#signal = signal;
    signal.events.on('open', () => this.#onSocketOpen());
    signal.events.on('message', (message) => this.#onMessage(message));
    signal.events.on('invalid-message', ({ error }) => this.#emitError({ code: 'invalid-message', message: `server sent an invalid message: ${error}`, fatal: false }));
    signal.events.on('disconnected', () => {
      this.#socketDown = true;
      // The server drops a knock with its socket; the fresh join on reconnect knocks again.
      if (this.#waiting) {
        this.#waiting = false;
        this.#knocked = true;
      }
      this.#updateState();
    });
    signal.events.on('gave-up', () => this.#fail({ code: 'signaling-unreachable', message: 'Lost the connection to the server.', fatal: true }));
    const joined = new Promise<ParticipantInfo>((resolve, reject) => {
      this.#pendingJoin = { resolve, reject };
    });
    this.#setState('connecting');
    signal.connect();
    return joined;
  }

  /** Leaves the room: tells the server, closes the connection and stops the local tracks. */
  leave(): void {
    if (this.#ended) return;
    this.#signal?.send({ type: 'leave' });
    this.#end({ reason: 'left' });
  }

  /**
   * Mutes by disabling the track (instant, no renegotiation); unmuting without a track opens the last used
   * microphone. After the Room has ended this does nothing (a given track is stopped: the Room owns it).
   */
  setMicrophoneEnabled(enabled: boolean, track?: MediaStreamTrack): Promise<void> {
    return this.#localOps.run(async () => {
      if (enabled) {
        const next = await this.#trackToUse('audio', track);
        if (!next) return;
        await this.#replace('audio', next);
      }
      if (this.#ended) return;
      this.#micEnabled = enabled;
      if (this.#local.audio) this.#local.audio.enabled = enabled;
      this.#publishMediaState();
    });
  }

  /** Turning the camera off releases it (the camera light goes out); turning it on opens `track` or the last used camera. */
  setCameraEnabled(enabled: boolean, track?: MediaStreamTrack): Promise<void> {
    return this.#localOps.run(async () => {
      if (enabled) {
        const next = await this.#trackToUse('video', track);
        if (!next) return;
        await this.#replace('video', next);
      } else {
        await this.#replace('video', null);
      }
      this.#publishMediaState();
    });
  }

  /** Switches microphone; the mute state is kept. */
  replaceAudioTrack(track: MediaStreamTrack): Promise<void> {
    return this.#localOps.run(async () => {
      if (!(await this.#trackToUse('audio', track))) return;
      track.enabled = this.#micEnabled;
      await this.#replace('audio', track);
      this.#publishMediaState();
    });
  }

  /** Switches camera; this also turns the camera on if it was off. */
  replaceVideoTrack(track: MediaStreamTrack): Promise<void> {
    return this.#localOps.run(async () => {
      if (!(await this.#trackToUse('video', track))) return;
      await this.#replace('video', track);
      this.#publishMediaState();
    });
  }

  /**
   * Says which participants' video to receive and how large: the tiles shown now, most important first,
   * each with its rendered size in device pixels (CSS pixels × `devicePixelRatio`). The server sends each
   * camera at the simulcast layer that fits, and nothing for people left out (off-page tiles cost nothing);
   * until the first call it sends every camera small. Call it whenever the tiles change; calls are
   * coalesced (one message per 100 ms at most), repeats are not sent, and the list is sent again after a
   * reconnect. Sizes are rounded and clamped, duplicates (after the first) and oneself are dropped, and
   * at most 100 tiles are kept.
   */
  setVideoSubscriptions(tiles: readonly VideoSubscription[]): void {
    if (this.#ended) return;
    this.#subscriptions.set(normalizeSubscriptions(tiles, this.#self?.id ?? null));
  }

  /** WebRTC statistics of this participant's PeerConnection (empty before the first offer). */
  getStats(): Promise<RTCStatsReport> {
    if (this.#media) return this.#media.getStats();
    return Promise.resolve(new Map() as unknown as RTCStatsReport);
  }

  // ---- moderation (hosts and co-hosts; the server refuses anyone else with a `forbidden` error event) ----
  // Each returns whether the message was sent (false while not joined or the socket is down).

  /** Lets people in from the lobby (`'all'`: everyone waiting now). */
  admit(ids: Targets): boolean {
    return this.#sendModeration(lobbyMessage('lobby-admit', ids));
  }

  /** Turns people in the lobby away; they are told so. */
  deny(ids: Targets): boolean {
    return this.#sendModeration(lobbyMessage('lobby-deny', ids));
  }

  /** Removes a participant at once, which also locks the room; with `ban` they stay out after an unlock. */
  remove(participantId: string, options: { ban?: boolean } = {}): boolean {
    return this.#sendModeration(removeMessage(participantId, options.ban === true));
  }

  /** Turns someone's (or everyone's but the moderators') microphone and/or camera off. Only they can turn it on again. */
  mute(participantId: string | 'all', kinds: readonly MediaKind[] = ['audio']): boolean {
    return this.#sendModeration(muteMessage(participantId, kinds));
  }

  /** Asks someone to turn their microphone or camera on; they decide. */
  requestUnmute(participantId: string, kind: MediaKind): boolean {
    return this.#sendModeration(requestUnmuteMessage(participantId, kind));
  }

  /** Hosts: makes someone host, co-host or guest; `handOver` with `host` makes us a guest. */
  setRole(participantId: string, role: Role, options: { handOver?: boolean } = {}): boolean {
    return this.#sendModeration(setRoleMessage(participantId, role, options.handOver === true));
  }

  /** Hosts change settings (co-hosts only `locked`); `room-updated` follows when the server applied it. */
  updateSettings(update: RoomSettingsUpdate): boolean {
    return this.#sendModeration(updateSettingsMessage(update));
  }

  /** Hosts: ends the meeting for everyone, ourselves included (`ended` with `meeting-ended` follows). */
  endMeeting(): boolean {
    return this.#sendModeration({ type: 'end-meeting' });
  }

  /** Anyone: reports the room to the server's operator (metadata only, never media). */
  report(reason: ReportReason, text?: string): boolean {
    return this.#sendModeration(reportMessage(reason, text));
  }

  // ---- together (everyone) ----

  /**
   * Sends a chat message to everyone, or with `to` privately to one participant. It shows up in `chat`
   * when the server echoes it. Throws RangeError for an empty or too long text; the server rate-limits.
   * While the meeting is end-to-end encrypted (or required to be) the text is sealed first, which takes
   * a moment: true then means it is on its way (an `error` event says if sealing failed).
   */
  sendChat(text: string, options: { to?: string } = {}): boolean {
    const message = chatMessage(text, options.to);
    if (!this.#e2ee.sealsChat) return this.#sendModeration(message);
    if (this.#ended || !this.#joined || !this.#signal) return false;
    const { to } = options;
    this.#e2ee.sealChat(text, to).then(
      (body) => this.#sendModeration({ type: 'chat', ...body, ...(to === undefined ? {} : { to }) }),
      (error: unknown) => this.#emitError({ code: 'e2ee-failed', message: `Could not encrypt the chat message: ${describe(error)}`, fatal: false }),
    );
    return true;
  }

  raiseHand(raised = true): boolean {
    return this.#sendModeration({ type: 'raise-hand', raised });
  }

  /** Hosts and co-hosts: lowers someone's hand. */
  lowerHand(participantId: string): boolean {
    return this.#sendModeration({ type: 'lower-hand', participantId });
  }

  /** One of REACTIONS (throws RangeError otherwise); the `reaction` event follows for everyone, us included. */
  react(emoji: Reaction | string): boolean {
    return this.#sendModeration(reactionMessage(emoji));
  }

  // ---- screen sharing ----

  /**
   * Opens the browser's picker (screen, window or tab; with `audio`, its sound where the browser offers
   * it) and shares what is picked. Resolves once the server has accepted; rejects with a
   * `ScreenShareError` (an Error whose message says why: cancelled, the server's refusal, not connected),
   * with everything captured already stopped. Sharing already: resolves at once.
   */
  startScreenShare(options: { audio?: boolean } = {}): Promise<void> {
    if (this.#ended || !this.#joined || !this.#signal) return Promise.reject(new ScreenShareError('not-connected', 'Not connected to the meeting.'));
    return this.#screen.start(options.audio === true);
  }

  /** Stops our screen share (or the start in progress, which then rejects). */
  stopScreenShare(): void {
    this.#screen.stop();
  }

  /** Hosts and co-hosts: stops someone's screen share. */
  stopScreenShareOf(participantId: string): boolean {
    return this.#sendModeration({ type: 'stop-screen-share', participantId });
  }

  // ---- polls (not end-to-end encrypted: the server counts the votes) ----

  /** Hosts and co-hosts. Throws RangeError for an empty question, fewer than 2 or more than 10 options, or overlong texts. */
  createPoll(poll: NewPoll): boolean {
    return this.#sendModeration(createPollMessage(poll));
  }

  /** Votes once: option indexes, exactly one unless the poll is multiple choice (RangeError otherwise). */
  vote(pollId: string, choices: readonly number[]): boolean {
    return this.#sendModeration(voteMessage(pollId, choices, this.#polls.find((p) => p.id === pollId) ?? null));
  }

  /** Hosts and co-hosts: no more votes; the results stay visible. */
  closePoll(pollId: string): boolean {
    return this.#sendModeration(closePollMessage(pollId));
  }

  // ---- shared video (hosts and co-hosts; the URL is not end-to-end encrypted: the server relays it) ----

  /** Plays a video file (mp4, webm, …) from an http(s) URL for everyone, from the start; RangeError for another URL. */
  shareVideo(url: string): boolean {
    return this.#sendModeration(shareVideoMessage(url));
  }

  /** Plays the shared video for everyone from `position` seconds; false when there is none. */
  playSharedVideo(position: number): boolean {
    return this.#sendVideoChange(true, position);
  }

  /** Pauses the shared video for everyone at `position` seconds; false when there is none. */
  pauseSharedVideo(position: number): boolean {
    return this.#sendVideoChange(false, position);
  }

  /** Moves the shared video to `position` seconds for everyone, playing or paused as it is; false when there is none. */
  seekSharedVideo(position: number): boolean {
    return this.#sendVideoChange(this.#sharedVideo?.playing ?? false, position);
  }

  /** Stops the shared video for everyone. */
  stopSharedVideo(): boolean {
    return this.#sendModeration(stopVideoMessage);
  }

  // ---- breakout rooms (media, active speaker and public chat are per room; see docs/breakouts.md) ----

  /** Hosts and co-hosts: opens 1–50 rooms; RangeError for no rooms, empty or overlong names, or a bad timer. */
  openBreakouts(o: NewBreakouts): boolean {
    return this.#sendModeration(openBreakoutsMessage(o));
  }

  /** Hosts and co-hosts: puts someone in a breakout room (null: the main room) and moves them there now. */
  assignBreakout(participantId: string, breakoutId: string | null): boolean {
    return this.#sendModeration(assignBreakoutMessage(participantId, breakoutId));
  }

  /** Moves us: to the main room (null) or our assigned room always, to another one when self-select allows. */
  joinBreakout(breakoutId: string | null): boolean {
    return this.#sendModeration(joinBreakoutMessage(breakoutId));
  }

  /** Hosts and co-hosts: a message to everyone in every room (event `breakout-message`); RangeError for empty or overlong text. */
  broadcastToBreakouts(text: string): boolean {
    return this.#sendModeration(broadcastMessage(text));
  }

  /** Hosts and co-hosts: everyone back to the main room, the breakout rooms gone. */
  closeBreakouts(): boolean {
    return this.#sendModeration(closeBreakoutsMessage);
  }

  #setBreakouts(state: BreakoutState | null): void {
    // The fresh time left is always kept; an app hears of it only when something it shows changed.
    const now = performance.now();
    const news = breakoutsNews(this.#breakouts, state, now);
    this.#breakouts = state === null ? null : { ...state, receivedAt: now };
    if (news) this.events.emit('breakouts', this.#breakouts);
  }

  #sendVideoChange(playing: boolean, position: number): boolean {
    const message = changeMessage(this.#sharedVideo, playing, position);
    return message !== null && this.#sendModeration(message);
  }

  #setSharedVideo(video: SharedVideoState | null): void {
    if (sameVideo(this.#sharedVideo, video)) return;
    this.#sharedVideo = video === null ? null : { ...video, receivedAt: performance.now() };
    this.events.emit('shared-video', this.#sharedVideo);
  }

  #setPolls(polls: readonly Poll[]): void {
    if (polls.length === 0 && this.#polls.length === 0) return;
    this.#polls = polls;
    this.events.emit('polls', polls);
  }

  #sendModeration(message: Parameters<SignalClient['send']>[0]): boolean {
    if (this.#ended || !this.#joined || !this.#signal) return false;
    return this.#signal.send(message);
  }

  // ---- signaling ----

  #onSocketOpen(): void {
    const signal = this.#signal;
    if (!signal || this.#ended) return;
    const self = this.#self;
    if (self && this.#resumeToken && this.#media) {
      signal.send({ type: 'resume', v: PROTOCOL_VERSION, roomId: this.#roomId, participantId: self.id, resumeToken: this.#resumeToken });
      return;
    }
    this.#media ??= this.#createMediaSession();
    if (!this.#e2ee.announces) {
      this.#sendJoin(signal, null);
      return;
    }
    const opened = ++this.#opens;
    void this.#e2ee.identity().then((identity) => {
      if (opened === this.#opens && !this.#ended && signal.isOpen) this.#sendJoin(signal, identity);
    });
  }

  #sendJoin(signal: SignalClient, e2ee: E2eeIdentity | null): void {
    const { name, hostSecret, password, inviteToken, memberToken, deviceId } = this.#options;
    signal.send({
      type: 'join',
      v: PROTOCOL_VERSION,
      roomId: this.#roomId,
      name,
      ...(hostSecret ? { hostSecret } : {}),
      ...(password ? { password } : {}),
      ...(inviteToken ? { inviteToken } : {}),
      ...(memberToken ? { memberToken } : {}),
      ...(deviceId ? { deviceId } : {}),
      ...(e2ee ? { e2ee } : {}),
      media: this.#mediaState(),
    });
  }

  #onMessage(message: ServerMessage): void {
    if (this.#ended) return;
    switch (message.type) {
      case 'joined': {
        this.#info = message.room;
        this.#roomId = message.room.id;
        this.#waiting = false;
        this.#knocked = false;
        this.#resumeToken = message.resumeToken;
        this.#joined = true;
        this.#socketDown = false;
        this.#self = { ...message.self, media: this.#mediaState() };
        this.#e2ee.joined(message.self, message.participants, message.room.settings.requireE2ee, message.resumed);
        this.docs.joined(message.self, message.participants, message.resumed);
        // A new media session starts with nothing held back; a resumed one is told the current list next.
        if (!message.resumed) this.#setPausedVideo([]);
        this.#reconcile(message.participants);
        this.#setActiveSpeaker(message.activeSpeakerId);
        this.#setChatHistory(message.chat ?? []);
        this.#setHands(message.hands ?? []);
        this.#setPolls(message.polls ?? []);
        this.#setSharedVideo(message.sharedVideo ?? null);
        this.#setBreakouts(message.breakouts ?? null);
        if (message.resumed) this.#screen.resumed(message.self.screen);
        if (message.resumed) {
          const pending = this.#pendingCandidates;
          this.#pendingCandidates = [];
          for (const c of pending) this.#signal?.send({ type: 'candidate', ...c });
          this.#reconcileMedia(message.self.media);
          this.#media?.resendSimulcastStreams();
        }
        this.#unsentToggles.clear();
        // A fresh join starts with the server's default (every camera small); a resume may have lost a change.
        this.#subscriptions.resend();
        this.events.emit('self-updated', this.#self);
        this.#updateState();
        const pending = this.#pendingJoin;
        this.#pendingJoin = null;
        pending?.resolve(this.#self);
        return;
      }
      case 'participant-joined':
      case 'participant-updated': {
        const info = message.participant;
        if (info.id === this.#self?.id) {
          this.#self = { ...info, media: this.#mediaState() };
          this.#screen.serverState(info.screen);
          // A demoted moderator no longer gets lobby updates; do not keep showing a stale list.
          if (!isModeratorRole(info.role)) this.#setLobby([]);
          this.events.emit('self-updated', this.#self);
          return;
        }
        this.#e2ee.participant(info);
        this.docs.participant(info);
        this.#upsert(info);
        return;
      }
      case 'participant-left':
        this.#e2ee.left(message.participantId);
        this.docs.left(message.participantId);
        this.#remove(message.participantId);
        return;
      case 'offer':
        this.#e2ee.slotSources(message.slots.flatMap((slot) => (slot.direction === 'recv' ? [{ mid: slot.mid, participantId: slot.participantId }] : [])));
        void this.#media?.handleOffer(message);
        return;
      case 'slot-sources':
        this.#e2ee.slotSources(message.sources);
        void this.#media?.setSources(message.sources);
        return;
      case 'send-layers':
        void this.#media?.setSendLayers(message.mid, message.rids);
        return;
      case 'candidate':
        this.#media?.addRemoteCandidate(message.candidate, message.mid).catch((err: unknown) => {
          this.#emitError({ code: 'candidate-failed', message: err instanceof Error ? err.message : String(err), fatal: false });
        });
        return;
      case 'active-speaker':
        this.#setActiveSpeaker(message.participantId);
        return;
      case 'video-paused':
        this.#setPausedVideo(message.participantIds);
        return;
      case 'error':
        this.#onServerError(message.code, message.message, message.fatal);
        return;
      case 'lobby-waiting':
        this.#waiting = true;
        this.#socketDown = false;
        this.#updateState();
        this.events.emit('lobby-waiting', message.room);
        return;
      case 'lobby':
        this.#setLobby(message.waiting);
        return;
      case 'room-updated':
        this.#info = message.room;
        this.#roomId = message.room.id;
        this.#e2ee.requireE2ee(message.room.settings.requireE2ee);
        this.events.emit('room-updated', message.room);
        return;
      case 'ended':
        this.#end({ reason: message.reason, message: message.message });
        return;
      case 'force-mute':
        this.#onForceMute(message.kinds, message.by);
        return;
      case 'report-received':
        this.events.emit('report-received', undefined);
        return;
      case 'unmute-requested':
        this.events.emit('unmute-requested', { kind: message.kind, ...this.#actor(message.by) });
        return;
      case 'chat-message': {
        const { type: _type, ...chat } = message;
        this.#addChat(chat);
        return;
      }
      case 'e2ee-key':
        this.#e2ee.keyReceived(message.from, message.sealed);
        return;
      case 'doc-update':
      case 'doc-sync-request':
      case 'doc-state':
        this.docs.receive(message);
        return;
      case 'e2ee-key-request':
        this.#e2ee.keyRequested(message.from);
        return;
      case 'hands':
        this.#setHands(message.queue);
        return;
      case 'reaction':
        this.events.emit('reaction', { from: message.from, emoji: message.emoji });
        return;
      case 'poll':
        this.#setPolls(withPoll(this.#polls, message.poll));
        return;
      case 'shared-video':
        this.#setSharedVideo(message.video);
        return;
      case 'breakouts':
        this.#setBreakouts(message.state);
        return;
      case 'breakout-message':
        this.events.emit('breakout-message', { from: message.from, fromName: message.fromName, text: message.text, at: message.at });
        return;
      case 'screen-share-stopped':
        if (!this.#screen.sharing && !this.#screen.starting) return;
        this.events.emit('screen-share-stopped', this.#actor(message.by));
        this.#screen.serverStopped();
        return;
    }
  }

  /**
   * After a resume the server's idea of our media can differ from ours for two reasons: we toggled while
   * the socket was down (tell it), or a moderator force-muted us then and the message was lost (obey it).
   * Only "server off, we on, not toggled since" is the second case: nobody can force media on.
   */
  #reconcileMedia(server: MediaState): void {
    const local = this.#mediaState();
    const forced = (['audio', 'video'] as const).filter((kind) => !server[kind] && local[kind] && !this.#unsentToggles.has(kind));
    const wanted: MediaState = { audio: local.audio && !forced.includes('audio'), video: local.video && !forced.includes('video') };
    if (wanted.audio !== server.audio || wanted.video !== server.video) this.#signal?.send({ type: 'media-state', media: wanted });
    if (forced.length > 0) this.#onForceMute(forced, null);
  }

  #onForceMute(kinds: MediaKind[], by: string | null): void {
    // The server already stopped forwarding. Turning off as the local toggles do keeps the UI and the camera
    // light truthful: the camera is released, the microphone track only disabled (unmuting stays instant).
    if (kinds.includes('audio')) void this.setMicrophoneEnabled(false).catch(() => undefined);
    if (kinds.includes('video')) void this.setCameraEnabled(false).catch(() => undefined);
    this.events.emit('force-muted', { kinds: [...kinds], ...this.#actor(by) });
  }

  #actor(id: string | null): Actor {
    return { by: id, byName: id === null ? null : (this.#participants.get(id)?.name ?? null) };
  }

  /** Plain messages show at once unless sealed ones before them are still being opened. */
  #addChat(message: ChatMessage): void {
    const add = (entry: ChatEntry) => {
      if (this.#ended) return;
      this.#chat = [...this.#chat, entry];
      this.events.emit('chat', entry);
    };
    if (message.sealed === undefined && this.#chatQueue.size === 0) add(plainEntry(message));
    else void this.#chatQueue.run(async () => add(await this.#e2ee.openChat(message)));
  }

  #setChatHistory(messages: readonly ChatMessage[]): void {
    const replace = (entries: ChatEntry[]) => {
      if (this.#ended) return;
      this.#chat = entries;
      this.events.emit('chat-history', entries);
    };
    if (messages.every((m) => m.sealed === undefined) && this.#chatQueue.size === 0) replace(messages.map(plainEntry));
    else void this.#chatQueue.run(async () => replace(await Promise.all(messages.map((m) => this.#e2ee.openChat(m)))));
  }

  #setHands(queue: readonly string[]): void {
    if (queue.length === this.#hands.length && queue.every((id, i) => id === this.#hands[i])) return;
    this.#hands = queue;
    this.events.emit('hands', queue);
  }

  #setLobby(waiting: readonly LobbyEntry[]): void {
    if (waiting.length === 0 && this.#lobby.length === 0) return;
    this.#lobby = waiting;
    this.events.emit('lobby', waiting);
  }

  #onServerError(code: ErrorCode, text: string, fatal: boolean): void {
    if (code === 'resume-failed') {
      // The server forgot us (grace period over, or it restarted): start over with a fresh join.
      this.#emitError({ code, message: text, fatal: false });
      this.#startOver();
      if (!fatal && this.#signal?.isOpen) this.#onSocketOpen();
      return;
    }
    // The answer to our screen-share request: the promise of startScreenShare() carries it instead.
    if (!fatal && (code === 'bad-request' || code === 'forbidden') && this.#screen.refused(text)) return;
    if (TERMINAL_JOIN_ERRORS.has(code) || (fatal && !this.#joined)) {
      this.#fail({ code, message: text, fatal: true });
      return;
    }
    // Anything else fatal closes the socket; the reconnect tries to resume, and if the server has ended the
    // session (it does for fatal errors after joining) the resume-failed answer leads to a fresh join.
    this.#emitError({ code, message: text, fatal: false });
  }

  /** Drops the session (participants, PeerConnection, token) so the next socket open sends a fresh join. */
  #startOver(): void {
    this.#resumeToken = null;
    this.#joined = false;
    this.#pendingCandidates = [];
    this.#e2ee.reset();
    // A new session has no share; the person starts it again if they still want to.
    this.#screen.serverStopped();
    const hadAudio = (this.#media?.remoteTracks('audio').length ?? 0) > 0;
    this.#media?.close();
    this.#media = null;
    if (hadAudio) this.events.emit('audio-tracks', []);
    this.#reconcile([]);
    this.#setPausedVideo([]);
    this.#setActiveSpeaker(null);
    this.#setLobby([]);
    this.#updateState();
  }

  #reconcile(list: readonly ParticipantInfo[]): void {
    const present = new Set(list.map((p) => p.id));
    for (const id of [...this.#participants.keys()]) if (!present.has(id)) this.#remove(id);
    for (const info of list) this.#upsert(info);
  }

  #upsert(info: ParticipantInfo): void {
    const existing = this.#participants.get(info.id);
    if (existing) {
      // An absent `screen` means "not sharing", an absent `breakout` "in the main room": neither may keep an earlier value.
      Object.assign(existing, { screen: undefined, breakout: undefined }, info);
      this.events.emit('participant-updated', existing);
      return;
    }
    const participant: Participant = {
      ...info,
      audioTrack: this.#media?.remoteTrack(info.id, 'audio') ?? null,
      videoTrack: this.#media?.remoteTrack(info.id, 'video') ?? null,
      screenTrack: this.#media?.remoteTrack(info.id, 'video', 'screen') ?? null,
      screenAudioTrack: this.#media?.remoteTrack(info.id, 'audio', 'screen') ?? null,
      videoPaused: this.#pausedVideo.has(info.id),
    };
    this.#participants.set(info.id, participant);
    this.events.emit('participant-joined', participant);
  }

  #remove(id: string): void {
    const participant = this.#participants.get(id);
    if (!participant) return;
    this.#participants.delete(id);
    if (this.#activeSpeakerId === id) this.#setActiveSpeaker(null);
    this.events.emit('participant-left', participant);
  }

  #setPausedVideo(ids: readonly string[]): void {
    this.#pausedVideo = new Set(ids);
    for (const participant of this.#participants.values()) {
      const paused = this.#pausedVideo.has(participant.id);
      if (participant.videoPaused === paused) continue;
      participant.videoPaused = paused;
      this.events.emit('participant-updated', participant);
    }
  }

  #setActiveSpeaker(id: string | null): void {
    if (id === this.#activeSpeakerId) return;
    this.#activeSpeakerId = id;
    this.events.emit('active-speaker', { participantId: id });
  }

  // ---- media ----

  #createMediaSession(): MediaSession {
    const media = new MediaSession({
      ...(this.#options.createPeerConnection ? { createPeerConnection: this.#options.createPeerConnection } : {}),
      ...(this.#options.rtcConfiguration ? { rtcConfiguration: this.#options.rtcConfiguration } : {}),
      frameEncryption: this.#frames,
      sendAnswer: (offerId, sdp) => {
        // An answer cannot be parked: after a resume the server sends the outstanding offer again.
        this.#signal?.send({ type: 'answer', offerId, sdp });
      },
      sendCandidate: (candidate, mid) => {
        if (!this.#signal?.send({ type: 'candidate', candidate, mid })) this.#pendingCandidates.push({ candidate, mid });
      },
      // Lost while the socket is down; resendSimulcastStreams() repeats it after the resume.
      sendSimulcastStreams: (mid, streams) => this.#signal?.send({ type: 'simulcast-streams', mid, streams }),
      timers: this.#timers(),
    });
    media.setLocalTrack('audio', this.#local.audio).catch(() => undefined);
    media.setLocalTrack('video', this.#local.video).catch(() => undefined);
    media.setLocalTrack('video', this.#screen.videoTrack, 'screen').catch(() => undefined);
    media.setLocalTrack('audio', this.#screen.audioTrack, 'screen').catch(() => undefined);
    media.events.on('screen-send', (offered) => {
      if (offered && media === this.#media) this.#screen.confirmed();
    });
    media.events.on('track', (event) => this.#onRemoteTrack(event, true));
    media.events.on('track-ended', (event) => this.#onRemoteTrack(event, false));
    media.events.on('connection-state', (state) => this.#onPeerState(media, state));
    media.events.on('recv-slots', () => {
      if (media === this.#media && !this.#ended) this.events.emit('audio-tracks', media.remoteTracks('audio'));
    });
    media.events.on('error', ({ code, message }) => {
      if (media !== this.#media || this.#ended) return;
      if (code === 'negotiation-failed') this.#recover(code, `Could not apply the server's offer (${message}).`);
      else this.#emitError({ code, message, fatal: false });
    });
    return media;
  }

  #onRemoteTrack(event: RemoteTrackEvent, started: boolean): void {
    const { participantId, kind, source, track } = event;
    const participant = this.#participants.get(participantId);
    const key = trackKey(kind, source);
    if (participant) {
      if (started) participant[key] = track;
      else if (participant[key] === track) participant[key] = null;
    }
    this.events.emit(started ? 'track' : 'track-ended', { participantId, kind, source, track });
  }

  #onPeerState(media: MediaSession, state: RTCPeerConnectionState): void {
    if (media !== this.#media || this.#ended) return;
    if (state === 'connected') this.#recoveries = 0;
    if (state === 'failed') {
      this.#recover('ice-failed', 'The media connection failed.');
      return;
    }
    this.#updateState();
  }

  /**
   * The PeerConnection is beyond repair (ICE failed, or an offer could not be answered, which stalls all
   * further negotiation). The server makes all offers, so we cannot ICE-restart or renegotiate ourselves:
   * leave and rejoin with a new PeerConnection, a bounded number of times in a row.
   */
  #recover(code: 'ice-failed' | 'negotiation-failed', message: string): void {
    if (this.#recoveries >= MAX_RECOVERIES) {
      this.#fail({ code, message, fatal: true });
      return;
    }
    this.#recoveries++;
    this.#emitError({ code, message: `${message} Rejoining.`, fatal: false });
    this.#signal?.send({ type: 'leave' });
    this.#startOver();
    this.#signal?.restart();
  }

  #timers(): Timers {
    return this.#options.timers ?? globalTimers;
  }

  #adoptLocal(kind: MediaKind, track: MediaStreamTrack | null): void {
    this.#local[kind] = track;
    if (!track) return;
    const deviceId = track.getSettings?.().deviceId;
    if (deviceId) this.#lastDevice[kind] = deviceId;
    // An unplugged device or revoked permission ends the track; reflect that as "off" for everyone.
    track.addEventListener('ended', () => {
      if (this.#local[kind] !== track || this.#ended) return;
      if (kind === 'video') void this.setCameraEnabled(false);
      else void this.setMicrophoneEnabled(false);
    });
  }

  /**
   * What to turn `kind` on with: `track`, else the live local track, else the last used device opened anew.
   * Null once the Room has ended, with the track stopped: a getUserMedia resolving after leave() must not
   * keep the camera light on.
   */
  async #trackToUse(kind: MediaKind, track?: MediaStreamTrack): Promise<MediaStreamTrack | null> {
    const current = this.#local[kind];
    const live = current && current.readyState !== 'ended' ? current : null;
    const next = track ?? live ?? (this.#ended ? null : await getTrack(kind, this.#lastDevice[kind]));
    if (!this.#ended) return next;
    if (next !== current) next?.stop();
    return null;
  }

  /** Does nothing once ended: #end() stopped every adopted track, including one adopted during the await. */
  async #replace(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    const old = this.#local[kind];
    if (old === track || this.#ended) return;
    this.#adoptLocal(kind, track);
    await this.#media?.setLocalTrack(kind, track);
    old?.stop();
  }

  #mediaState(): MediaState {
    return { audio: this.microphoneEnabled, video: this.cameraEnabled };
  }

  #publishMediaState(): void {
    if (this.#ended) return;
    const media = this.#mediaState();
    const before = this.#self?.media;
    if (this.#self) {
      this.#self = { ...this.#self, media };
      this.events.emit('self-updated', this.#self);
    }
    if (!this.#joined) return;
    // While the socket is down (until the resume is answered) nothing is sent; the resume reconciles it.
    if (!this.#socketDown && this.#signal?.send({ type: 'media-state', media })) return;
    for (const kind of ['audio', 'video'] as const) if (before?.[kind] !== media[kind]) this.#unsentToggles.add(kind);
  }

  // ---- lifecycle ----

  #updateState(): void {
    if (this.#ended) return;
    const peer = this.#media?.connectionState ?? 'new';
    let state: ConnectionState;
    if (this.#socketDown && (this.#joined || this.#knocked)) state = 'reconnecting';
    else if (this.#waiting && !this.#joined) state = 'waiting';
    else if (!this.#joined) state = this.#resumeToken === null && this.#self ? 'reconnecting' : 'connecting';
    else if (peer === 'connected') state = 'connected';
    else if (peer === 'disconnected' || peer === 'failed') state = 'reconnecting';
    else state = 'connecting';
    this.#setState(state);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.events.emit('connection-state', state);
  }

  #emitError(error: RoomError): void {
    this.events.emit('error', error);
  }

  #fail(error: RoomError): void {
    if (this.#ended) return;
    this.#emitError(error);
    this.#end({ reason: 'failed', error }, 'failed');
  }

  #end(detail: { reason: EndReason; error?: RoomError; message?: string }, state: ConnectionState = 'disconnected'): void {
    this.#ended = true;
    this.#signal?.close();
    this.#subscriptions.close();
    this.#media?.close();
    this.#frames?.close();
    this.docs.close();
    for (const track of Object.values(this.#local)) track?.stop();
    this.#screen.close(detail.error?.message ?? detail.message ?? 'Left the meeting.');
    this.#state = state;
    this.events.emit('connection-state', state);
    const pending = this.#pendingJoin;
    this.#pendingJoin = null;
    pending?.reject(new Error(detail.error?.message ?? detail.message ?? 'left the room before joining'));
    this.events.emit('ended', detail);
  }
}

function trackKey(kind: MediaKind, source: MediaSource): 'audioTrack' | 'videoTrack' | 'screenTrack' | 'screenAudioTrack' {
  if (source === 'screen') return kind === 'audio' ? 'screenAudioTrack' : 'screenTrack';
  return kind === 'audio' ? 'audioTrack' : 'videoTrack';
}

function plainEntry(message: ChatMessage): ChatEntry {
  const { text, sealed: _sealed, ...rest } = message;
  return { ...rest, text: text ?? '', encrypted: false };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `url` with `?room=<roomId>` set (any other query kept). */
export function withRoom(url: string, roomId: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('room', roomId);
  return parsed.toString();
}
