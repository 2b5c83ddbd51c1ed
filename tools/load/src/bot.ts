// A Treff participant without a browser: real signaling over WebSocket, one node-datachannel
// PeerConnection answering the server's offers, synthetic VP8 + Opus published on the send slots,
// and bookkeeping of everything received on the recv slots.
//
// libdatachannel routes incoming RTP by SSRC only (see shared/guides/sfu-transport.md), so the
// bot's answer must announce its send SSRCs with a=ssrc (RFC 5576): before answering, the bot adds
// its own track for every m-line of the offer with the direction it wants (SendOnly + SSRC on
// send slots, RecvOnly on recv slots, Inactive elsewhere). libdatachannel then answers with those
// descriptions instead of echoing the offer. Re-adding a track with an existing mid updates that
// transceiver in place, which is how a recycled mid changes direction.

import { Audio, PeerConnection, Video, type Direction, type Track } from 'node-datachannel';
import { randomInt } from 'node:crypto';
import { rtp } from '@treff/sfu';

type NackGenerator = rtp.NackGenerator;
type NackOptions = rtp.NackOptions;
type NackStats = rtp.NackStats;
import { PROTOCOL_VERSION, type ErrorCode, type MediaKind, type MediaState, type MessageOf, type ParticipantInfo, type ServerMessage, type Slot } from '@treff/protocol';
import { nowMs } from './clock.js';
import { InboundStream, type InboundStats, type SequenceVerdict } from './inbound.js';

import { parseOffer, type OfferedMedia } from './offer.js';
import { OutboundStream, type OutboundStats } from './outbound.js';
import { SignalingClient, webSocketUrl } from './signaling.js';
import { addTick } from './ticker.js';
import {
  AUDIO_LEVEL_URI,
  DEFAULT_AUDIO,
  DEFAULT_VIDEO,
  OpusGenerator,
  Vp8Generator,
  type AudioSourceOptions,
  type VideoSourceOptions,
} from './synthetic.js';
import { waitUntil } from './wait.js';

type OfferMessage = MessageOf<ServerMessage, 'offer'>;
type JoinedMessage = MessageOf<ServerMessage, 'joined'>;
type ErrorMessage = MessageOf<ServerMessage, 'error'>;

export interface BotOptions {
  /** HTTP base URL of the Treff server, e.g. http://127.0.0.1:8080 (the WebSocket is at /ws). */
  url: string;
  roomId: string;
  name: string;
  hostSecret?: string;
  /** What the bot sends; both by default. A kind not published still gets its send slot answered. */
  publish?: Partial<MediaState>;
  video?: Partial<VideoSourceOptions>;
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
}

/** One received RTP packet, for tests that look at individual packets. */
export interface ReceivedPacket {
  mid: string;
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  verdict: SequenceVerdict;
  stream: InboundStream;
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

interface LocalTrack {
  track: Track;
  direction: Direction;
  /** SSRC announced on a SendOnly track, 0 otherwise. */
  ssrc: number;
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}

export class Bot {
  readonly name: string;
  readonly roomId: string;
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
  malformedRtcp = 0;
  senderReports = 0;
  joinedAt = -1;
  joined: JoinedMessage | null = null;

  private readonly options: BotOptions;
  private readonly pc: PeerConnection;
  private signaling: SignalingClient | null = null;
  private slots = new Map<string, Slot>();
  private offered = new Map<string, OfferedMedia>();
  /** When the current assignment of each mid first appeared in an offer. */
  private readonly slotSince = new Map<string, number>();
  private readonly tracks = new Map<string, LocalTrack>();
  /**
   * Every Track wrapper ever handed out. node-datachannel closes the underlying track when a
   * wrapper is garbage-collected, and re-adding a mid returns a new wrapper for the same track.
   */
  private readonly trackWrappers: Track[] = [];
  private readonly inbound = new Map<string, Map<number, InboundStream>>();
  private readonly outbound = new Map<MediaKind, OutboundStream>();
  private readonly sendSsrcs: Record<MediaKind, number> = { audio: randomSsrc(), video: randomSsrc() };
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

