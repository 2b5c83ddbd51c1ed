import type { MediaKind, MediaSource, Slot, SlotSource } from '@treff/protocol';
import type { FrameEncryption } from './e2ee/media-encryption.js';
import { Emitter } from './events.js';
import { SerialQueue } from './serial-queue.js';
import { globalTimers, type Timers } from './signal-client.js';
import { configureSimulcast, setActiveEncodings, SimulcastReporter, type SimulcastStream } from './simulcast.js';
import { SlotMap, type RecvBinding, type SendSlot } from './slot-map.js';

export interface RemoteTrackEvent {
  participantId: string;
  kind: MediaKind;
  source: MediaSource;
  track: MediaStreamTrack;
  mid: string;
}

export type MediaSessionEvents = {
  track: RemoteTrackEvent;
  'track-ended': RemoteTrackEvent;
  'connection-state': RTCPeerConnectionState;
  /** Receiving m-lines were added or removed; `remoteTracks(kind)` lists the current ones. */
  'recv-slots': void;
  /** The server started (true) or stopped (false) offering us slots to send a screen share on. */
  'screen-send': boolean;
  /**
   * `negotiation-failed`: the offer could not be answered, so this PeerConnection cannot follow the
   * server any more. `offer-mismatch`: answered, but the offer contradicted itself (diagnostic only).
   * `media-failed`: the browser refused our simulcast encoding parameters (media still flows, with its own).
   */
  error: { code: 'negotiation-failed' | 'offer-mismatch' | 'media-failed'; message: string };
};

export interface OfferInput {
  offerId: number;
  sdp: string;
  slots: readonly Slot[];
}

export interface MediaSessionOptions {
  sendAnswer(offerId: number, sdp: string): void;
  sendCandidate(candidate: string, mid: string): void;
  /** Reports the SSRCs of our simulcast encodings (`simulcast-streams`). */
  sendSimulcastStreams?(mid: string, streams: SimulcastStream[]): void;
  /** For the bounded polling of sender statistics; defaults to the global timers. */
  timers?: Timers;
  createPeerConnection?: (configuration: RTCConfiguration) => RTCPeerConnection;
  rtcConfiguration?: RTCConfiguration;
  /** End-to-end encryption of every sent and received frame (absent: frames go as the browser encodes them). */
  frameEncryption?: Pick<FrameEncryption, 'attach' | 'rtcConfiguration'> | null;
}

/**
 * The one RTCPeerConnection of a participant. The server offers, we answer: each offer says per mid
 * where we publish and whose track we receive, and this class keeps that mapping so the rest of the
 * SDK speaks about participants, never about mids.
 */
