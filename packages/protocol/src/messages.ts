import * as v from 'valibot';

/**
 * Treff signaling protocol, spoken as JSON text frames over one WebSocket (`/ws`).
 *
 * Negotiation is always offered by the server (it owns the transceiver layout); the client only
 * answers and trickles its ICE candidates. Each offer carries `slots`, which say what every m-line
 * (by mid) is for: where the client publishes (`send`) and whose track it receives (`recv`).
 */
export const PROTOCOL_VERSION = 6;

/** Largest signaling frame either side accepts, in bytes. SDP for a 100-person room fits easily. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export const LIMITS = {
  nameLength: 64,
  titleLength: 120,
  roomIdLength: 64,
  secretLength: 128,
  sdpLength: 200_000,
  candidateLength: 1024,
  /** Tiles one client may ask video for at once (a 10×10 grid). */
  videoSubscriptions: 100,
  /** Largest tile edge a client may report, in device pixels. */
  tilePixels: 16_384,
  /** Simulcast encodings per track (RFC 8853 allows more; browsers use at most 3–4). */
  simulcastStreams: 4,
  passwordLength: 128,
  /** Member credentials are signed tokens (JWS compact form). */
  tokenLength: 2048,
  reportText: 2000,
  inviteLabel: 64,
  groupName: 80,
  /** Lobby entries one message may admit or deny at once. */
  lobbyBatch: 200,
  /** Characters in one chat message. */
  chatText: 2000,
  /** Chat messages a meeting keeps in memory for people who join later or resume (the oldest drop out). */
  chatHistory: 500,
  /** A chat message sealed end-to-end (base64url of key id, nonce, ciphertext of up to `chatText` characters). */
  sealedChat: 12_000,
  /** One sealed sender key (base64url). */
  sealedKey: 512,
  pollQuestion: 200,
  pollOption: 100,
  pollOptions: 10,
  /** Polls one meeting keeps (open and closed). */
  polls: 20,
  videoUrl: 2048,
  /** One shared-document update (base64url of a Yjs update, or of its sealed form): a large paste fits. */
  docUpdate: 240_000,
  /** A whole shared document sent to one participant (base64url; fits one signaling frame). */
  docState: 240_000,
  /** Breakout rooms open at once. */
  breakoutRooms: 50,
  breakoutName: 60,
  /** A message a host broadcasts to every breakout room. */
  breakoutMessage: 500,
  /** Longest breakout timer, in minutes. */
  breakoutMinutes: 24 * 60,
} as const;

/**
 * The meeting's shared documents, each a Yjs CRDT (docs/shared-docs.md): the notes (a `Y.Text` named
 * `notes`, Markdown) and the whiteboard (a `Y.Array` named `strokes`). The server relays updates and keeps none.
 */
export const DOCS = ['notes', 'whiteboard'] as const;
export type DocName = (typeof DOCS)[number];

/** The reactions a participant may send; anything else is refused with `bad-message`. */
export const REACTIONS = ['👍', '👏', '😂', '😮', '❤️', '🎉'] as const;
export type Reaction = (typeof REACTIONS)[number];

const RoomId = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.roomIdLength), v.regex(/^[A-Za-z0-9_-]+$/, 'room id must be URL-safe'));
const ParticipantId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const DisplayName = v.pipe(
  v.string(),
  v.transform((s) => s.replace(/\s+/g, ' ').trim()),
  v.minLength(1, 'display name must not be empty'),
  v.maxLength(LIMITS.nameLength, `display name must be at most ${LIMITS.nameLength} characters`),
);
const Secret = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.secretLength));
const Sdp = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.sdpLength));
const Mid = v.pipe(v.string(), v.minLength(1), v.maxLength(32));

export const MediaKind = v.picklist(['audio', 'video']);
export type MediaKind = v.InferOutput<typeof MediaKind>;

/** What a track shows: the participant's camera and microphone, or a shared screen (with its audio, if any). */
export const MediaSource = v.picklist(['camera', 'screen']);
export type MediaSource = v.InferOutput<typeof MediaSource>;

/** What a participant currently sends; others show it (e.g. a muted-microphone icon). */
export const MediaState = v.object({ audio: v.boolean(), video: v.boolean() });
export type MediaState = v.InferOutput<typeof MediaState>;

/**
 * `host`: holds the host link, or was made host. `cohost`: promoted by a host; moderates (lobby, mute,
 * remove, lock) but cannot change roles, room settings other than the lock, or end the meeting.
 * `guest`: everyone else.
 */
export const Role = v.picklist(['host', 'cohost', 'guest']);
export type Role = v.InferOutput<typeof Role>;

/** Who may join a room: anyone with the link, only members of the room's group, or only invitees. */
export const JoinMode = v.picklist(['link', 'group', 'invite']);
export type JoinMode = v.InferOutput<typeof JoinMode>;

