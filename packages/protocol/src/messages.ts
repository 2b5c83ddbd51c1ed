import * as v from 'valibot';

/**
 * Treff signaling protocol, spoken as JSON text frames over one WebSocket (`/ws`).
 *
 * Negotiation is always offered by the server (it owns the transceiver layout); the client only
 * answers and trickles its ICE candidates. Each offer carries `slots`, which say what every m-line
 * (by mid) is for: where the client publishes (`send`) and whose track it receives (`recv`).
 */
export const PROTOCOL_VERSION = 2;

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
} as const;

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

/** What a participant currently sends; others show it (e.g. a muted-microphone icon). */
export const MediaState = v.object({ audio: v.boolean(), video: v.boolean() });
export type MediaState = v.InferOutput<typeof MediaState>;

export const Role = v.picklist(['host', 'guest']);
export type Role = v.InferOutput<typeof Role>;

export const ParticipantInfo = v.object({
  id: ParticipantId,
  name: v.string(),
  role: Role,
  media: MediaState,
  /** Milliseconds since the epoch, server clock. */
  joinedAt: v.number(),
});
export type ParticipantInfo = v.InferOutput<typeof ParticipantInfo>;

/** RFC 8851 restriction identifier: alphanumeric, short. */
const Rid = v.pipe(v.string(), v.regex(/^[A-Za-z0-9]{1,16}$/, 'rid must be 1–16 letters or digits'));
const Ssrc = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(0xffffffff));

/**
 * One m-line of a server offer, from the client's point of view. A `send` slot with `simulcast` asks the
 * client to publish one encoding per rid (RFC 8853), listed from the lowest resolution to the highest.
 * A `recv` slot is a receiver whose source the server switches: at any moment it carries one other
 * participant's track (or nothing); `slot-sources` says whose, as it changes.
 */
export const Slot = v.variant('direction', [
  v.object({ mid: Mid, kind: MediaKind, direction: v.literal('send'), simulcast: v.optional(v.array(Rid)) }),
  v.object({ mid: Mid, kind: MediaKind, direction: v.literal('recv'), participantId: v.nullable(ParticipantId) }),
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
  media: MediaState,
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

export const ClientMessage = v.variant('type', [JoinRequest, ResumeRequest, AnswerMessage, CandidateMessage, SetMediaState, SubscribeRequest, SimulcastStreams, LeaveRequest]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;
export type ClientMessageInput = v.InferInput<typeof ClientMessage>;

// ---- server → client ----

export const RoomInfo = v.object({ id: RoomId, title: v.string() });
export type RoomInfo = v.InferOutput<typeof RoomInfo>;

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
});

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
]);
export type ErrorCode = v.InferOutput<typeof ErrorCode>;

export const ErrorMessage = v.object({
  type: v.literal('error'),
  code: ErrorCode,
  message: v.string(),
  /** True when the server closes the connection after this error. */
  fatal: v.boolean(),
});

export const ServerMessage = v.variant('type', [JoinedMessage, ParticipantJoined, ParticipantUpdated, ParticipantLeft, OfferMessage, CandidateMessage, ActiveSpeaker, SlotSources, ErrorMessage]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