  /** The SSRCs this bot publishes with (what the server receives, before its rewriting). */
  get publishedSsrcs(): Readonly<Record<MediaKind, number>> {
    return this.sendSsrcs;
  }

  get peerConnectionState(): string {
    return this.pc.state();
  }

  private async start(): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 15000;
    const signaling = await SignalingClient.connect(webSocketUrl(this.options.url), timeoutMs);
    this.signaling = signaling;
    signaling.onMessage((m) => {
      if (this.signaling === signaling) this.onSignal(m);
    });
    const publish = { audio: this.options.publish?.audio ?? true, video: this.options.publish?.video ?? true };
    const sent = signaling.send({
      type: 'join',
      v: PROTOCOL_VERSION,
      roomId: this.options.roomId,
      name: this.options.name,
      media: publish,
      ...(this.options.hostSecret ? { hostSecret: this.options.hostSecret } : {}),
    });
    if (!sent) throw new Error('signaling closed before join');
    const reply = await signaling.waitFor((m) => m.type === 'joined' || m.type === 'error', "'joined'", timeoutMs);
    if (reply.type === 'error') throw new BotJoinError(reply.code, reply.message);
  }

  private onSignal(m: ServerMessage): void {
    switch (m.type) {
      case 'joined':
        this.joined = m;
        // A resume keeps the media session: first-packet times stay relative to the original join.
        if (!m.resumed) this.joinedAt = nowMs();
        // `joined` carries the current room; after a resume it replaces whatever was missed meanwhile.
        this.participants.clear();
        for (const p of m.participants) this.participants.set(p.id, p);
        break;
      case 'offer':
        this.offersReceived++;
        this.answer(m);
        break;
      case 'participant-joined':
        this.participantsJoined.push(m.participant.id);
        this.participants.set(m.participant.id, m.participant);
        break;
      case 'participant-updated':
        this.participants.set(m.participant.id, m.participant);
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
      case 'active-speaker':
        break;
    }
  }