/** Hard upper bound for a room's size setting; each server may set a lower one. */
export const MAX_ROOM_SIZE = 1000;
/** Size limit of a new room (as Messenger Rooms). */
export const DEFAULT_ROOM_SIZE = 50;

/** A room's settings as every participant sees them. The password itself never leaves the server. */
export const RoomSettings = v.object({
  joinMode: JoinMode,
  /** Guests knock and wait until a host or co-host admits them. */
  lobby: v.boolean(),
  /** No new participants (group admins of a group room still may enter). */
  locked: v.boolean(),
  passwordRequired: v.boolean(),
  /** Whether guests see and may copy the room link (hosts always do). */
  linkSharing: v.boolean(),
  /** Listed in the server's public room directory. */
  discoverable: v.boolean(),
  maxParticipants: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(MAX_ROOM_SIZE)),
  /** When the last host leaves, the longest-present participant becomes host. */
  autoPromote: v.boolean(),
  /** The group the room belongs to, if any. */
  groupId: v.nullable(v.string()),
  /** Only clients that encrypt media end to end may join (otherwise it is encrypted whenever everyone can). */
  requireE2ee: v.boolean(),
  /** Several participants may share their screens at once; otherwise one at a time. */
  multipleScreenShares: v.boolean(),
});
export type RoomSettings = v.InferOutput<typeof RoomSettings>;

const Password = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.passwordLength));

/** What a host may change; absent fields stay as they are. `password: null` removes the password. */
export const RoomSettingsUpdate = v.object({
  joinMode: v.optional(JoinMode),
  lobby: v.optional(v.boolean()),
  locked: v.optional(v.boolean()),
  password: v.optional(v.nullable(Password)),
  linkSharing: v.optional(v.boolean()),
  discoverable: v.optional(v.boolean()),
  maxParticipants: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(MAX_ROOM_SIZE))),
  autoPromote: v.optional(v.boolean()),
  /** Refused with `bad-request` while someone present cannot encrypt end to end. */
  requireE2ee: v.optional(v.boolean()),
  multipleScreenShares: v.optional(v.boolean()),
});
export type RoomSettingsUpdate = v.InferOutput<typeof RoomSettingsUpdate>;

/** Someone knocking in the lobby, as hosts and co-hosts see them. */
export const LobbyEntry = v.object({ id: v.string(), name: v.string(), /** ms since the epoch, server clock */ since: v.number() });
export type LobbyEntry = v.InferOutput<typeof LobbyEntry>;

/** Why the server ended this client's session (it closes the socket right after saying so). */
export const EndedReason = v.picklist([
  'removed', // a host removed this participant
  'banned', // removed and banned: stays out of this room for good
  'meeting-ended', // a host ended the meeting for everyone
  'denied', // a host denied entry from the lobby
  'room-closed', // the server's operator closed the room
]);
export type EndedReason = v.InferOutput<typeof EndedReason>;

/**
 * What a participant whose browser can encrypt media end to end announces (docs/e2ee.md). The server only
 * relays it: `publicKey` is the participant's ECDH P-256 identity key (raw point, base64url), `keyTag` the
 * number its SFrame key ids start with, so receivers know whose key a frame needs.
 */
export const E2eeIdentity = v.object({
  publicKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{87}$/, 'publicKey must be a base64url P-256 point (65 bytes)')),
  keyTag: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff)),
});
export type E2eeIdentity = v.InferOutput<typeof E2eeIdentity>;

export const ParticipantInfo = v.object({
  id: ParticipantId,
  name: v.string(),
  role: Role,
  media: MediaState,
  /** Milliseconds since the epoch, server clock. */
  joinedAt: v.number(),
  /** Null: this participant's client cannot encrypt end to end, so the meeting's media is not encrypted. */
  e2ee: v.nullable(E2eeIdentity),
  /** Sharing a screen now (absent: not sharing). */
  screen: v.optional(v.boolean()),
  /** The breakout room this participant is in now (absent: the main room). */
  breakout: v.optional(v.string()),
});
export type ParticipantInfo = v.InferOutput<typeof ParticipantInfo>;

/** RFC 8851 restriction identifier: alphanumeric, short. */
const Rid = v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,16}$/, 'rid must be 1–16 letters or digits'));
const Ssrc = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(0xffffffff));

/**
 * One m-line of a server offer, from the client's point of view. `source` (absent: `camera`) says whether it
 * carries camera/microphone or a screen share: a screen share has its own `send` slots (video, and audio when
 * the share has sound) and its own `recv` slots, which only ever carry screen shares. A `send` slot with `simulcast` asks the
 * client to publish one encoding per rid (RFC 8853), listed from the lowest resolution to the highest.
 * A `recv` slot is a receiver whose source the server switches: at any moment it carries one other
 * participant's track (or nothing); `slot-sources` says whose, as it changes.
 */
