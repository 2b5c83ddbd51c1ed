import type { ChatEntry, E2eeState } from './e2ee/e2ee-session.js';
import type { FrameEncryption, FrameEncryptionOptions } from './e2ee/media-encryption.js';
import type { EndedReason, ErrorCode, LobbyEntry, MediaKind, MediaSource, ParticipantInfo, Poll, Reaction, RoomInfo } from '@treff/protocol';
import type { BackoffOptions } from './backoff.js';
import type { SharedVideo } from './shared-video.js';
import type { Breakouts } from './breakouts.js';
import type { SocketFactory, Timers } from './signal-client.js';

// The Room's public vocabulary: its options, states, events and what they carry.

/**
 * `waiting`: in the room's lobby until a host or co-host admits (then `connecting`) or denies (the Room ends).
 * The server forgets a knock whose socket drops: the state goes `reconnecting`, and the join sent on the new
 * socket knocks again (at the back of the queue), so `waiting` and `lobby-waiting` come again.
 */
export type ConnectionState = 'connecting' | 'waiting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

/**
 * A remote participant as this client sees it. The object is live: the Room updates it in place.
 * `audioTrack` / `videoTrack` are set while one of our receiving slots carries this person's media: audio
 * only while they are among the loudest few, video only while we subscribe to their tile.
 */
export interface Participant extends ParticipantInfo {
  audioTrack: MediaStreamTrack | null;
  videoTrack: MediaStreamTrack | null;
  /**
   * Their shared screen and its sound, while they share (`screen`): every screen share is received, no
   * subscription needed. The sound is also among `Room.audioTracks`, which is what to play.
   */
  screenTrack: MediaStreamTrack | null;
  screenAudioTrack: MediaStreamTrack | null;
  /**
   * True while their camera is on and subscribed to but the server holds it back because our downlink cannot
   * carry it as well (the least important tiles go first): show that the picture is paused, not that the
   * camera is off. Changes come with `participant-updated`.
   */
  videoPaused: boolean;
}

/**
 * A receiving slot started (`track`) or stopped (`track-ended`) carrying a participant's media. The server
 * switches slots between people, so the same MediaStreamTrack object is handed from one participant to the
 * next: a `track-ended` for the old one, then a `track` for the new one.
 */
export interface TrackEvent {
  participantId: string;
  kind: MediaKind;
  /** Camera and microphone, or a shared screen (its video, and its sound if any). */
  source: MediaSource;
  track: MediaStreamTrack;
}

/** Server error codes plus failures detected in the browser. */
export type RoomErrorCode = ErrorCode | 'ice-failed' | 'negotiation-failed' | 'offer-mismatch' | 'candidate-failed' | 'signaling-unreachable' | 'invalid-message' | 'media-failed' | 'e2ee-failed';

export interface RoomError {
  code: RoomErrorCode;
  message: string;
  /** True when the room cannot continue (it is then `failed` and `ended` follows). */
  fatal: boolean;
}

/** `left`: this client left; `failed`: an error ended it (see `error`); the rest: the server ended it (never rejoin on your own). */
export type EndReason = 'left' | 'failed' | EndedReason;

/** Who did something to this participant: an id, and the name while they are in the room. */
export interface Actor {
  by: string | null;
  byName: string | null;
}

export type RoomEvents = {
  'participant-joined': Participant;
  'participant-left': Participant;
  'participant-updated': Participant;
  track: TrackEvent;
  'track-ended': TrackEvent;
  /** The receiving audio slots changed (added or removed); see `Room.audioTracks`. */
  'audio-tracks': readonly MediaStreamTrack[];
  'active-speaker': { participantId: string | null };
  'connection-state': ConnectionState;
  /** Own media state, role or local tracks changed. */
  'self-updated': ParticipantInfo;
  error: RoomError;
  /** The room has a lobby: we wait there (state `waiting`) until admitted; `join()` resolves then. */
  'lobby-waiting': { id: string; title: string };
  /** Hosts and co-hosts: everyone waiting in the lobby now. */
  lobby: readonly LobbyEntry[];
  /** Settings, title, link or id changed; see `Room.info`. */
  'room-updated': RoomInfo;
  /** A host or co-host turned our microphone and/or camera off; the Room has already released them. */
  'force-muted': Actor & { kinds: MediaKind[] };
  /** A host or co-host asks us to turn a device on; nothing is turned on unless the app does it. */
  'unmute-requested': Actor & { kind: MediaKind };
  /** The server stored our report (`report()`); a refusal comes as an `error` event instead. */
  'report-received': undefined;
  /** A new chat message for us (public, or private to or from us); see `Room.chat` for the history. */
  chat: ChatEntry;
  /** `Room.chat` was replaced by the history the server sent on joining or resuming. */
  'chat-history': readonly ChatEntry[];
  /** The end-to-end encryption state changed (see `Room.e2ee`). */
  e2ee: E2eeState;
  /** Raised hands changed; participant ids in the order they were raised (see `Room.hands`). */
  hands: readonly string[];
  /** Someone (maybe we) reacted; nothing is stored. */
  reaction: { from: string; emoji: Reaction };
  /** Our own screen share started or stopped, for any reason (see `Room.screenSharing`). */
  'screen-share': { sharing: boolean };
  /** A host or co-host stopped our screen share; the capture is already released (`screen-share` follows). */
  'screen-share-stopped': Actor;
  /** A poll was created, voted on or closed: the whole list, oldest first (see `Room.polls`). */
  polls: readonly Poll[];
  /** The shared video started, played, paused, moved or stopped (null); see `Room.sharedVideo`. */
  'shared-video': SharedVideo | null;
  /** Breakout rooms opened, changed (assignments, self-select) or closed (null); see `Room.breakouts`. */
  breakouts: Breakouts | null;
  /** A host's or co-host's message to every breakout room and the main room. */
  'breakout-message': { from: string; fromName: string; text: string; at: number };
  /** `message` is the server's explanation when it ended the session. */
  ended: { reason: EndReason; error?: RoomError; message?: string };
};

export interface RoomOptions {
  /** WebSocket URL of the signaling endpoint, e.g. `wss://meet.example.org/ws`. */
  url: string;
  roomId: string;
  name: string;
  /** From the host link; makes this participant a host. */
  hostSecret?: string;
  /** For a room with a password (hosts do not need it). */
  password?: string;
  /** From a personal invite link (`#invite=`). */
  inviteToken?: string;
  /** A group member's credential, for the group's rooms. */
  memberToken?: string;
  /** A random id this browser keeps (16–64 URL-safe characters); what a ban binds to besides invites and membership. */
  deviceId?: string;
  rtcConfiguration?: RTCConfiguration;
  /**
   * End-to-end encryption of media and chat (default true): used whenever this browser and everyone
   * else's can (see `Room.e2ee`). False: never encrypt, and do not tell the server we could — a room that
   * requires it then refuses the join (`e2ee-required`).
   */
  e2ee?: boolean;
  /** Reconnect backoff; defaults to 250 ms doubling up to 5 s. */
  backoff?: BackoffOptions;
  /** Seams for tests; browsers use WebSocket, RTCPeerConnection and global timers. */
  createSocket?: SocketFactory;
  createPeerConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
  /** Browsers: the worker-backed frame transforms, or null where frames cannot be encrypted. */
  createFrameEncryption?: (options: FrameEncryptionOptions) => FrameEncryption | null;
  timers?: Timers;
}

export interface JoinMedia {
  /** The Room takes ownership of these tracks and stops them when they are replaced or the room is left. */
  audioTrack?: MediaStreamTrack | null;
  videoTrack?: MediaStreamTrack | null;
}