  private answer(offer: OfferMessage): void {
    if (this.closed) return;
    const now = nowMs();
    try {
      const media = parseOffer(offer.sdp);
      const slots = new Map(offer.slots.map((s) => [s.mid, s]));
      for (const [mid, slot] of slots) {
        const old = this.slots.get(mid);
        const same =
          old !== undefined &&
          old.direction === slot.direction &&
          (old.direction !== 'recv' || slot.direction !== 'recv' || old.participantId === slot.participantId);
        if (!same) this.slotSince.set(mid, now);
      }
      // Updated before the new description applies, so packets on a recycled mid are attributed
      // to its new owner (JavaScript runs this whole method before the next packet callback).
      this.slots = slots;
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
      if (this.signaling?.send({ type: 'answer', offerId: offer.offerId, sdp: this.rewriteAnswerCandidates(local.sdp) })) this.offersAnswered++;
    } catch (err) {
      this.localErrors.push(`answering offer ${offer.offerId}: ${err instanceof Error ? err.message : String(err)}`);
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
    const ssrc = desired === 'SendOnly' ? this.sendSsrcs[m.kind] : 0;
    const existing = this.tracks.get(m.mid);
    if (existing && existing.direction === desired && existing.ssrc === ssrc) return;

    const payloadType = m.payloadType ?? (m.kind === 'video' ? 96 : 111);
    let description: Video | Audio;
    if (m.kind === 'video') {
      const video = new Video(m.mid, desired);
      video.addVP8Codec(payloadType);
      description = video;
    } else {
      const audio = new Audio(m.mid, desired);
      audio.addOpusCodec(payloadType);
      if (m.audioLevelId > 0) audio.parseSdpLine(`a=extmap:${m.audioLevelId} ${AUDIO_LEVEL_URI}`);
      description = audio;
    }
    if (desired === 'SendOnly') description.addSSRC(ssrc, this.cname, `treff-bot-${this.cname}`, `${m.kind}-${this.cname}`);
    const track = this.pc.addTrack(description);
    this.trackWrappers.push(track);
    const mid = m.mid;
    track.onMessage((buf) => this.onTrackMessage(mid, buf));
    track.onError((err) => this.localErrors.push(`track ${mid}: ${err}`));
    this.tracks.set(mid, { track, direction: desired, ssrc });
    if (desired === 'SendOnly') this.outboundFor(m).bind(mid, track);
  }

  private outboundFor(m: OfferedMedia): OutboundStream {
    let stream = this.outbound.get(m.kind);
    if (!stream) {
      const payloadType = m.payloadType ?? (m.kind === 'video' ? 96 : 111);
      const generator =
        m.kind === 'video'
          ? new Vp8Generator(this.sendSsrcs.video, payloadType, { ...DEFAULT_VIDEO, ...this.options.video })
          : new OpusGenerator(this.sendSsrcs.audio, payloadType, m.audioLevelId, { ...DEFAULT_AUDIO, ...this.options.audio });
      stream = new OutboundStream(m.kind, generator);
      stream.setEnabled(this.options.publish?.[m.kind] ?? true);
      this.outbound.set(m.kind, stream);
    }
    return stream;
  }

  private onTrackMessage(mid: string, buf: Buffer): void {
    if (rtp.isRtcp(buf)) {
      this.onRtcp(buf);
      return;
    }
    const h = this.header;
    if (!rtp.parseRtpHeaderInto(buf, h)) {
      this.malformedRtp++;
      return;
    }
    const now = nowMs();
    let byMid = this.inbound.get(mid);
    if (!byMid) {
      byMid = new Map();
      this.inbound.set(mid, byMid);
    }
    let stream = byMid.get(h.ssrc);
    if (!stream) {
      const slot = this.slots.get(mid);
      const offered = this.offered.get(mid);
      stream = new InboundStream({
        mid,
        ssrc: h.ssrc,
        kind: offered?.kind ?? slot?.kind ?? 'video',
        participantId: slot?.direction === 'recv' ? slot.participantId : null,
        announced: offered?.ssrcs.includes(h.ssrc) ?? false,
        joinedAt: this.joinedAt,
        offeredAt: this.slotSince.get(mid) ?? this.joinedAt,
      });
      byMid.set(h.ssrc, stream);
    }
    const verdict = stream.onPacket(buf, h, now);
    if (this.nackOptions !== null && stream.kind === 'video') this.nackerFor(stream).onPacket(h.sequenceNumber, now);
    if (this.rtpListeners.size > 0) {
      const event: ReceivedPacket = { mid, ssrc: h.ssrc, sequenceNumber: h.sequenceNumber, timestamp: h.timestamp, verdict, stream };
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
        for (const out of this.outbound.values()) if (out.onFeedback(p)) break;
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

  /** Packets received from one publisher's `kind` (all its streams). */
  packetsFrom(participantId: string, kind: MediaKind): number {
    let n = 0;
    for (const byMid of this.inbound.values()) for (const s of byMid.values()) if (s.participantId === participantId && s.kind === kind) n += s.packets;
    return n;
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

  outboundStats(): OutboundStats[] {
    return [...this.outbound.values()].map((s) => s.snapshot());
  }

  /** The current slots (from the latest offer). */
  currentSlots(): Slot[] {
    return [...this.slots.values()];
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

  /** Mutes/unmutes without renegotiation, as the protocol prescribes (`media-state`). */
  setMedia(media: MediaState): void {
    for (const [kind, stream] of this.outbound) stream.setEnabled(media[kind]);
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
   * token, for tests of refusals.
   */
  async resume(overrides: { resumeToken?: string; timeoutMs?: number } = {}): Promise<JoinedMessage> {
    if (this.closed) throw new Error('bot is closed');
    const joined = this.joined;
    if (!joined) throw new Error('bot has not joined');
    const timeoutMs = overrides.timeoutMs ?? this.options.timeoutMs ?? 15000;
    if (this.signaling !== null) this.dropSignaling();
    const signaling = await SignalingClient.connect(webSocketUrl(this.options.url), timeoutMs);
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
    for (const s of this.outbound.values()) s.stop();
    this.stopNackTick?.();
    this.stopNackTick = null;
    this.signaling?.close();
    try {
      this.pc.close();
    } catch {
      // already closed
    }
  }
}