export const Slot = v.variant('direction', [
  v.object({ mid: Mid, kind: MediaKind, direction: v.literal('send'), simulcast: v.optional(v.array(Rid)), source: v.optional(MediaSource) }),
  v.object({ mid: Mid, kind: MediaKind, direction: v.literal('recv'), participantId: v.nullable(ParticipantId), source: v.optional(MediaSource) }),
]);
export type Slot = v.InferOutput<typeof Slot>;

/** Whose track a receiving m-line carries from now on (null: nothing). */
export const SlotSource = v.object({ mid: Mid, participantId: v.nullable(ParticipantId) });
export type SlotSource = v.InferOutput<typeof SlotSource>;

/** A tile the client shows a participant's video in, with its size in device pixels. */
export const VideoSubscription = v.object({
  participantId: ParticipantId,
  width: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.tilePixels)),
  height: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.tilePixels)),
});
export type VideoSubscription = v.InferOutput<typeof VideoSubscription>;

// ---- client → server ----

export const JoinRequest = v.object({
  type: v.literal('join'),
  v: v.literal(PROTOCOL_VERSION),
  roomId: RoomId,
  name: DisplayName,
  /** From the host link's fragment; makes the joiner a host. */
  hostSecret: v.optional(Secret),
  /** For a room with a password; hosts do not need it. */
  password: v.optional(Password),
  /** From a personal invite link's fragment (`#invite=`). */
  inviteToken: v.optional(Secret),
  /** A group member's or admin's credential, kept by their browser. */
  memberToken: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.tokenLength))),
  /**
   * A random id the browser keeps for itself (no account): what a ban binds besides an invite or group
   * membership. It identifies nobody; clearing site data makes a new one.
   */
  deviceId: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{16,64}$/, 'device id must be 16–64 URL-safe characters'))),
  media: MediaState,
  /** Present when this client encrypts media end to end (required in rooms with `requireE2ee`). */
  e2ee: v.optional(E2eeIdentity),
});

/** Re-attaches a new socket to a session whose socket dropped, keeping its PeerConnection. */
export const ResumeRequest = v.object({
  type: v.literal('resume'),
  v: v.literal(PROTOCOL_VERSION),
  roomId: RoomId,
  participantId: ParticipantId,
  resumeToken: Secret,
});

export const AnswerMessage = v.object({ type: v.literal('answer'), offerId: v.pipe(v.number(), v.integer(), v.minValue(1)), sdp: Sdp });

/**
 * An ICE candidate, in either direction (RFC 8838 trickle). The server sends its own candidates only after
 * it has applied the client's first answer: a client that could connect earlier would start DTLS before
 * the server knows the client's certificate fingerprint, and the handshake would fail.
 */
export const CandidateMessage = v.object({
  type: v.literal('candidate'),
  /** The `candidate:` attribute value; empty string means end of candidates. */
  candidate: v.pipe(v.string(), v.maxLength(LIMITS.candidateLength)),
  mid: Mid,
});

export const SetMediaState = v.object({ type: v.literal('media-state'), media: MediaState });

/**
 * The video the client wants, in priority order: the tiles it shows now (off-screen tiles are left out and
 * cost nothing). The server sends each at the simulcast layer that fits the tile and the client's downlink.
 * Until a client sends this, it receives every camera at a small size.
 */
export const SubscribeRequest = v.object({
  type: v.literal('subscribe'),
  video: v.pipe(v.array(VideoSubscription), v.maxLength(LIMITS.videoSubscriptions)),
});

/**
 * The SSRC of each simulcast encoding the client sends on a `send` slot. Browsers do not put them in an
 * answer (they identify encodings by the rid header extension, RFC 8852), but the server's media stack
 * routes incoming packets by SSRC, so the client reads them from its sender statistics and reports them.
 */
export const SimulcastStreams = v.object({
  type: v.literal('simulcast-streams'),
  mid: Mid,
  streams: v.pipe(v.array(v.object({ rid: Rid, ssrc: Ssrc })), v.minLength(1), v.maxLength(LIMITS.simulcastStreams)),
});

export const LeaveRequest = v.object({ type: v.literal('leave') });

// ---- client → server: moderation (hosts and co-hosts; each refused with `forbidden` otherwise) ----

const LobbyTargets = v.union([v.literal('all'), v.pipe(v.array(ParticipantId), v.minLength(1), v.maxLength(LIMITS.lobbyBatch))]);

/** Let people in from the lobby (`all`: everyone waiting now). */
export const LobbyAdmit = v.object({ type: v.literal('lobby-admit'), ids: LobbyTargets });
/** Turn people in the lobby away; they are told they were denied. */
export const LobbyDeny = v.object({ type: v.literal('lobby-deny'), ids: LobbyTargets });

/** Removes a participant at once and locks the room; with `ban` they stay out after it is unlocked too. */
export const RemoveParticipant = v.object({ type: v.literal('remove'), participantId: ParticipantId, ban: v.optional(v.boolean()) });

/**
 * Stops a participant's microphone and/or camera (`all`: everyone but hosts and co-hosts). The server stops
 * forwarding it at once; only its owner can turn it back on (a host can ask, never force it on).
 */
