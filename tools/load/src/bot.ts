// A Treff participant without a browser: real signaling over WebSocket (protocol v3), one
// node-datachannel PeerConnection answering the server's offers, synthetic VP8 (in simulcast when
// offered) + Opus published on the send slots, and bookkeeping of everything received on the recv
// slots, per slot stream and per publisher (slots switch sources, announced by `slot-sources`).
//
// libdatachannel routes incoming RTP by SSRC only (see shared/guides/sfu-transport.md), so the
// bot's answer must announce its send SSRCs with a=ssrc (RFC 5576): before answering, the bot adds
// its own track for every m-line of the offer with the direction it wants (SendOnly + SSRC on
// send slots, RecvOnly on recv slots, Inactive elsewhere). libdatachannel then answers with those
// descriptions instead of echoing the offer. Re-adding a track with an existing mid updates that
// transceiver in place, which is how a recycled mid changes direction.

import { PeerConnection, type Direction, type Track } from 'node-datachannel';
import { randomInt } from 'node:crypto';
import { rtp } from '@treff/sfu';

type NackGenerator = rtp.NackGenerator;
type NackOptions = rtp.NackOptions;
type NackStats = rtp.NackStats;
import {
  PROTOCOL_VERSION,
  type ChatMessage,
  type ClientMessage,
  type EndedReason,
  type ErrorCode,
  type LobbyEntry,
  type RoomInfo,
  type MediaKind,
  type MediaSource,
  type MediaState,
  type MessageOf,
  type ParticipantInfo,
  type Poll,
  type ServerMessage,
  type Slot,
  type VideoSubscription,
} from '@treff/protocol';
import { answerAsBrowser, describeLocalMedia } from './answer.js';
import { nowMs } from './clock.js';
import { InboundStream, type InboundStats, type SequenceVerdict } from './inbound.js';
import { parseOffer, type OfferedMedia } from './offer.js';
import { OutboundStream, type OutboundStats } from './outbound.js';
import { originTag, readProbeInto, type ProbeInfo } from './probe.js';
import { TransportSequence } from './rtp-extensions.js';
import { chooseRids, layerSourceOptions, layerSpec, type VideoLayers } from './simulcast.js';
import { SignalingClient, webSocketUrl } from './signaling.js';
import { SlotSources } from './slot-sources.js';
import { SourceReceiver, type SourceStats } from './source-stats.js';
import { addTick } from './ticker.js';
import { DEFAULT_AUDIO, DEFAULT_VIDEO, OpusGenerator, Vp8Generator, type AudioSourceOptions, type VideoSourceOptions } from './synthetic.js';
import { defaultTransportFeedbackRecorder, TransportFeedbackSender, type TransportFeedbackRecorderFactory, type TransportFeedbackStats } from './twcc.js';
import { waitUntil } from './wait.js';

type OfferMessage = MessageOf<ServerMessage, 'offer'>;
type JoinedMessage = MessageOf<ServerMessage, 'joined'>;
type ErrorMessage = MessageOf<ServerMessage, 'error'>;
type EndedMessage = MessageOf<ServerMessage, 'ended'>;
type ForceMuteMessage = MessageOf<ServerMessage, 'force-mute'>;
type UnmuteRequestedMessage = MessageOf<ServerMessage, 'unmute-requested'>;
type ScreenShareStoppedMessage = MessageOf<ServerMessage, 'screen-share-stopped'>;

export interface BotOptions {
  /** HTTP base URL of the Treff server, e.g. http://127.0.0.1:8080 (the WebSocket is at /ws). */
  url: string;
  roomId: string;
  name: string;
  hostSecret?: string;
  /** Join options of protocol v3 (docs/signaling.md, "Joining"). */
  password?: string;
  inviteToken?: string;
  memberToken?: string;
  deviceId?: string;
  /**
   * A moderator's `force-mute` stops the bot's own sending of those kinds, as a well-behaved client
   * does; `true` keeps sending regardless, as a client that ignores it would (the server must stop
   * forwarding anyway).
   */
  ignoreForceMute?: boolean;
  /** What the bot sends; both by default. A kind not published still gets its send slot answered. */
  publish?: Partial<MediaState>;
  /**
   * Video of a send slot without simulcast (and of `videoLayers: 1`). Simulcast layers use the sizes
   * and bitrates of `SIMULCAST_LAYERS`; only `framesPerSecond` and `keyframeIntervalMs` apply to them.
   */
  video?: Partial<VideoSourceOptions>;
  /**
   * Simulcast encodings to publish when the offer's video send slot asks for simulcast: the lowest
   * 2 or 3 of the offered rids (default 3). 1 answers without simulcast, as a client without it would.
   */
  videoLayers?: VideoLayers;
  /**
   * Where received packets' transport-wide sequence numbers go for transport-cc feedback (sent every
   * ~50 ms, as browsers do) when the offer negotiates the extension. Defaults to the SFU's recorder
   * when available; false sends no feedback.
   */
  transportFeedback?: TransportFeedbackRecorderFactory | false;
  audio?: Partial<AudioSourceOptions>;
  /** Deadline for connecting and joining (ms). */
  timeoutMs?: number;
  /** Local address for ICE host candidates; libjuice gathers none without it. */
  bindAddress?: string;
  /**
   * NACK missing packets of received video (RFC 4585 §6.2.1), as browsers do; off by default, so
   * that plain runs measure the forwarding path alone. `true` uses the defaults of `DEFAULT_NACK`.
   */
  nack?: boolean | Partial<NackOptions>;
  /**
   * Rewrites each ICE candidate the server trickles before it is added, e.g. to send all media
   * through a test relay. The value is the attribute value ("candidate:..."), as in `candidate` messages.
   */
  rewriteRemoteCandidate?: (candidate: string) => string;
  /** Rewrites each of the bot's own ICE candidates (trickled and in answers) before the server sees it. */
  rewriteLocalCandidate?: (candidate: string) => string;
  /**
   * Only count received RTP packets (`rtpPacketsReceived`), without parsing or statistics: what receiving
   * costs in node-datachannel itself, for benchmarks. RTCP is still handled.
   */
  countOnly?: boolean;
}

/** One received RTP packet, for tests that look at individual packets. */
export interface ReceivedPacket {
  mid: string;
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  verdict: SequenceVerdict;
  stream: InboundStream;
  /** The packet as received (decrypted RTP); valid only during the listener call. */
  packet: Buffer;
  /** Payload offset and length within `packet`, for codec headers (e.g. the VP8 picture id). */
  payloadOffset: number;
  payloadLength: number;
}

