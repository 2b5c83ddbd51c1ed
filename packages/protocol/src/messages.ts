import * as v from 'valibot';

/**
 * Treff signaling protocol, spoken as JSON text frames over one WebSocket (`/ws`).
 *
 * Negotiation is always offered by the server (it owns the transceiver layout); the client only
 * answers and trickles its ICE candidates. Each offer carries `slots`, which say what every m-line
 * (by mid) is for: where the client publishes (`send`) and whose track it receives (`recv`).
 */
export const PROTOCOL_VERSION = 1;

/** Largest signaling frame either side accepts, in bytes. SDP for a 100-person room fits easily. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export const LIMITS = {
  nameLength: 64,
  titleLength: 120,
  roomIdLength: 64,
  secretLength: 128,
  sdpLength: 200_000,
  candidateLength: 1024,
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

/** One m-line of a server offer, from the client's point of view. */
export const Slot = v.variant('direction', [
  v.object({ mid: Mid, kind: MediaKind, direction: v.literal('send') }),
  v.object({ mid: Mid, kind: MediaKind, direction: v.literal('recv'), participantId: ParticipantId }),
]);
export type Slot = v.InferOutput<typeof Slot>;

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

export const LeaveRequest = v.object({ type: v.literal('leave') });

export const ClientMessage = v.variant('type', [JoinRequest, ResumeRequest, AnswerMessage, CandidateMessage, SetMediaState, LeaveRequest]);
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

export const ServerMessage = v.variant('type', [JoinedMessage, ParticipantJoined, ParticipantUpdated, ParticipantLeft, OfferMessage, CandidateMessage, ActiveSpeaker, ErrorMessage]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