export const MuteParticipant = v.object({
  type: v.literal('mute'),
  participantId: v.union([v.literal('all'), ParticipantId]),
  kinds: v.pipe(v.array(MediaKind), v.minLength(1), v.maxLength(2)),
});

/** Asks a participant to turn their microphone or camera on; they decide. */
export const RequestUnmute = v.object({ type: v.literal('request-unmute'), participantId: ParticipantId, kind: MediaKind });

/** Hosts only: make someone host, co-host or guest. `handOver` with role `host` also makes the sender a guest. */
export const SetRole = v.object({ type: v.literal('set-role'), participantId: ParticipantId, role: Role, handOver: v.optional(v.boolean()) });

/** Hosts change settings; co-hosts may change only `locked`. */
export const UpdateSettings = v.object({ type: v.literal('update-settings'), settings: RoomSettingsUpdate });

/** Hosts only: ends the meeting for everyone (the room link stays valid for a later meeting). */
export const EndMeeting = v.object({ type: v.literal('end-meeting') });

export const ReportReason = v.picklist(['abuse', 'spam', 'illegal-content', 'other']);
export type ReportReason = v.InferOutput<typeof ReportReason>;

/**
 * Anyone in the room may report it to the server's operator. The report keeps metadata only: room id,
 * time, reason, text, participant count and display names — never media or chat.
 */
export const ReportRoom = v.object({
  type: v.literal('report'),
  reason: ReportReason,
  text: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.reportText))),
});

// ---- client → server: together (everyone in the room; knockers in the lobby get `wrong-state`) ----

const SealedChat = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/, 'sealed must be base64url'), v.maxLength(LIMITS.sealedChat, `sealed chat message must be at most ${LIMITS.sealedChat} characters`));

/**
 * A chat message to everyone, or with `to` privately to one participant (only they and the sender get it).
 * Exactly one of `text` (plain) and `sealed` (end-to-end encrypted by the sender, docs/e2ee.md) is given.
 */
export const SendChat = v.pipe(
  v.object({
    type: v.literal('chat'),
    text: v.optional(v.pipe(
      v.string(),
      v.maxLength(LIMITS.chatText, `chat message must be at most ${LIMITS.chatText} characters`),
      v.check((s) => s.trim().length > 0, 'chat message must not be empty'),
    )),
    sealed: v.optional(SealedChat),
    to: v.optional(ParticipantId),
  }),
  v.check((m) => (m.text === undefined) !== (m.sealed === undefined), 'chat needs exactly one of text and sealed'),
);

/** Raises or lowers this participant's own hand. */
export const RaiseHand = v.object({ type: v.literal('raise-hand'), raised: v.boolean() });

/** Hosts and co-hosts: lowers someone's hand. */
export const LowerHand = v.object({ type: v.literal('lower-hand'), participantId: ParticipantId });

/** An emoji reaction shown briefly over the sender's tile; not stored. */
export const SendReaction = v.object({ type: v.literal('reaction'), emoji: v.picklist(REACTIONS, `reaction must be one of ${REACTIONS.join(' ')}`) });

// ---- client → server: end-to-end encryption (docs/e2ee.md; the server relays, it cannot read) ----

const SealedKey = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+$/, 'sealed must be base64url'), v.maxLength(LIMITS.sealedKey, `a sealed key must be at most ${LIMITS.sealedKey} characters`));
const uniqueIds = (ids: readonly string[]) => new Set(ids).size === ids.length;

/**
 * Sender keys, each sealed for one recipient with a key only sender and recipient can derive. The server
 * passes each to its recipient as `e2ee-key`; recipients no longer in the room are skipped.
 */
export const SendE2eeKeys = v.object({
  type: v.literal('e2ee-keys'),
  keys: v.pipe(
    v.array(v.object({ to: ParticipantId, sealed: SealedKey })),
    v.minLength(1, 'keys must name at least one recipient'),
    v.maxLength(MAX_ROOM_SIZE, `keys must name at most ${MAX_ROOM_SIZE} recipients`),
    v.check((keys) => uniqueIds(keys.map((k) => k.to)), 'keys must name each recipient once'),
  ),
});

/** Asks these participants to send us their current sender key again (e.g. after a resume lost some). */
export const RequestE2eeKeys = v.object({
  type: v.literal('e2ee-key-request'),
  from: v.pipe(
    v.array(ParticipantId),
    v.minLength(1, 'from must name at least one participant'),
    v.maxLength(MAX_ROOM_SIZE, `from must name at most ${MAX_ROOM_SIZE} participants`),
    v.check((ids) => uniqueIds(ids), 'from must name each participant once'),
  ),
});

// ---- client → server: screen sharing and polls ----

/**
 * Starts or stops sharing this participant's screen. On start the server offers `send` slots with source
 * `screen` (audio too when `audio`); it refuses with `bad-request` while someone else shares and the room does
 * not allow several shares. Every participant receives every screen share, before any camera.
 */
