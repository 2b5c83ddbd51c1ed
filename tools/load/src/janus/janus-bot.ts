// A participant of a Janus VideoRoom (janus.plugin.videoroom, Janus 1.x multistream API) without a
// browser, built from the same parts as the Treff bot so that both servers see the same media:
// the synthetic VP8 and Opus generators and OutboundStream pacing on the way out, InboundStream
// accounting (loss, latency probe, key frames) on the way in.
//
// As in Janus's own clients, a participant has one session and a PeerConnection per role:
//   publisher:  join (ptype publisher) → `publish` with an offer made by libdatachannel → answer
//   subscriber: join (ptype subscriber, streams of the feeds) → Janus's offer → `start` with our answer
// Janus sends candidates inside its SDP (half trickle) or trickles them; both are handled. The
// bot's own candidates go in its SDP (gathering on one bound address completes at once), followed
// by an end-of-candidates trickle.

import { Audio, PeerConnection, Video, type Direction, type Track } from 'node-datachannel';
import { randomInt } from 'node:crypto';
import { rtp } from '@treff/sfu';
import type { MediaKind } from '@treff/protocol';
import { nowMs } from '../clock.js';
import { InboundStream, type InboundStats } from '../inbound.js';
import { parseOffer, type OfferedMedia } from '../offer.js';
import { OutboundStream, type OutboundStats } from '../outbound.js';
import { AUDIO_LEVEL_URI, DEFAULT_AUDIO, DEFAULT_VIDEO, OpusGenerator, Vp8Generator, type AudioSourceOptions, type VideoSourceOptions } from '../synthetic.js';
import { JanusSession, type JanusHandle, type JanusMessage } from './janus-api.js';

export const VIDEOROOM_PLUGIN = 'janus.plugin.videoroom';

export interface JanusBotOptions {
  /** Janus API root over HTTP, e.g. http://10.231.0.1:8088/janus. */
  url: string;
  room: number;
  name: string;
  /** Local address for ICE host candidates (libjuice gathers none without one). */
  bindAddress: string;
  video?: Partial<VideoSourceOptions>;
  audio?: Partial<AudioSourceOptions>;
  timeoutMs?: number;
}

/** Payload types and mids of the publisher's offer (libdatachannel keeps what it is given). */
const PUBLISH = { videoMid: '0', audioMid: '1', vp8: 96, opus: 111, audioLevelId: 1 } as const;

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}

/** One PeerConnection with the bookkeeping both roles need. */
class Connection {
  readonly pc: PeerConnection;
  /** Every Track wrapper: node-datachannel closes a track when its wrapper is collected. */
  readonly wrappers: Track[] = [];
  private gatheringDone = false;
  private readonly gatheringWaiters: (() => void)[] = [];

  constructor(name: string, bindAddress: string, onError: (e: string) => void) {
    this.pc = new PeerConnection(name, { iceServers: [], bindAddress, disableAutoNegotiation: true });
    this.pc.onGatheringStateChange((state) => {
      if (state !== 'complete') return;
      this.gatheringDone = true;
      for (const w of this.gatheringWaiters.splice(0)) w();
    });
    this.pc.onTrack((track) => this.wrappers.push(track));
    this.pc.onStateChange((state) => {
      if (state === 'failed') onError(`${name}: PeerConnection failed`);
    });
  }

  addTrack(description: Video | Audio): Track {
    const track = this.pc.addTrack(description);
    this.wrappers.push(track);
    return track;
  }