export class BotJoinError extends Error {
  override name = 'BotJoinError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(`join refused: ${code}: ${message}`);
  }
}

/** The server ended the bot's session (`ended`): removed, banned, denied from the lobby, meeting over. */
/** The server refused a request (its `error` reply), e.g. a screen share while someone else shares. */
export class BotRefusedError extends Error {
  override name = 'BotRefusedError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class BotEndedError extends Error {
  override name = 'BotEndedError';
  constructor(
    readonly reason: EndedReason,
    message: string,
  ) {
    super(`session ended: ${reason}: ${message}`);
  }
}

interface LocalTrack {
  track: Track;
  direction: Direction;
  /** SSRCs announced on a SendOnly track (one per simulcast encoding), empty otherwise. */
  ssrcs: readonly number[];
  /** Rids sent on it, lowest first; empty without simulcast. */
  rids: readonly string[];
}

/** One simulcast encoding the bot publishes, as reported in `simulcast-streams`. */
export interface PublishedStream {
  rid: string;
  ssrc: number;
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}

export class Bot {
  readonly name: string;
  /** The room's current id (a rotated link gives it a new one, announced in `room-updated`). */
  roomId: string;
  /** Server messages that failed validation, and our own failures (answering, sending). */
  readonly localErrors: string[] = [];
  /** Every `error` the server sent us. */
  readonly errors: ErrorMessage[] = [];
  readonly participantsJoined: string[] = [];
  readonly participantsLeft: string[] = [];
  /** Everyone else in the room, as far as signaling told us. */
  readonly participants = new Map<string, ParticipantInfo>();
  offersReceived = 0;
  offersAnswered = 0;
  malformedRtp = 0;
  /** RTP packets received, counted before anything else looks at them. */
  rtpPacketsReceived = 0;
  /** The cameras the server holds back for this bot's downlink (`video-paused`). */
  videoPaused: ReadonlySet<string> = new Set();
  malformedRtcp = 0;
  senderReports = 0;
  joinedAt = -1;
  joined: JoinedMessage | null = null;
  /** The room as the server last described it (`joined`, then `room-updated`). */
  room: RoomInfo | null = null;
  /** Set while the bot knocks in a lobby (`lobby-waiting`), until it is let in or turned away. */
  inLobby = false;
  /** The lobby as the server last showed it to this bot (hosts and co-hosts only). */
  lobby: LobbyEntry[] | null = null;
  /** Why the server ended the session, once it did. */
  ended: EndedMessage | null = null;
  readonly forceMutes: ForceMuteMessage[] = [];
  /** Every `send-layers` the server sent, with when it arrived. */
  readonly sendLayerChanges: { mid: string; rids: string[]; at: number }[] = [];
  readonly unmuteRequests: UnmuteRequestedMessage[] = [];
  /** Every `chat-message` received (the history a `joined` brought is in `joined.chat`). */
  readonly chatMessages: ChatMessage[] = [];
  /** Raised hands as the server last said (`joined`, then `hands`). */
  hands: string[] = [];
  readonly reactions: { from: string; emoji: string }[] = [];
  /** The meeting's polls as this bot sees them, oldest first (`joined`, then `poll`). */
  polls: Poll[] = [];
  /** Every `screen-share-stopped` (a moderator stopped this bot's share). */
  readonly screenShareStops: ScreenShareStoppedMessage[] = [];

  private readonly options: BotOptions;
  private readonly pc: PeerConnection;
  private signaling: SignalingClient | null = null;
  /** Receiving slots' current sources, from offers and `slot-sources`. */
  readonly slotSources = new SlotSources();
  /** `slot-sources` messages received. */
  slotSourceMessages = 0;
  /** Packets that no publisher could be named for (no probe, slot carrying nobody). */
  unattributedPackets = 0;
  private offered = new Map<string, OfferedMedia>();
  private readonly tracks = new Map<string, LocalTrack>();
  /**
   * Every Track wrapper ever handed out. node-datachannel closes the underlying track when a
   * wrapper is garbage-collected, and re-adding a mid returns a new wrapper for the same track.
   */
  private readonly trackWrappers: Track[] = [];
  private readonly inbound = new Map<string, Map<number, InboundStream>>();
  /** Per publisher (participant id) and kind, whichever slots carried it. */
  private readonly sources = new Map<string, SourceReceiver>();
  /** The same for screen shares, which arrive on slots of their own (source `screen`). */
  private readonly screenSources = new Map<string, SourceReceiver>();
  /** When the bot learned of each participant: time to first frame counts from then. */
  private readonly participantSince = new Map<string, number>();
  /** originTag → participant id of everyone known, to name a packet's publisher from its probe. */
  private readonly origins = new Map<number, string>();
  private readonly probe: ProbeInfo = { sendTimeMs: -1, origin: 0, layer: -1 };
  /** Audio stream first, then the video stream or one stream per simulcast layer (lowest first). */
  private outbound: OutboundStream[] = [];
  private readonly sendSsrcs: Record<MediaKind, number> = { audio: randomSsrc(), video: randomSsrc() };
  /** SSRCs of simulcast layers 1 and 2 (layer 0 uses `sendSsrcs.video`). */
  private readonly upperLayerSsrcs = [randomSsrc(), randomSsrc()];
  /** The synthetic screen share (video, and audio when asked for) while sharing. */
  private screenOutbound: OutboundStream[] = [];
  /**
   * New for every share, as a browser's new capture track gets: a stream restarting its sequence numbers
   * under an SSRC SRTP has seen fails its replay check, on either side.
   */
  private screenSsrcs: Record<MediaKind, number> = { audio: randomSsrc(), video: randomSsrc() };
  private readonly transportSequence = new TransportSequence(randomInt(0x10000));
  private readonly feedbackFactory: TransportFeedbackRecorderFactory | null;
  private feedback: TransportFeedbackSender | null = null;
  private stopFeedbackTick: (() => void) | null = null;
  /** What the last `simulcast-streams` said, so it is sent again only when it changes. */
  private lastSimulcastStreams = '';
  private lastSubscription: VideoSubscription[] | null = null;
  /** Sender SSRC of the bot's own RTCP feedback (RFC 4585 §6.1 "SSRC of packet sender"). */
  private readonly rtcpSsrc = randomSsrc();
  private readonly cname = `bot-${randomInt(1e9)}`;
  private readonly header = rtp.createRtpHeader();
  private readonly rtpListeners = new Set<(p: ReceivedPacket) => void>();
  private firstMid: string | null = null;
  private closed = false;
  /** NACK generators of received video streams, when `options.nack` asks for them. */
  private readonly nackers = new Map<InboundStream, NackGenerator>();
  private readonly nackOptions: Partial<NackOptions> | null;
  private stopNackTick: (() => void) | null = null;
  /** Successful resumes of the signaling session. */
  resumes = 0;