export class MediaSession {
  readonly events = new Emitter<MediaSessionEvents>();
  readonly #pc: RTCPeerConnection;
  readonly #queue = new SerialQueue();
  readonly #slots = new SlotMap();
  readonly #local: Record<MediaSource, Record<MediaKind, MediaStreamTrack | null>> = {
    camera: { audio: null, video: null },
    screen: { audio: null, video: null },
  };
  readonly #options: MediaSessionOptions;
  readonly #simulcast: SimulcastReporter;
  #closed = false;
  #screenSend = false;

  constructor(options: MediaSessionOptions) {
    this.#options = options;
    const create = options.createPeerConnection ?? ((configuration) => new RTCPeerConnection(configuration));
    this.#pc = create({ ...options.rtcConfiguration, ...options.frameEncryption?.rtcConfiguration });
    this.#simulcast = new SimulcastReporter({
      getStats: async () => (await this.#pc.getStats()).values(),
      send: (mid, streams) => this.#options.sendSimulcastStreams?.(mid, streams),
      timers: options.timers ?? globalTimers,
    });
    this.#pc.onicecandidate = (event) => {
      const candidate = event.candidate;
      // The end-of-candidates marker (null or empty) is optional for the server; skip it.
      if (!candidate || !candidate.candidate || this.#closed) return;
      const mid = candidate.sdpMid ?? this.#firstMid();
      if (mid) this.#options.sendCandidate(candidate.candidate, mid);
    };
    this.#pc.onconnectionstatechange = () => {
      if (this.#closed) return;
      // Encodings report their SSRCs once they send, which starts when the connection does.
      if (this.#pc.connectionState === 'connected') this.#simulcast.check();
      this.events.emit('connection-state', this.#pc.connectionState);
    };
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  /** Applies a server offer and sends the answer. Offers are handled strictly one at a time, in arrival order. */
  handleOffer(offer: OfferInput): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#closed) return;
      try {
        await this.#applyOffer(offer);
      } catch (error) {
        if (!this.#closed) this.events.emit('error', { code: 'negotiation-failed', message: describe(error) });
      }
    });
  }

  /**
   * A `slot-sources` message: receiving slots switched to other participants (or to nothing). Queued
   * behind offers, so it applies to the m-lines of every offer that arrived before it.
   */
  setSources(sources: readonly SlotSource[]): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#closed) return;
      const changes = this.#slots.setSources(sources);
      this.#announce(changes.ended, changes.started);
    });
  }

  /**
   * A `send-layers` message: send only these simulcast encodings on our send slot `mid`, pause the others
   * (nobody receives them). Queued behind offers, which create the encodings.
   */
  setSendLayers(mid: string, rids: readonly string[]): Promise<void> {
    return this.#queue.run(async () => {
      const slot = this.#slots.send.video;
      // Only our simulcast video slot has layers; a rid list naming none of them would pause every layer.
      if (this.#closed || slot?.mid !== mid || !slot.simulcast || !rids.some((rid) => slot.simulcast?.includes(rid))) return;
      const transceiver = this.#transceiver(mid);
      if (!transceiver || isStopped(transceiver)) return;
      try {
        await setActiveEncodings(transceiver.sender, rids);
      } catch (error) {
        this.events.emit('error', { code: 'media-failed', message: `could not pause or resume simulcast encodings: ${describe(error)}` });
      }
    });
  }

  /**
   * A server ICE candidate. Queued behind offers: the server sends its candidates only after our first
   * answer, so the remote description they belong to is always applied by then.
   */
  addRemoteCandidate(candidate: string, mid: string): Promise<void> {
    return this.#queue.run(async () => {
      if (candidate === '') return;
      await this.#pc.addIceCandidate({ candidate, sdpMid: mid });
    });
  }

  /**
   * Sets what we publish for `kind` of `source` (null sends nothing). Takes effect now if negotiated, else
   * with the next offer (a screen share's slots come in the offer that follows `screen-share`).
   */
  setLocalTrack(kind: MediaKind, track: MediaStreamTrack | null, source: MediaSource = 'camera'): Promise<void> {
    this.#local[source][kind] = track;
    return this.#queue.run(async () => {
      if (this.#closed) return;
      const transceiver = this.#transceiver(this.#slots.sendSlots(source)[kind]?.mid);
      // Read the latest value, not `track`: a later call may already be queued behind this one.
      if (transceiver && !isStopped(transceiver)) await transceiver.sender.replaceTrack(this.#local[source][kind]);
      if (source === 'camera' && kind === 'video' && this.#local.camera.video) this.#simulcast.check();
    });
  }

  /**
   * Sends the simulcast SSRCs again (after a resume the server may have missed them) and looks whether
   * they changed.
   */
  resendSimulcastStreams(): void {
    const reported = this.#simulcast.reported;
    if (reported) this.#options.sendSimulcastStreams?.(reported.mid, reported.streams);
    this.#simulcast.check();
  }

  localTrack(kind: MediaKind, source: MediaSource = 'camera'): MediaStreamTrack | null {
    return this.#local[source][kind];
  }

  /** The receiving track currently carrying a participant's `kind` from `source`, if any. */
  remoteTrack(participantId: string, kind: MediaKind, source: MediaSource = 'camera'): MediaStreamTrack | null {
    const binding = this.#slots.find(participantId, kind, source);
    return binding ? (this.#transceiver(binding.mid)?.receiver.track ?? null) : null;
  }

  /** The tracks of every receiving slot of `kind` (screen shares' too), whoever they carry now (or nobody), in offer order. */
  remoteTracks(kind: MediaKind): MediaStreamTrack[] {
    return this.#slots.recvSlots(kind).flatMap((slot) => this.#transceiver(slot.mid)?.receiver.track ?? []);
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#pc.getStats();
  }

  /** Resolves when all queued offers and track changes have been processed. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#simulcast.close();
    for (const binding of this.#slots.clear()) {
      const track = this.#transceiver(binding.mid)?.receiver.track;
      if (track) this.events.emit('track-ended', { ...binding, track });
    }
    this.#pc.onicecandidate = null;
    this.#pc.onconnectionstatechange = null;
    this.#pc.close();
  }

  async #applyOffer(offer: OfferInput): Promise<void> {
    const pc = this.#pc;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    // Transforms go on new receivers before the answer lets media flow, so no frame is ever handled
    // without them (and senders get theirs once, the first time they appear).
    const frames = this.#options.frameEncryption;
    if (frames) for (const transceiver of pc.getTransceivers()) if (!isStopped(transceiver)) frames.attach(transceiver);
    // A slot naming a mid the SDP lacks is a server bug; answering without it keeps the session alive
    // (an unanswered offer would stall all further negotiation), and the next offer can bring it.
    const slots = offer.slots.filter((slot) => this.#transceiver(slot.mid) !== undefined);
    const unknown = offer.slots.filter((slot) => !slots.includes(slot)).map((slot) => slot.mid);
    const listed = new Set(slots.map((slot) => slot.mid));
    for (const slot of slots) {
      const transceiver = this.#transceiver(slot.mid);
      if (!transceiver) continue;
      if (slot.direction === 'send') {
        await transceiver.sender.replaceTrack(this.#local[slot.source ?? 'camera'][slot.kind]);
        transceiver.direction = 'sendonly';
      } else {
        transceiver.direction = 'recvonly';
      }
    }
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.mid !== null && !listed.has(transceiver.mid) && !isStopped(transceiver)) transceiver.direction = 'inactive';
    }
    const changes = this.#slots.apply(slots);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    const sdp = pc.localDescription?.sdp ?? answer.sdp;
    if (!sdp) throw new Error('browser produced an empty answer');
    // Answer before announcing tracks, so slow event listeners cannot delay media.
    this.#options.sendAnswer(offer.offerId, sdp);
    if (unknown.length > 0) this.events.emit('error', { code: 'offer-mismatch', message: `offer ${offer.offerId} has slots for mids missing from its SDP: ${unknown.join(', ')}` });
    const screenSend = changes.screenSend.video !== undefined;
    if (screenSend !== this.#screenSend) {
      this.#screenSend = screenSend;
      this.events.emit('screen-send', screenSend);
    }
    await this.#setUpSimulcast(changes.send.video ?? null);
    this.#announce(changes.ended, changes.started);
    if (changes.recvSetChanged) this.events.emit('recv-slots', undefined);
  }

  /** Our scaling and bitrates for the encodings the browser derived from the offer; then report their SSRCs. */
  async #setUpSimulcast(slot: SendSlot | null): Promise<void> {
    this.#simulcast.setSlot(slot);
    if (!slot?.simulcast) return;
    const transceiver = this.#transceiver(slot.mid);
    if (!transceiver) return;
    try {
      await configureSimulcast(transceiver.sender, slot.simulcast);
    } catch (error) {
      this.events.emit('error', { code: 'media-failed', message: `could not set simulcast encodings: ${describe(error)}` });
    }
    this.#simulcast.check();
  }

  #announce(ended: readonly RecvBinding[], started: readonly RecvBinding[]): void {
    for (const binding of ended) {
      const track = this.#transceiver(binding.mid)?.receiver.track;
      if (track) this.events.emit('track-ended', { ...binding, track });
    }
    for (const binding of started) {
      const track = this.#transceiver(binding.mid)?.receiver.track;
      if (track) this.events.emit('track', { ...binding, track });
    }
  }

  #transceiver(mid: string | undefined): RTCRtpTransceiver | undefined {
    if (mid === undefined) return undefined;
    return this.#pc.getTransceivers().find((t) => t.mid === mid);
  }

  #firstMid(): string | undefined {
    return this.#pc.getTransceivers().find((t) => t.mid !== null)?.mid ?? undefined;
  }
}

function isStopped(transceiver: RTCRtpTransceiver): boolean {
  return transceiver.currentDirection === 'stopped' || transceiver.direction === 'stopped';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