  /** The local description once every candidate is in it. */
  async localSdp(timeoutMs: number): Promise<string> {
    if (!this.gatheringDone) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`ICE gathering did not complete within ${timeoutMs} ms`)), timeoutMs);
        this.gatheringWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const local = this.pc.localDescription();
    if (!local) throw new Error('libdatachannel produced no local description');
    return local.sdp;
  }

  /** Janus's trickled candidates; its SDP usually carries them already. */
  onRemoteTrickle(m: JanusMessage, onError: (e: string) => void): void {
    if (m.janus !== 'trickle' || !m.candidate || 'completed' in m.candidate) return;
    try {
      this.pc.addRemoteCandidate(m.candidate.candidate, m.candidate.sdpMid ?? '0');
    } catch (err) {
      onError(`remote candidate: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  close(): void {
    try {
      this.pc.close();
    } catch {
      // already closed
    }
  }
}

export class JanusBot {
  readonly name: string;
  readonly localErrors: string[] = [];
  /** The publisher id Janus gave this bot (its feed), once published. */
  feedId = -1;
  malformedRtp = 0;
  malformedRtcp = 0;

  private readonly options: JanusBotOptions;
  private readonly session: JanusSession;
  private readonly timeoutMs: number;
  private publisher: Connection | null = null;
  private subscriber: Connection | null = null;
  private readonly handles: JanusHandle[] = [];
  private readonly outbound = new Map<MediaKind, OutboundStream>();
  private readonly inbound = new Map<string, Map<number, InboundStream>>();
  /** Subscriber mid → what it carries (kind, and the feed as the publisher's id). */
  private readonly subscribed = new Map<string, { kind: MediaKind; feed: string; media: OfferedMedia }>();
  private readonly header = rtp.createRtpHeader();
  private subscribedAt = -1;
  private closed = false;

  private constructor(options: JanusBotOptions, session: JanusSession) {
    this.options = options;
    this.name = options.name;
    this.session = session;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Opens a Janus session for the bot; `publish()` and `subscribe()` then add the roles. */
  static async connect(options: JanusBotOptions): Promise<JanusBot> {
    return new JanusBot(options, await JanusSession.create(options.url, options.timeoutMs ?? 15_000));
  }

  private error(e: string): void {
    this.localErrors.push(e);
  }

  private async attach(): Promise<JanusHandle> {
    const handle = await this.session.attach(VIDEOROOM_PLUGIN);
    this.handles.push(handle);
    return handle;
  }

  /** Joins as a publisher and sends VP8 + Opus; resolves with the feed id once Janus answered. */
  async publish(): Promise<number> {
    const handle = await this.attach();
    const joined = await handle.message({ request: 'join', ptype: 'publisher', room: this.options.room, display: this.name });
    if (joined.data['videoroom'] !== 'joined' || typeof joined.data['id'] !== 'number') throw new Error(`${this.name}: unexpected join reply ${JSON.stringify(joined.data)}`);
    this.feedId = joined.data['id'];

    const conn = new Connection(`${this.name}-pub`, this.options.bindAddress, (e) => this.error(e));
    this.publisher = conn;
    handle.onEvent((m) => conn.onRemoteTrickle(m, (e) => this.error(e)));
    // Janus refuses subscriptions to a feed ("No such feed", 428) until its PeerConnection is up.
    const up = this.webrtcUp(handle);
    up.catch(() => {}); // awaited below; a failure before that must not go unhandled
    const cname = `janus-bot-${randomInt(1e9)}`;
    const ssrcs: Record<MediaKind, number> = { video: randomSsrc(), audio: randomSsrc() };
    // Only VP8 and Opus are offered, with one header extension (the audio level the generator writes).
    const video = new Video(PUBLISH.videoMid, 'SendOnly');
    video.addVP8Codec(PUBLISH.vp8);
    video.addSSRC(ssrcs.video, cname, `stream-${cname}`, `video-${cname}`);
    const audio = new Audio(PUBLISH.audioMid, 'SendOnly');
    audio.addOpusCodec(PUBLISH.opus);
    audio.parseSdpLine(`a=extmap:${PUBLISH.audioLevelId} ${AUDIO_LEVEL_URI}`);
    audio.addSSRC(ssrcs.audio, cname, `stream-${cname}`, `audio-${cname}`);
    const tracks: Record<MediaKind, Track> = { video: conn.addTrack(video), audio: conn.addTrack(audio) };
    for (const track of Object.values(tracks)) {
      track.onMessage((buf) => this.onPublisherRtcp(buf));
      track.onError((err) => this.error(`publisher track: ${err}`));
    }
    conn.pc.setLocalDescription('offer');
    const offer = await conn.localSdp(this.timeoutMs);

    const published = await handle.message({ request: 'publish', audiocodec: 'opus', videocodec: 'vp8', display: this.name }, { type: 'offer', sdp: offer });
    if (published.jsep?.type !== 'answer') throw new Error(`${this.name}: publish brought no answer (${JSON.stringify(published.data)})`);
    conn.pc.setRemoteDescription(published.jsep.sdp, 'answer');
    void handle.trickle({ completed: true }).catch((err: unknown) => this.error(`trickle: ${String(err)}`));

    // Payload types and the extension id as answered (RFC 3264 §6.1, RFC 8285 §6: the answer keeps them).
    const answered = new Map(parseOffer(published.jsep.sdp).map((m) => [m.kind, m]));
    const v = answered.get('video');
    const a = answered.get('audio');
    if (!v?.payloadType || !a?.payloadType) throw new Error(`${this.name}: Janus's answer lacks VP8 or Opus`);
    const videoStream = new OutboundStream('video', new Vp8Generator(ssrcs.video, v.payloadType, { ...DEFAULT_VIDEO, ...this.options.video }));
    const audioStream = new OutboundStream('audio', new OpusGenerator(ssrcs.audio, a.payloadType, a.audioLevelId, { ...DEFAULT_AUDIO, ...this.options.audio }));
    this.outbound.set('video', videoStream);
    this.outbound.set('audio', audioStream);
    // Sending starts once each track is open (OutboundStream checks on every tick).
    videoStream.bind(PUBLISH.videoMid, tracks.video);
    audioStream.bind(PUBLISH.audioMid, tracks.audio);
    await up;
    return this.feedId;
  }

  /** Receives every stream of `feeds` on one PeerConnection (one subscriber handle). */
  async subscribe(feeds: readonly number[]): Promise<void> {
    if (feeds.length === 0) return;
    const handle = await this.attach();
    const conn = new Connection(`${this.name}-sub`, this.options.bindAddress, (e) => this.error(e));
    this.subscriber = conn;
    handle.onEvent((m) => conn.onRemoteTrickle(m, (e) => this.error(e)));
    const attached = await handle.message({
      request: 'join',
      ptype: 'subscriber',
      room: this.options.room,
      streams: feeds.map((feed) => ({ feed })),
    });
    if (attached.jsep?.type !== 'offer') throw new Error(`${this.name}: subscribing brought no offer (${JSON.stringify(attached.data)})`);
    const feedOfMid = new Map<string, string>();
    for (const s of (attached.data['streams'] ?? []) as { mid?: string; feed_id?: number }[]) {
      if (s.mid !== undefined && s.feed_id !== undefined) feedOfMid.set(String(s.mid), String(s.feed_id));
    }
    this.subscribedAt = nowMs();
    conn.pc.setRemoteDescription(attached.jsep.sdp, 'offer');
    // One description per m-line before answering, so the answer holds exactly VP8 / Opus, receive
    // only, without the offer's RTX and extensions (libdatachannel otherwise echoes the offer).
    for (const m of parseOffer(attached.jsep.sdp)) {
      const wanted: Direction = m.direction === 'inactive' || m.payloadType === null ? 'Inactive' : 'RecvOnly';
      const pt = m.payloadType ?? (m.kind === 'video' ? 96 : 111);
      let description: Video | Audio;
      if (m.kind === 'video') {
        description = new Video(m.mid, wanted);
        description.addVP8Codec(pt);
      } else {
        description = new Audio(m.mid, wanted);
        description.addOpusCodec(pt);
      }
      const track = conn.addTrack(description);
      const mid = m.mid;
      this.subscribed.set(mid, { kind: m.kind, feed: feedOfMid.get(mid) ?? '', media: m });
      track.onMessage((buf) => this.onSubscriberMessage(mid, buf));
      track.onError((err) => this.error(`subscriber track ${mid}: ${err}`));
    }
    const state = conn.pc.signalingState();
    if (state !== 'have-remote-offer') throw new Error(`${this.name}: cannot answer in signaling state ${state}`);
    conn.pc.setLocalDescription('answer');
    const answer = await conn.localSdp(this.timeoutMs);
    await handle.message({ request: 'start' }, { type: 'answer', sdp: answer });
    void handle.trickle({ completed: true }).catch((err: unknown) => this.error(`trickle: ${String(err)}`));
  }

  /** Resolves on Janus's `webrtcup` for `handle` (ICE and DTLS done on its side). */
  private webrtcUp(handle: JanusHandle): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`${this.name}: no webrtcup from Janus within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const off = handle.onEvent((m) => {
        if (m.janus !== 'webrtcup') return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  }

  private onPublisherRtcp(buf: Buffer): void {
    if (!rtp.isRtcp(buf)) return;
    const packets = rtp.parseRtcp(buf);
    if (packets === null) {
      this.malformedRtcp++;
      return;
    }
    for (const p of packets) {
      if (p.kind === 'pli' || p.kind === 'fir' || p.kind === 'nack') {
        for (const out of this.outbound.values()) if (out.onFeedback(p)) break;
      }
    }
  }

  private onSubscriberMessage(mid: string, buf: Buffer): void {
    if (rtp.isRtcp(buf)) return; // sender reports
    const h = this.header;
    if (!rtp.parseRtpHeaderInto(buf, h)) {
      this.malformedRtp++;
      return;
    }
    let byMid = this.inbound.get(mid);
    if (!byMid) {
      byMid = new Map();
      this.inbound.set(mid, byMid);
    }
    let stream = byMid.get(h.ssrc);
    if (!stream) {
      const sub = this.subscribed.get(mid);
      stream = new InboundStream({
        mid,
        ssrc: h.ssrc,
        kind: sub?.kind ?? 'video',
        participantId: sub?.feed || null,
        announced: sub?.media.ssrcs.includes(h.ssrc) ?? false,
        joinedAt: this.subscribedAt,
        offeredAt: this.subscribedAt,
      });
      byMid.set(h.ssrc, stream);
    }
    stream.onPacket(buf, h, nowMs());
  }

  // ---- observation (the same shape as the Treff bot's) ----

  inboundStats(): InboundStats[] {
    const all: InboundStats[] = [];
    for (const byMid of this.inbound.values()) for (const s of byMid.values()) all.push(s.snapshot());
    return all;
  }

  latencySamples(kind?: MediaKind): number[] {
    const out: number[] = [];
    for (const byMid of this.inbound.values()) for (const s of byMid.values()) if (!kind || s.kind === kind) out.push(...s.latency.reservoir);
    return out;
  }

  outboundStats(): OutboundStats[] {
    return [...this.outbound.values()].map((s) => s.snapshot());
  }

  /** Session errors (long poll, keepalive) and the bot's own. */
  errors(): string[] {
    return [...this.session.errors, ...this.localErrors];
  }

  get peerConnectionStates(): { publisher: string | null; subscriber: string | null } {
    return { publisher: this.publisher?.pc.state() ?? null, subscriber: this.subscriber?.pc.state() ?? null };
  }

  /** Stops sending, destroys the Janus session (hanging up both roles) and closes the PeerConnections. */
  leave(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.outbound.values()) s.stop();
    void this.session.destroy();
    this.publisher?.close();
    this.subscriber?.close();
  }
}