  private constructor(options: BotOptions) {
    this.options = options;
    this.name = options.name;
    this.roomId = options.roomId;
    this.pc = new PeerConnection(options.name, {
      iceServers: [],
      bindAddress: options.bindAddress ?? '127.0.0.1',
      // The server makes every offer; libdatachannel must not start negotiations of its own.
      disableAutoNegotiation: true,
    });
    this.nackOptions = options.nack === true ? {} : options.nack ? options.nack : null;
    this.feedbackFactory = options.transportFeedback === false ? null : (options.transportFeedback ?? defaultTransportFeedbackRecorder);
    this.pc.onLocalCandidate((candidate, mid) => {
      // The protocol carries the attribute value ("candidate:..."), as RTCIceCandidate.candidate does.
      const value = candidate.replace(/^a=/, '');
      this.signaling?.send({ type: 'candidate', candidate: this.options.rewriteLocalCandidate?.(value) ?? value, mid });
    });
    this.pc.onGatheringStateChange((state) => {
      if (state === 'complete' && this.firstMid !== null) this.signaling?.send({ type: 'candidate', candidate: '', mid: this.firstMid });
    });
    this.pc.onTrack((track) => {
      // libdatachannel reports the bot's own tracks here too (a second wrapper of the same track);
      // keep it referenced so that its collection does not close the track. Any other mid is a
      // transceiver the bot did not set up.
      this.trackWrappers.push(track);
      const mid = track.mid();
      if (!this.tracks.has(mid)) this.localErrors.push(`unexpected remote track on mid ${mid}`);
    });
  }

  /** Connects, joins `roomId` and resolves once `joined` arrived; offers are answered from then on. */
  static async join(options: BotOptions): Promise<Bot> {
    const bot = new Bot(options);
    try {
      await bot.start();
    } catch (err) {
      bot.close();
      throw err;
    }
    return bot;
  }

  get participantId(): string {
    if (!this.joined) throw new Error('bot has not joined');
    return this.joined.self.id;
  }

  /** The SSRCs this bot publishes with (what the server receives, before its rewriting); video: the lowest layer. */
  get publishedSsrcs(): Readonly<Record<MediaKind, number>> {
    return this.sendSsrcs;
  }

  /** The simulcast encodings the bot publishes now (rid and SSRC, lowest first); empty without simulcast. */
  get publishedVideoStreams(): PublishedStream[] {
    return this.outbound.filter((o) => o.kind === 'video' && o.rid !== null).map((o) => ({ rid: o.rid!, ssrc: o.ssrc }));
  }

  get peerConnectionState(): string {
    return this.pc.state();
  }

  private async start(untilLobby = false): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 15000;
    const signaling = await SignalingClient.connect(webSocketUrl(this.options.url, this.options.roomId), timeoutMs);
    this.signaling = signaling;
    signaling.onMessage((m) => {
      if (this.signaling === signaling) this.onSignal(m);
    });
    const publish = { audio: this.options.publish?.audio ?? true, video: this.options.publish?.video ?? true };
    const { hostSecret, password, inviteToken, memberToken, deviceId } = this.options;
    const sent = signaling.send({
      type: 'join',
      v: PROTOCOL_VERSION,
      roomId: this.options.roomId,
      name: this.options.name,
      media: publish,
      ...(hostSecret ? { hostSecret } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(inviteToken !== undefined ? { inviteToken } : {}),
      ...(memberToken !== undefined ? { memberToken } : {}),
      ...(deviceId !== undefined ? { deviceId } : {}),
    });
    if (!sent) throw new Error('signaling closed before join');
    const reply = await signaling.waitFor((m) => m.type === 'joined' || m.type === 'error' || m.type === 'lobby-waiting' || m.type === 'ended', "'joined'", timeoutMs);
    if (reply.type === 'error') throw new BotJoinError(reply.code, reply.message);
    if (reply.type === 'ended') throw new BotEndedError(reply.reason, reply.message);
    if (reply.type === 'lobby-waiting' && !untilLobby) await this.admitted(timeoutMs);
  }

  /**
   * Connects and asks to join a room with a lobby: resolves once the bot knocks (`lobby-waiting`),
   * or with a bot already in when the room let it straight in. `admitted()` waits for the rest.
   */
  static async knock(options: BotOptions): Promise<Bot> {
    const bot = new Bot(options);
    try {
      await bot.start(true);
    } catch (err) {
      bot.close();
      throw err;
    }
    return bot;
  }

  /** Resolves once a knocking bot is let in (`joined`); rejects when it is turned away or refused. */
  async admitted(timeoutMs = this.options.timeoutMs ?? 15000): Promise<JoinedMessage> {
    if (this.joined) return this.joined;
    const signaling = this.signaling;
    if (signaling === null) throw new Error('bot has no signaling connection');
    const reply = await signaling.waitFor((m) => m.type === 'joined' || m.type === 'error' || m.type === 'ended', "'joined' from the lobby", timeoutMs);
    if (reply.type === 'error') throw new BotJoinError(reply.code, reply.message);
    if (reply.type === 'ended') throw new BotEndedError(reply.reason, reply.message);
    if (reply.type !== 'joined') throw new Error(`unexpected reply ${reply.type}`);
    return reply;
  }

  /** Sends any client message (moderation, reports); false when the socket is not open. */
  send(message: ClientMessage): boolean {
    return this.signaling?.send(message) ?? false;
  }

  /** The next server message of `type` (matching `predicate`) from now on. */
  nextSignal<T extends ServerMessage['type']>(type: T, timeoutMs: number, predicate?: (m: MessageOf<ServerMessage, T>) => boolean): Promise<MessageOf<ServerMessage, T>> {
    if (this.signaling === null) return Promise.reject(new Error('bot has no signaling connection'));
    return this.signaling.next(type, timeoutMs, predicate);
  }