export const ScreenShareRequest = v.object({ type: v.literal('screen-share'), on: v.boolean(), audio: v.optional(v.boolean()) });

/** Hosts and co-hosts: stops someone's screen share (they are told by `screen-share-stopped`). */
export const StopScreenShare = v.object({ type: v.literal('stop-screen-share'), participantId: ParticipantId });

const PollText = (max: number, what: string) =>
  v.pipe(v.string(), v.transform((s) => s.trim()), v.minLength(1, `${what} must not be empty`), v.maxLength(max, `${what} must be at most ${max} characters`));

/** Hosts and co-hosts: a new poll. `anonymous`: results show counts only, never who voted for what. */
export const CreatePoll = v.object({
  type: v.literal('poll-create'),
  question: PollText(LIMITS.pollQuestion, 'question'),
  options: v.pipe(v.array(PollText(LIMITS.pollOption, 'option')), v.minLength(2, 'a poll needs at least 2 options'), v.maxLength(LIMITS.pollOptions, `a poll has at most ${LIMITS.pollOptions} options`)),
  /** Voters may pick several options; otherwise exactly one. */
  multiple: v.boolean(),
  anonymous: v.boolean(),
});

/** A vote: option indexes (exactly one unless the poll is multiple choice). Each participant votes once. */
export const VotePoll = v.object({
  type: v.literal('poll-vote'),
  pollId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  choices: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.pollOptions - 1))), v.minLength(1), v.maxLength(LIMITS.pollOptions)),
});