  /** Whether the server closed (or the bot lost) the signaling socket. */
  private onSignal(m: ServerMessage): void {
    switch (m.type) {
      case 'joined':
        this.joined = m;
        this.room = m.room;
        this.roomId = m.room.id;
        this.inLobby = false;
        // A resume keeps the media session: first-packet times stay relative to the original join.
        if (!m.resumed) this.joinedAt = nowMs();
        // `joined` carries the current room; after a resume it replaces whatever was missed meanwhile.
        this.participants.clear();
        this.origins.set(originTag(m.self.id), m.self.id);
        for (const p of m.participants) this.learnParticipant(p);
        this.hands = m.hands ?? [];
        this.polls = m.polls ?? [];
        break;
      case 'offer':
        this.offersReceived++;
        this.answer(m);
        break;
      case 'participant-joined':
        this.participantsJoined.push(m.participant.id);
        this.learnParticipant(m.participant);
        break;
      case 'participant-updated':
        // Updates about the bot itself (a role it was given, a mute) change its own entry, not the others'.
        if (this.joined !== null && m.participant.id === this.joined.self.id) this.joined = { ...this.joined, self: m.participant };
        else this.participants.set(m.participant.id, m.participant);
        break;
      case 'participant-left':
        this.participantsLeft.push(m.participantId);
        this.participants.delete(m.participantId);
        break;
      case 'error':
        this.errors.push(m);
        break;
      case 'candidate':
        // The server trickles its candidates once it has applied the first answer (docs/signaling.md).
        if (m.candidate !== '') {
          try {
            this.pc.addRemoteCandidate(this.options.rewriteRemoteCandidate?.(m.candidate) ?? m.candidate, m.mid);
          } catch (err) {
            this.localErrors.push(`server candidate: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        break;
      case 'slot-sources': {
        this.slotSourceMessages++;
        const now = nowMs();
        for (const change of this.slotSources.applySources(m.sources, now)) {
          // A source appearing on a slot is expected from now on, unless it was seen already.
          const slot = this.slotSources.get(change.mid)?.slot;
          if (change.to !== null) this.sourceFor(change.to, slot?.kind ?? 'video', now, slot?.source);
        }
        break;
      }
      case 'active-speaker':
        break;
      case 'lobby-waiting':
        this.inLobby = true;
        break;
      case 'lobby':
        this.lobby = m.waiting;
        break;
      case 'room-updated':
        this.room = m.room;
        this.roomId = m.room.id;
        break;
      case 'ended':
        this.ended = m;
        this.inLobby = false;
        break;
      case 'force-mute':
        this.forceMutes.push(m);
        if (!this.options.ignoreForceMute) for (const stream of this.outbound) if (m.kinds.includes(stream.kind)) stream.setEnabled(false);
        break;
      case 'unmute-requested':
        this.unmuteRequests.push(m);
        break;
      case 'chat-message': {
        const { type: _type, ...message } = m;
        this.chatMessages.push(message);
        break;
      }
      case 'hands':
        this.hands = m.queue;
        break;
      case 'reaction':
        this.reactions.push({ from: m.from, emoji: m.emoji });
        break;
      case 'poll': {
        const i = this.polls.findIndex((p) => p.id === m.poll.id);
        if (i < 0) this.polls.push(m.poll);
        else this.polls[i] = m.poll;
        break;
      }
      case 'screen-share-stopped':
        // As the SDK does: the captured screen stops.
        this.screenShareStops.push(m);
        this.stopScreenStreams();
        break;
      case 'video-paused':
        this.videoPaused = new Set(m.participantIds);
        break;
      case 'send-layers':
        this.sendLayerChanges.push({ mid: m.mid, rids: m.rids, at: nowMs() });
        // As a browser does with RTCRtpEncodingParameters.active: the paused encodings stop, the rest go on.
        for (const stream of this.outbound) if (stream.kind === 'video' && stream.rid !== null) stream.setPaused(!m.rids.includes(stream.rid));
        break;
    }
  }

  private learnParticipant(p: ParticipantInfo): void {
    this.participants.set(p.id, p);
    this.origins.set(originTag(p.id), p.id);
    if (!this.participantSince.has(p.id)) this.participantSince.set(p.id, nowMs());
  }

  /** The statistics of `participantId`'s `kind` (of its camera and microphone, or its screen share), created on first use. */
  private sourceFor(participantId: string, kind: MediaKind, now: number, origin: MediaSource = 'camera'): SourceReceiver {
    const key = `${kind}:${participantId}`;
    const map = origin === 'screen' ? this.screenSources : this.sources;
    let source = map.get(key);
    if (!source) {
      // A screen share is expected from when its slot appears, not from the sharer's arrival.
      const since = origin === 'screen' ? now : Math.max(this.joinedAt, this.participantSince.get(participantId) ?? now);
      source = new SourceReceiver(participantId, kind, since);
      map.set(key, source);
    }
    return source;
  }

  private answer(offer: OfferMessage): void {
    if (this.closed) return;
    const now = nowMs();
    try {
      const media = parseOffer(offer.sdp);
      const slots = new Map(offer.slots.map((s) => [s.mid, s]));
      // Updated before the new description applies, so packets on a recycled mid are attributed
      // to its new owner (JavaScript runs this whole method before the next packet callback).
      this.slotSources.applyOffer(offer.slots, now);
      for (const slot of offer.slots) if (slot.direction === 'recv' && slot.participantId !== null) this.sourceFor(slot.participantId, slot.kind, now, slot.source);
      // No screen send slot any more (the share ended, whoever ended it): nothing to send it on.
      if (!offer.slots.some((slot) => slot.direction === 'send' && slot.source === 'screen')) this.stopScreenStreams();
      this.offered = new Map(media.map((m) => [m.mid, m]));
      this.firstMid ??= media[0]?.mid ?? null;
      this.pc.setRemoteDescription(offer.sdp, 'offer');
      for (const m of media) this.ensureTrack(m, slots.get(m.mid));
      // node-datachannel does not catch C++ exceptions from setLocalDescription: answering in any
      // other state aborts the whole process (std::logic_error → terminate). Check first.
      const state = this.pc.signalingState();
      if (state !== 'have-remote-offer') throw new Error(`cannot answer in signaling state ${state} (pc ${this.pc.state()})`);
      this.pc.setLocalDescription('answer');
      const local = this.pc.localDescription();
      if (!local) throw new Error('libdatachannel produced no answer');
      const simulcastMids = new Set([...this.tracks].filter(([, t]) => t.rids.length > 0).map(([mid]) => mid));
      const sdp = answerAsBrowser(this.rewriteAnswerCandidates(local.sdp), simulcastMids);
      if (this.signaling?.send({ type: 'answer', offerId: offer.offerId, sdp })) this.offersAnswered++;
      this.announceSimulcastStreams();
      this.startTransportFeedback();
    } catch (err) {
      this.localErrors.push(`answering offer ${offer.offerId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** After answering, a simulcast sender reports its encodings' SSRCs (browsers leave them out of answers). */
  private announceSimulcastStreams(): void {
    for (const [mid, t] of this.tracks) {
      if (t.rids.length === 0) continue;
      const streams = t.rids.map((rid, i) => ({ rid, ssrc: t.ssrcs[i]! }));
      const key = `${mid}:${JSON.stringify(streams)}`;
      if (key === this.lastSimulcastStreams) continue;
      if (this.signaling?.send({ type: 'simulcast-streams', mid, streams })) this.lastSimulcastStreams = key;
    }
  }

  private ensureTrack(m: OfferedMedia, slot: Slot | undefined): void {
    let desired: Direction = 'Inactive';
    if (m.direction !== 'inactive' && slot?.kind === m.kind) desired = slot.direction === 'send' ? 'SendOnly' : 'RecvOnly';
    if (slot !== undefined && slot.kind !== m.kind) this.localErrors.push(`slot ${slot.mid} says ${slot.kind} but the m-line is ${m.kind}`);
    if (desired === 'SendOnly' && m.direction !== 'recvonly' && m.direction !== 'sendrecv') {
      this.localErrors.push(`send slot ${m.mid} offered as ${m.direction}`);
    }
    if (desired !== 'Inactive' && m.payloadType === null) {
      this.localErrors.push(`m-line ${m.mid} offers no ${m.kind === 'video' ? 'VP8' : 'Opus'}`);
      desired = 'Inactive';
    }
    let rids: string[] = [];
    if (desired === 'SendOnly' && m.kind === 'video' && slot?.direction === 'send') {
      const offeredRids = slot.simulcast ?? [];
      if (offeredRids.join(';') !== m.simulcastRids.join(';')) {
        this.localErrors.push(`slot ${m.mid} asks for simulcast [${offeredRids.join(',')}], the SDP receives [${m.simulcastRids.join(',')}]`);
      }
      rids = m.ridId > 0 ? chooseRids(offeredRids, this.options.videoLayers ?? 3) : [];
    }
    const screen = slot?.direction === 'send' && slot.source === 'screen';
    if (screen) rids = [];
    let ssrcs = desired !== 'SendOnly' ? [] : m.kind === 'audio' ? [this.sendSsrcs.audio] : [this.sendSsrcs.video, ...this.upperLayerSsrcs].slice(0, Math.max(1, rids.length));
    if (screen && desired === 'SendOnly') ssrcs = [this.screenSsrcs[m.kind]];
    const existing = this.tracks.get(m.mid);
    if (existing && existing.direction === desired && existing.ssrcs.join() === ssrcs.join() && existing.rids.join() === rids.join()) return;

    const description = describeLocalMedia(m, { direction: desired, ssrcs, rids, cname: this.cname });
    const track = this.pc.addTrack(description);
    this.trackWrappers.push(track);
    const mid = m.mid;
    track.onMessage((buf) => this.onTrackMessage(mid, buf));
    track.onError((err) => this.localErrors.push(`track ${mid}: ${err}`));
    this.tracks.set(mid, { track, direction: desired, ssrcs, rids });
    if (desired === 'SendOnly') for (const stream of screen ? this.screenOutboundFor(m) : this.outboundFor(m, rids)) stream.bind(mid, track);
  }

  /** The synthetic screen share's stream of `m`'s kind: a single VP8 encoding (no simulcast for screens), or Opus. */
  private screenOutboundFor(m: OfferedMedia): OutboundStream[] {
    const have = this.screenOutbound.filter((o) => o.kind === m.kind);
    if (have.length > 0) return have;
    const payloadType = m.payloadType ?? (m.kind === 'video' ? 96 : 111);
    const tags = { origin: this.joined ? originTag(this.joined.self.id) : 0, transportCcId: m.transportCcId };
    const generator =
      m.kind === 'audio'
        ? new OpusGenerator(this.screenSsrcs.audio, payloadType, m.audioLevelId, { ...DEFAULT_AUDIO, ...this.options.audio }, tags)
        : new Vp8Generator(this.screenSsrcs.video, payloadType, { ...DEFAULT_VIDEO, ...this.options.video }, tags);
    const stream = new OutboundStream(m.kind, generator, { rid: null, transportSequence: this.transportSequence });
    this.screenOutbound.push(stream);
    return [stream];
  }

  private stopScreenStreams(): void {
    for (const stream of this.screenOutbound) stream.stop();
    this.screenOutbound = [];
  }

  /** The streams publishing on a send slot: audio, or video as one stream or one per rid. */
  private outboundFor(m: OfferedMedia, rids: readonly string[]): OutboundStream[] {
    const wanted = m.kind === 'audio' ? [null] : rids.length > 0 ? rids : [null];
    const have = this.outbound.filter((o) => o.kind === m.kind);
    if (have.length === wanted.length && have.every((o, i) => o.rid === wanted[i])) return have;
    for (const o of have) o.stop();
    const payloadType = m.payloadType ?? (m.kind === 'video' ? 96 : 111);
    const origin = this.joined ? originTag(this.joined.self.id) : 0;
    const tags = { origin, transportCcId: m.transportCcId };
    const enabled = this.options.publish?.[m.kind] ?? true;
    const video = { ...DEFAULT_VIDEO, ...this.options.video };
    const created = wanted.map((rid, layer) => {
      let generator: OpusGenerator | Vp8Generator;
      if (m.kind === 'audio') {
        generator = new OpusGenerator(this.sendSsrcs.audio, payloadType, m.audioLevelId, { ...DEFAULT_AUDIO, ...this.options.audio }, tags);
      } else if (rid === null) {
        generator = new Vp8Generator(this.sendSsrcs.video, payloadType, video, tags);
      } else {
        const ssrc = layer === 0 ? this.sendSsrcs.video : this.upperLayerSsrcs[layer - 1]!;
        const options = layerSourceOptions(layerSpec(layer), video.framesPerSecond, video.keyframeIntervalMs);
        generator = new Vp8Generator(ssrc, payloadType, options, { ...tags, layer, rid: { id: m.ridId, value: rid } });
      }
      const stream = new OutboundStream(m.kind, generator, { rid, transportSequence: this.transportSequence });
      stream.setEnabled(enabled);
      return stream;
    });
    this.outbound = [...this.outbound.filter((o) => o.kind !== m.kind), ...created].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'audio' ? -1 : 1));
    return created;
  }

  /** Transport-cc feedback for received media, once an offer negotiated the extension. */
  private startTransportFeedback(): void {
    if (this.feedback !== null || this.feedbackFactory === null) return;
    if (![...this.offered.values()].some((m) => m.transportCcId > 0 && m.transportCcFeedback)) return;
    this.feedback = new TransportFeedbackSender(this.feedbackFactory(), this.rtcpSsrc, (packet) => {
      const mid = this.firstMid;
      return mid !== null && this.sendRtcp(mid, packet);
    });
    this.stopFeedbackTick = addTick((t) => this.feedback?.tick(t), nowMs);
  }

  private onTrackMessage(mid: string, buf: Buffer): void {
    if (rtp.isRtcp(buf)) {
      this.onRtcp(buf);
      return;
    }
    this.rtpPacketsReceived++;
    if (this.options.countOnly) return;
    const h = this.header;
    if (!rtp.parseRtpHeaderInto(buf, h)) {
      this.malformedRtp++;
      return;
    }
    const now = nowMs();
    const offered = this.offered.get(mid);
    if (this.feedback !== null && offered !== undefined && offered.transportCcId > 0) {
      const at = rtp.findHeaderExtension(buf, h, offered.transportCcId);
      if (at >= 0 && rtp.extensionLengthAt(buf, h, at) === 2) this.feedback.onPacket((buf[at]! << 8) | buf[at + 1]!, now, h.ssrc);
    }
    const slot = this.slotSources.get(mid);
    const announcedSource = slot?.source ?? null;
    const probe = readProbeInto(buf, h.payloadOffset, h.payloadLength, this.probe) ? this.probe : null;
    // The probe names the publisher exactly; the slot's announced source is the fallback (e.g. for
    // media not made by a bot) and may lag behind a switch by the `slot-sources` message's delay.
    const source = (probe !== null ? this.origins.get(probe.origin) : undefined) ?? announcedSource;
    let byMid = this.inbound.get(mid);
    if (!byMid) {
      byMid = new Map();
      this.inbound.set(mid, byMid);
    }
    let stream = byMid.get(h.ssrc);
    if (!stream) {
      stream = new InboundStream({
        mid,
        ssrc: h.ssrc,
        kind: offered?.kind ?? slot?.slot.kind ?? 'video',
        participantId: source,
        announced: offered?.ssrcs.includes(h.ssrc) ?? false,
        joinedAt: this.joinedAt,
        offeredAt: slot?.since ?? this.joinedAt,
      });
      byMid.set(h.ssrc, stream);
    }
    stream.participantId = source;
    const missingBefore = stream.sequence.missing;
    const verdict = stream.onPacket(buf, h, now, probe?.sendTimeMs ?? -1);
    if (source !== null) {
      const screen = slot?.slot.source === 'screen';
      if (stream.receiver?.participantId !== source || stream.receiverIsScreen !== screen) {
        stream.receiver = this.sourceFor(source, stream.kind, now, slot?.slot.source);
        stream.receiverIsScreen = screen;
      }
      stream.receiver.onPacket({
        mid,
        ssrc: h.ssrc,
        buf,
        header: h,
        now,
        verdict,
        lostDelta: stream.sequence.missing - missingBefore,
        probe,
        announced: source === announcedSource,
      });
    } else {
      this.unattributedPackets++;
    }
    if (this.nackOptions !== null && stream.kind === 'video') this.nackerFor(stream).onPacket(h.sequenceNumber, now);
    if (this.rtpListeners.size > 0) {
      const event: ReceivedPacket = {
        mid,
        ssrc: h.ssrc,
        sequenceNumber: h.sequenceNumber,
        timestamp: h.timestamp,
        verdict,
        stream,
        packet: buf,
        payloadOffset: h.payloadOffset,
        payloadLength: h.payloadLength,
      };
      for (const l of this.rtpListeners) l(event);
    }
  }

  private nackerFor(stream: InboundStream): NackGenerator {
    let nacker = this.nackers.get(stream);
    if (!nacker) {
      const { mid, ssrc } = stream;
      nacker = new rtp.NackGenerator((seqs) => this.sendNack(mid, ssrc, seqs), this.nackOptions ?? {});
      this.nackers.set(stream, nacker);
      this.stopNackTick ??= addTick((t) => {
        for (const n of this.nackers.values()) n.tick(t);
      }, nowMs);
    }
    return nacker;
  }

  /** Applies `rewriteLocalCandidate` to candidates libdatachannel already put into the answer. */
  private rewriteAnswerCandidates(sdp: string): string {
    const rewrite = this.options.rewriteLocalCandidate;
    if (!rewrite) return sdp;
    return sdp.replace(/^a=(candidate:[^\r\n]*)/gm, (_line, value: string) => `a=${rewrite(value)}`);
  }

  private onRtcp(buf: Buffer): void {
    const packets = rtp.parseRtcp(buf);
    if (packets === null) {
      this.malformedRtcp++;
      return;
    }
    for (const p of packets) {
      if (p.kind === 'sr') this.senderReports++;
      else if (p.kind === 'pli' || p.kind === 'fir' || p.kind === 'nack') {
        // Each stream takes what names its SSRC (a FIR may name several).
        for (const out of [...this.outbound, ...this.screenOutbound]) out.onFeedback(p);
      }
    }
  }

  // ---- observation ----

  /** Calls `listener` for every RTP packet received; returns the unsubscribe function. */
  onRtp(listener: (p: ReceivedPacket) => void): () => void {
    this.rtpListeners.add(listener);
    return () => this.rtpListeners.delete(listener);
  }

  /** Stats of every incoming stream so far (one per mid and SSRC). */
  inboundStats(): InboundStats[] {
    const all: InboundStats[] = [];
    for (const byMid of this.inbound.values()) for (const s of byMid.values()) all.push(s.snapshot());
    return all;
  }

  /** What arrived from each publisher and kind, whichever slots carried it. */
  sourceStats(kind?: MediaKind): SourceStats[] {
    const now = nowMs();
    const all: SourceStats[] = [];
    for (const s of this.sources.values()) if (!kind || s.kind === kind) all.push(s.snapshot(now));
    return all;
  }

  /** One publisher's `kind` as received, or null before anything was expected from it. */
  sourceStatsOf(participantId: string, kind: MediaKind): SourceStats | null {
    return this.sources.get(`${kind}:${participantId}`)?.snapshot(nowMs()) ?? null;
  }

  /** Counters of the transport-cc feedback this bot sends (null when none is negotiated or no recorder). */
  transportFeedbackStats(): TransportFeedbackStats | null {
    return this.feedback ? { ...this.feedback.stats } : null;
  }

  /** The transport-wide sequence number the next packet this bot sends will carry. */
  get nextTransportSequence(): number {
    return this.transportSequence.next;
  }

  /** Forgets every latency sample so far: a measuring window that starts now sees only its own. */
  restartLatency(): void {
    for (const byMid of this.inbound.values()) for (const s of byMid.values()) s.latency.reset();
    for (const s of this.sources.values()) s.restartLatency();
    for (const s of this.screenSources.values()) s.restartLatency();
  }

  /** Latency samples (ms, bounded reservoirs) of all incoming streams, optionally of one kind. */
  latencySamples(kind?: MediaKind): number[] {
    const out: number[] = [];
    for (const byMid of this.inbound.values()) for (const s of byMid.values()) if (!kind || s.kind === kind) out.push(...s.latency.reservoir);
    return out;
  }

  /** Incoming streams of one publisher's `kind`, busiest first. */
  streamsFrom(participantId: string, kind: MediaKind): InboundStats[] {
    return this.inboundStats()
      .filter((s) => s.participantId === participantId && s.kind === kind)
      .sort((a, b) => b.packets - a.packets);
  }

  /** One publisher's screen share (`kind`) as received on screen slots, or null before any was expected. */
  screenStatsOf(participantId: string, kind: MediaKind): SourceStats | null {
    return this.screenSources.get(`${kind}:${participantId}`)?.snapshot(nowMs()) ?? null;
  }

  /** Packets of one publisher's screen share received on screen slots. */
  screenPacketsFrom(participantId: string, kind: MediaKind): number {
    return this.screenSources.get(`${kind}:${participantId}`)?.packets ?? 0;
  }

  /** Resolves once at least `count` packets of `participantId`'s screen share (`kind`) arrived on screen slots. */
  async waitForScreenPackets(participantId: string, kind: MediaKind, count: number, timeoutMs: number): Promise<void> {
    await waitUntil(() => this.screenPacketsFrom(participantId, kind) >= count, {
      timeoutMs,
      what: `${this.name}: ${count} screen ${kind} packets from ${participantId}`,
      describe: () => `have ${this.screenPacketsFrom(participantId, kind)}; slots ${JSON.stringify(this.currentSlots())}; errors ${JSON.stringify(this.errors)} ${this.localErrors.join('; ')}`,
    });
  }

  /** The receiving slots of `source` in the current offer (with their current sources). */
  recvSlots(source: MediaSource): Extract<Slot, { direction: 'recv' }>[] {
    return this.currentSlots().flatMap((s) => (s.direction === 'recv' && (s.source ?? 'camera') === source ? [s] : []));
  }

  /** Packets received from one publisher's `kind` (over every slot that carried it). */
  packetsFrom(participantId: string, kind: MediaKind): number {
    return this.sources.get(`${kind}:${participantId}`)?.packets ?? 0;
  }

  /** The NACK generator's counters, summed over all received video streams (zeros when `nack` is off). */
  nackStats(): NackStats {
    const total: NackStats = { nackPackets: 0, requested: 0, requests: 0, recovered: 0, unrecovered: 0, pending: 0, repairTimeMs: -1 };
    for (const n of this.nackers.values()) {
      const s = n.snapshot();
      total.nackPackets += s.nackPackets;
      total.requested += s.requested;
      total.requests += s.requests;
      total.recovered += s.recovered;
      total.unrecovered += s.unrecovered;
      total.pending += s.pending;
      total.repairTimeMs = Math.max(total.repairTimeMs, s.repairTimeMs);
    }
    return total;
  }

  /** One entry per published stream: audio, then video (one per simulcast layer, lowest first). */
  outboundStats(): OutboundStats[] {
    return this.outbound.map((s) => s.snapshot());
  }

  /** The current slots: the latest offer's, with recv slots' sources as `slot-sources` changed them. */
  currentSlots(): Slot[] {
    return this.slotSources.current();
  }

  /** SSRCs the latest offer announced for `mid`. */
  announcedSsrcs(mid: string): number[] {
    return this.offered.get(mid)?.ssrcs ?? [];
  }

  /** Resolves once at least `count` packets of `kind` arrived from `participantId`. */
  async waitForPackets(participantId: string, kind: MediaKind, count: number, timeoutMs: number): Promise<void> {
    await waitUntil(() => this.packetsFrom(participantId, kind) >= count, {
      timeoutMs,
      what: `${this.name}: ${count} ${kind} packets from ${participantId}`,
      describe: () => `have ${this.packetsFrom(participantId, kind)}; pc ${this.pc.state()}; offers ${this.offersAnswered}/${this.offersReceived}; errors ${JSON.stringify(this.errors)} ${this.localErrors.join('; ')}`,
    });
  }

  // ---- actions ----

  /** Sends a generic NACK (RFC 4585 §6.2.1) for `sequenceNumbers` of the stream `ssrc` on `mid`. */
  sendNack(mid: string, ssrc: number, sequenceNumbers: readonly number[]): boolean {
    return this.sendRtcp(mid, rtp.buildNack(this.rtcpSsrc, ssrc, sequenceNumbers));
  }

  /** Sends a PLI (RFC 4585 §6.3.1) for the stream `ssrc` on `mid`. */
  sendPli(mid: string, ssrc: number): boolean {
    return this.sendRtcp(mid, rtp.buildPli(this.rtcpSsrc, ssrc));
  }

  private sendRtcp(mid: string, packet: Buffer): boolean {
    const local = this.tracks.get(mid);
    if (!local) return false;
    try {
      // Without a media handler libdatachannel sends raw RTCP even on a RecvOnly track.
      return local.track.sendMessageBinary(packet);
    } catch (err) {
      this.localErrors.push(`RTCP on ${mid}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /**
   * The tiles this bot shows, most important first (`subscribe`, docs/signaling.md): the server
   * forwards each camera at the simulcast layer that fits the tile. Returns false when the signaling
   * socket is not open. The last subscription is sent again after a resume.
   */
  subscribe(video: VideoSubscription[]): boolean {
    this.lastSubscription = video.map((v) => ({ ...v }));
    return this.signaling?.send({ type: 'subscribe', video }) ?? false;
  }

  /** The tiles of the last `subscribe`, null before one. */
  get subscription(): readonly VideoSubscription[] | null {
    return this.lastSubscription;
  }

  /**
   * Changes the RFC 6464 level the published audio carries from the next packet on: 127 is silence
   * (and clears the voice-activity flag), lower is louder (0 is the loudest). Packets keep flowing,
   * as from an open microphone in a quiet room. Returns false when no audio stream is published yet.
   */
  setAudioLevel(level: number): boolean {
    let found = false;
    for (const stream of this.outbound) {
      if (!(stream.generator instanceof OpusGenerator)) continue;
      stream.generator.level = level;
      stream.generator.voiceActivity = level < 127;
      found = true;
    }
    return found;
  }

  /** Whether this bot shares its screen now, as the server last said. */
  get sharingScreen(): boolean {
    return this.joined?.self.screen === true;
  }

  /**
   * Shares a synthetic "screen" (VP8, and Opus with `audio`) on the screen send slots the server
   * offers. Resolves once the server marked the bot as sharing; a refusal rejects with its message.
   */
  async startScreenShare(options: { audio?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const errorsBefore = this.errors.length;
    if (this.screenOutbound.length === 0) this.screenSsrcs = { audio: randomSsrc(), video: randomSsrc() };
    if (!this.send({ type: 'screen-share', on: true, audio: options.audio === true })) throw new Error('signaling is not open');
    await waitUntil(() => this.sharingScreen || this.errors.length > errorsBefore, {
      timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? 15000,
      what: `${this.name}: screen share to start`,
    });
    if (!this.sharingScreen) {
      const refusal = this.errors[errorsBefore]!;
      throw new BotRefusedError(refusal.code, refusal.message);
    }
  }

  /** Stops the screen share (as the browser's "Stop sharing" would): the streams stop, the server is told. */
  stopScreenShare(): boolean {
    this.stopScreenStreams();
    return this.send({ type: 'screen-share', on: false });
  }

  /** What the screen share sends (video first), empty while not sharing. */
  screenOutboundStats(): OutboundStats[] {
    return this.screenOutbound.map((s) => s.snapshot()).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'video' ? -1 : 1));
  }

  /** Mutes/unmutes without renegotiation, as the protocol prescribes (`media-state`). */
  setMedia(media: MediaState): void {
    for (const stream of this.outbound) stream.setEnabled(media[stream.kind]);
    this.signaling?.send({ type: 'media-state', media });
  }

  /** Whether the signaling WebSocket is currently open. */
  get signalingConnected(): boolean {
    return this.signaling !== null && !this.signaling.closed;
  }

  /**
   * Drops the signaling WebSocket abruptly (no close handshake, no `leave`), as a lost network or
   * a killed tab would. The PeerConnection and the media keep going; `resume()` reconnects.
   */
  dropSignaling(): void {
    const signaling = this.signaling;
    this.signaling = null;
    signaling?.terminate();
  }

  /**
   * Opens a new WebSocket and resumes the session (`resume` with the token from `joined`, see
   * docs/signaling.md). Resolves with the server's `joined { resumed: true }`; a refusal rejects with
   * BotJoinError (e.g. `resume-failed`) and leaves the bot as it was. `resumeToken` overrides the
   * token, for tests of refusals; `url` another server to reconnect through (another node of a cluster,
   * as a load balancer may pick).
   */
  async resume(overrides: { resumeToken?: string; timeoutMs?: number; url?: string } = {}): Promise<JoinedMessage> {
    if (this.closed) throw new Error('bot is closed');
    const joined = this.joined;
    if (!joined) throw new Error('bot has not joined');
    const timeoutMs = overrides.timeoutMs ?? this.options.timeoutMs ?? 15000;
    if (this.signaling !== null) this.dropSignaling();
    const signaling = await SignalingClient.connect(webSocketUrl(overrides.url ?? this.options.url, this.roomId), timeoutMs);
    let accepted = false;
    signaling.onMessage((m) => {
      // Until `joined`, the reply belongs to this call only (a refusal is not the bot's error). From
      // `joined` on, every message is handled in order: the replayed offer and candidates follow it
      // in the same burst of frames, before any promise continuation could attach a handler.
      if (!accepted) {
        if (m.type !== 'joined' || this.closed) return;
        accepted = true;
        this.signaling = signaling;
      }
      if (this.signaling === signaling) this.onSignal(m);
    });
    try {
      const sent = signaling.send({
        type: 'resume',
        v: PROTOCOL_VERSION,
        roomId: this.roomId,
        participantId: joined.self.id,
        resumeToken: overrides.resumeToken ?? joined.resumeToken,
      });
      if (!sent) throw new Error('signaling closed before resume');
      const reply = await signaling.waitFor((m) => m.type === 'joined' || m.type === 'error', "'joined' after resume", timeoutMs);
      if (reply.type === 'error') throw new BotJoinError(reply.code, reply.message);
      if (reply.type !== 'joined') throw new Error(`unexpected reply ${reply.type}`);
      this.resumes++;
      if (this.lastSubscription !== null) signaling.send({ type: 'subscribe', video: this.lastSubscription });
      return reply;
    } catch (err) {
      if (this.signaling !== signaling) signaling.close();
      throw err;
    }
  }

  /** Sends `leave`, then closes everything. */
  leave(): void {
    this.signaling?.send({ type: 'leave' });
    this.close();
  }

  /**
   * Stops sending and closes the socket and the PeerConnection. Does not call node-datachannel's
   * `cleanup()` (it can crash the process); the native threads then keep the process alive, so
   * programs using bots end with `process.exit`.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.outbound) s.stop();
    this.stopScreenStreams();
    this.stopNackTick?.();
    this.stopNackTick = null;
    this.stopFeedbackTick?.();
    this.stopFeedbackTick = null;
    this.signaling?.close();
    try {
      this.pc.close();
    } catch {
      // already closed
    }
  }
}