/** Hosts and co-hosts: no more votes; the results stay visible. */
export const ClosePoll = v.object({ type: v.literal('poll-close'), pollId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

/**
 * Hosts and co-hosts: plays a video from a URL for everyone, in sync (`url: null` stops it). Each message is
 * the whole state: start with `playing: true, position: 0`, pause and seek by sending the new state. Every
 * participant's browser loads the video from that URL itself (the server never fetches it).
 */
export const SetSharedVideo = v.object({
  type: v.literal('shared-video'),
  url: v.nullable(v.pipe(
    v.string(),
    v.maxLength(LIMITS.videoUrl, `the video URL must be at most ${LIMITS.videoUrl} characters`),
    v.check((u) => /^https?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), 'the video URL must be an http(s) URL'),
  )),
  playing: v.boolean(),
  /** Seconds from the start of the video. */
  position: v.pipe(v.number(), v.minValue(0), v.maxValue(1e7)),
});


// ---- client → server: shared documents (everyone; docs/shared-docs.md) ----

const DocNameSchema = v.picklist(DOCS, `doc must be one of ${DOCS.join(', ')}`);
const Base64url = (max: number, what: string) =>
  v.pipe(v.string(), v.minLength(1, `${what} must not be empty`), v.regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url`), v.maxLength(max, `${what} must be at most ${max} characters`));
const exactlyOne = (a: unknown, b: unknown) => (a === undefined) !== (b === undefined);

/**
 * An edit to a shared document: a Yjs update, in clear (`update`) or sealed end to end with the sender key
 * (`sealed`), exactly one. The server passes it to everyone else in the meeting as it came and keeps nothing.
 */
export const SendDocUpdate = v.pipe(
  v.object({ type: v.literal('doc-update'), doc: DocNameSchema, update: v.optional(Base64url(LIMITS.docUpdate, 'update')), sealed: v.optional(Base64url(LIMITS.docUpdate, 'sealed')) }),
  v.check((m) => exactlyOne(m.update, m.sealed), 'doc-update needs exactly one of update and sealed'),
);

/**
 * Asks `to` for the whole document: a newcomer's (or resumed participant's) first step, and what a client
 * does when it cannot open someone's update. `to` may answer once with `doc-state`.
 */
export const RequestDocState = v.object({ type: v.literal('doc-sync-request'), doc: DocNameSchema, to: ParticipantId });

/**
 * The whole document (Yjs state as one update) for a participant that asked this one for it, in clear
 * (`state`) or sealed pairwise for that recipient (`sealed`), exactly one. Unasked states are refused.
 */
export const SendDocState = v.pipe(
  v.object({ type: v.literal('doc-state'), doc: DocNameSchema, to: ParticipantId, state: v.optional(Base64url(LIMITS.docState, 'state')), sealed: v.optional(Base64url(LIMITS.docState, 'sealed')) }),
  v.check((m) => exactlyOne(m.state, m.sealed), 'doc-state needs exactly one of state and sealed'),
);

// ---- client → server: breakout rooms ----

const BreakoutId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const BreakoutName = v.pipe(v.string(), v.transform((s) => s.replace(/\s+/g, ' ').trim()), v.minLength(1, 'a breakout room needs a name'), v.maxLength(LIMITS.breakoutName, `a breakout room name has at most ${LIMITS.breakoutName} characters`));

/**
 * Hosts and co-hosts: opens breakout rooms (refused with `bad-request` while some are open). `random`
 * spreads everyone present who is not a host or co-host evenly over the rooms and moves them at once;
 * `manual` moves nobody (assign with `breakout-assign`). With a timer, everyone returns to the main room
 * when it runs out.
 */
export const OpenBreakouts = v.object({
  type: v.literal('breakout-open'),
  rooms: v.pipe(v.array(BreakoutName), v.minLength(1, 'open at least one breakout room'), v.maxLength(LIMITS.breakoutRooms, `at most ${LIMITS.breakoutRooms} breakout rooms`)),
  assign: v.picklist(['manual', 'random']),
  /** Minutes until everyone is called back; null: no timer. */
  minutes: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIMITS.breakoutMinutes))),
  /** Participants may move between breakout rooms themselves. */
  selfSelect: v.boolean(),
});

/** Hosts and co-hosts: puts a participant in a breakout room (null: the main room) and moves them there now. */
export const AssignBreakout = v.object({ type: v.literal('breakout-assign'), participantId: ParticipantId, breakoutId: v.nullable(BreakoutId) });

/**
 * Moves this participant: to the main room (null) or to their assigned breakout room always; to any other
 * one when the rooms allow self-select (hosts and co-hosts go anywhere). `not-found` for a room that is not open.
 */
export const JoinBreakout = v.object({ type: v.literal('breakout-join'), breakoutId: v.nullable(BreakoutId) });

/** Hosts and co-hosts: a message shown to everyone in every room, the main one included. */
export const BroadcastToBreakouts = v.object({
  type: v.literal('breakout-broadcast'),
  text: v.pipe(v.string(), v.transform((s) => s.trim()), v.minLength(1, 'the message must not be empty'), v.maxLength(LIMITS.breakoutMessage, `the message has at most ${LIMITS.breakoutMessage} characters`)),
});

/** Hosts and co-hosts: calls everyone back to the main room and closes the breakout rooms. */
export const CloseBreakouts = v.object({ type: v.literal('breakout-close') });

export const ClientMessage = v.variant('type', [
  JoinRequest, ResumeRequest, AnswerMessage, CandidateMessage, SetMediaState, SubscribeRequest, SimulcastStreams, LeaveRequest,
  LobbyAdmit, LobbyDeny, RemoveParticipant, MuteParticipant, RequestUnmute, SetRole, UpdateSettings, EndMeeting, ReportRoom,
  SendChat, RaiseHand, LowerHand, SendReaction, SendE2eeKeys, RequestE2eeKeys,
  ScreenShareRequest, StopScreenShare, CreatePoll, VotePoll, ClosePoll, SetSharedVideo,
  SendDocUpdate, RequestDocState, SendDocState, OpenBreakouts, AssignBreakout, JoinBreakout, BroadcastToBreakouts, CloseBreakouts,
]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;
export type ClientMessageInput = v.InferInput<typeof ClientMessage>;

// ---- server → client ----

export const RoomInfo = v.object({
  id: RoomId,
  title: v.string(),
  settings: RoomSettings,
  /** The room link to share; null when this participant may not see it (`linkSharing` off for guests). */
  link: v.nullable(v.string()),
});
export type RoomInfo = v.InferOutput<typeof RoomInfo>;

/** One chat message as participants receive it. `to` is the recipient of a private message, null for everyone. */
export const ChatMessage = v.object({
  id: v.string(),
  from: ParticipantId,
  fromName: v.string(),
  to: v.nullable(ParticipantId),
  /** Exactly one of `text` and `sealed` (end-to-end encrypted by the sender; only participants can open it). */
  text: v.optional(v.string()),
  sealed: v.optional(v.string()),
  /** ms since the epoch, server clock */
  at: v.number(),
  /** A public message sent in this breakout room goes only to those in it (absent: the main room's chat). */
  breakout: v.optional(v.string()),
});
export type ChatMessage = v.InferOutput<typeof ChatMessage>;

/**
 * A poll as one participant sees it. Polls are not end-to-end encrypted: the server counts the votes (the
 * app says so when a poll is created in an encrypted meeting).
 */
export const Poll = v.object({
  id: v.string(),
  question: v.string(),
  /** `voters` (participant names) only in polls that are not anonymous. */
  options: v.array(v.object({ text: v.string(), votes: v.number(), voters: v.optional(v.array(v.string())) })),
  multiple: v.boolean(),
  anonymous: v.boolean(),
  closed: v.boolean(),
  createdBy: v.string(),
  /** ms since the epoch, server clock */
  at: v.number(),
  /** How many participants voted. */
  voterCount: v.number(),
  /** This participant's own choices; null before they voted. */
  myChoices: v.nullable(v.array(v.number())),
});
export type Poll = v.InferOutput<typeof Poll>;

/**
 * The video everyone watches together. `position` is where playback is at the moment the server sent the
 * message (it advances it by the time since the last change while playing), so clients need no clock sync.
 */
export const SharedVideoState = v.object({ url: v.string(), playing: v.boolean(), position: v.number(), by: ParticipantId });
export type SharedVideoState = v.InferOutput<typeof SharedVideoState>;

/** The open breakout rooms, as everyone sees them. */
export const BreakoutState = v.object({
  rooms: v.array(v.object({ id: v.string(), name: v.string() })),
  /** Where hosts put people (participant id → breakout room id); where each is now is `ParticipantInfo.breakout`. */
  assignments: v.record(v.string(), v.string()),
  selfSelect: v.boolean(),
  /** Milliseconds left on the timer when the server sent this (no clock sync needed); null: no timer. */
  remainingMs: v.nullable(v.number()),
});
export type BreakoutState = v.InferOutput<typeof BreakoutState>;

export const JoinedMessage = v.object({
  type: v.literal('joined'),
  v: v.literal(PROTOCOL_VERSION),
  room: RoomInfo,
  self: ParticipantInfo,
  /** Everyone else already in the room. */
  participants: v.array(ParticipantInfo),
  /** Present with `resume`; send it back to re-attach after a dropped socket. */
  resumeToken: Secret,
  /** Whether this was a resume of an existing session (media kept) rather than a fresh join. */
  resumed: v.boolean(),
  activeSpeakerId: v.nullable(ParticipantId),
  /**
   * The meeting's chat so far, oldest first: public messages and this participant's own private ones
   * (kept in memory for the meeting only, at most `LIMITS.chatHistory`).
   */
  chat: v.optional(v.array(ChatMessage)),
  /** Raised hands, in the order they were raised. */
  hands: v.optional(v.array(ParticipantId)),
  /** The meeting's polls, oldest first (kept in memory for the meeting only). */
  polls: v.optional(v.array(Poll)),
  /** The video being watched together, if any. */
  sharedVideo: v.optional(v.nullable(SharedVideoState)),
  /** The open breakout rooms, if any. */
  breakouts: v.optional(v.nullable(BreakoutState)),
});

/**
 * Sent instead of `joined` when the room has a lobby: wait until a host admits (`joined` follows) or
 * denies (`ended { reason: 'denied' }`). Closing the socket leaves the lobby.
 */
export const LobbyWaiting = v.object({ type: v.literal('lobby-waiting'), room: v.object({ id: RoomId, title: v.string() }) });

/** To hosts and co-hosts: everyone waiting in the lobby now, whenever it changes. */
export const LobbyUpdate = v.object({ type: v.literal('lobby'), waiting: v.array(LobbyEntry) });

/** The room's settings, title, link or id changed (a rotated link gives the room a new id). */
export const RoomUpdated = v.object({ type: v.literal('room-updated'), room: RoomInfo });

/** The server ended this client's session; the socket closes next. Do not rejoin on your own. */
export const EndedMessage = v.object({ type: v.literal('ended'), reason: EndedReason, message: v.string() });

/**
 * A host or co-host turned this participant's microphone and/or camera off. The server has already stopped
 * forwarding it; the client should release it and show who did it. Only the participant can turn it on.
 */
export const ForceMute = v.object({ type: v.literal('force-mute'), kinds: v.array(MediaKind), by: v.nullable(ParticipantId) });

/** A host or co-host asks this participant to turn their microphone or camera on. */
export const UnmuteRequested = v.object({ type: v.literal('unmute-requested'), kind: MediaKind, by: ParticipantId });

/**
 * The simulcast encodings of a `send` slot that somebody receives: keep sending these (by rid) and pause
 * the others (`RTCRtpEncodingParameters.active = false`) until a later message turns them back on. Unused
 * layers would only cost the sender encoder time and uplink. The lowest encoding is always listed.
 */
export const SendLayers = v.object({ type: v.literal('send-layers'), mid: Mid, rids: v.pipe(v.array(Rid), v.minLength(1), v.maxLength(LIMITS.simulcastStreams)) });

/** The server stored this participant's `report` (refusals come as `error`). */
export const ReportReceived = v.object({ type: v.literal('report-received') });

/** A chat message for this participant (sent to the sender too, as confirmation). */
export const ChatMessageEvent = v.object({ type: v.literal('chat-message'), ...ChatMessage.entries });

/** Raised hands whenever they change, in the order they were raised. */
export const HandsUpdate = v.object({ type: v.literal('hands'), queue: v.array(ParticipantId) });

/** Someone reacted (the sender gets it too). */
export const ReactionEvent = v.object({ type: v.literal('reaction'), from: ParticipantId, emoji: v.picklist(REACTIONS) });

/** A sender key sealed for this participant by `from` (relayed `e2ee-keys`). */
export const E2eeKeyEvent = v.object({ type: v.literal('e2ee-key'), from: ParticipantId, sealed: v.string() });

/** `from` asks this participant to send its current sender key again (relayed `e2ee-key-request`). */
export const E2eeKeyRequested = v.object({ type: v.literal('e2ee-key-request'), from: ParticipantId });

/** The shared video started, paused, seeked or stopped (null). */
export const SharedVideoUpdate = v.object({ type: v.literal('shared-video'), video: v.nullable(SharedVideoState) });

/** A poll was created, voted on or closed (each participant gets their own view of it). */
export const PollUpdate = v.object({ type: v.literal('poll'), poll: Poll });

/** A host or co-host stopped this participant's screen share; the server already stopped forwarding it. */
export const ScreenShareStopped = v.object({ type: v.literal('screen-share-stopped'), by: v.nullable(ParticipantId) });

/** `from` edited a shared document (relayed `doc-update`; never echoed to its sender). */
export const DocUpdateEvent = v.object({ type: v.literal('doc-update'), doc: v.picklist(DOCS), from: ParticipantId, update: v.optional(v.string()), sealed: v.optional(v.string()) });

/** `from` asks this participant for the whole document; answer with `doc-state` to `from`. */
export const DocStateRequested = v.object({ type: v.literal('doc-sync-request'), doc: v.picklist(DOCS), from: ParticipantId });

/** The whole document from `from`, which this participant asked for. */
export const DocStateEvent = v.object({ type: v.literal('doc-state'), doc: v.picklist(DOCS), from: ParticipantId, state: v.optional(v.string()), sealed: v.optional(v.string()) });

/** Breakout rooms opened, changed (assignments, self-select) or closed (null). */
export const BreakoutsUpdate = v.object({ type: v.literal('breakouts'), state: v.nullable(BreakoutState) });

/** A host's or co-host's message to every room. */
export const BreakoutMessage = v.object({ type: v.literal('breakout-message'), from: ParticipantId, fromName: v.string(), text: v.string(), at: v.number() });

export const ParticipantJoined = v.object({ type: v.literal('participant-joined'), participant: ParticipantInfo });
export const ParticipantUpdated = v.object({ type: v.literal('participant-updated'), participant: ParticipantInfo });
export const ParticipantLeft = v.object({ type: v.literal('participant-left'), participantId: ParticipantId });

export const OfferMessage = v.object({ type: v.literal('offer'), offerId: v.pipe(v.number(), v.integer(), v.minValue(1)), sdp: Sdp, slots: v.array(Slot) });

export const ActiveSpeaker = v.object({ type: v.literal('active-speaker'), participantId: v.nullable(ParticipantId) });

/**
 * Receiving m-lines that changed source. Video changes take effect at a keyframe of the new source, and the
 * message is sent then, so a client never shows one participant's picture in another's tile.
 */
export const SlotSources = v.object({ type: v.literal('slot-sources'), sources: v.array(SlotSource) });

/**
 * Cameras this client asks for (`subscribe`) that the server does not send now because the client's
 * downlink cannot carry them as well, so that a tile can say its picture is paused, not that the camera
 * is off. Sent when the list changes; each replaces the previous one (empty: nothing is held back).
 */
export const VideoPaused = v.object({ type: v.literal('video-paused'), participantIds: v.array(ParticipantId) });

export const ErrorCode = v.picklist([
  'bad-message', // not JSON, unknown type, fails the schema
  'too-large',
  'rate-limited',
  'wrong-state', // e.g. an answer before joining
  'unsupported-version',
  'room-not-found',
  'room-full',
  'bad-sdp',
  'resume-failed',
  'internal',
  'forbidden', // an action this participant's role does not allow
  'not-found', // the participant or lobby entry named is not (or no longer) there
  'bad-request', // an action that cannot apply (e.g. joinMode "group" in a room without a group)
  'password-required',
  'wrong-password',
  'too-many-attempts', // password guesses or knocks throttled; try again later
  'room-locked',
  'banned',
  'not-invited', // invite-only room, no valid invite
  'members-only', // group room, no valid member credential
  'lobby-full',
  'room-blocked', // closed by the server's operator
  'e2ee-required', // the room requires end-to-end encryption and this client did not offer it
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

export const ErrorMessage = v.object({
  type: v.literal('error'),
  code: ErrorCode,
  message: v.string(),
  /** True when the server closes the connection after this error. */
  fatal: v.boolean(),
});

export const ServerMessage = v.variant('type', [
  JoinedMessage, ParticipantJoined, ParticipantUpdated, ParticipantLeft, OfferMessage, CandidateMessage, ActiveSpeaker, SlotSources, ErrorMessage,
  LobbyWaiting, LobbyUpdate, RoomUpdated, EndedMessage, ForceMute, UnmuteRequested, SendLayers, ReportReceived,
  ChatMessageEvent, HandsUpdate, ReactionEvent, E2eeKeyEvent, E2eeKeyRequested, PollUpdate, ScreenShareStopped, SharedVideoUpdate,
  DocUpdateEvent, DocStateRequested, DocStateEvent, BreakoutsUpdate, BreakoutMessage, VideoPaused,
]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
