import { EventEmitter } from 'node:events';
import { randomInt } from 'node:crypto';
import { PeerConnection, type RtcConfig, type Track } from 'node-datachannel';
import { describeMedia, type MediaKind, type SsrcAnnouncement } from './codecs.js';
import { Consumer } from './consumer.js';
import type { SfuCounters } from './counters.js';
import { TransportError } from './errors.js';
import { SendSideEstimator, TransportWideSequencer, TwccRecorder } from './bwe/index.js';
import { Pacer } from './pacer.js';
import { UpgradeBackoff } from './video-allocator.js';
import { Producer, type Priority, type ProducerOptions } from './producer.js';
import type { ProducerLayer } from './producer-layer.js';
import { isRtcp, parseRtcp, type RtcpTransportFeedback } from './rtp/index.js';
import { describeForClient, withoutReceiverSsrcs, extractCandidates, parseAnswer, rewriteCandidates, type IceCandidate, type OfferedMedia } from './sdp.js';

export interface TransportSettings {
  /** Address the ICE socket binds to. */
  bindAddress: string;
  /** The one UDP port all transports share (ICE UDP mux). */
  port: number;
  /** Address written into ICE candidates instead of the gathered ones (public IP behind NAT, or loopback in tests). */
  announcedAddress: string | null;
}

/** What an m-line of the current offer carries: a track the client publishes, or one it receives. */
export type MediaSlot =
  | { mid: string; kind: MediaKind; carries: 'producer'; producer: Producer }
  | { mid: string; kind: MediaKind; carries: 'consumer'; consumer: Consumer };

export interface Offer {
  offerId: number;
  sdp: string;
  /** Active m-lines only; every other mid in the SDP is inactive. */
  slots: MediaSlot[];
  /** Every m-line of the SDP, in order: the answer must match it. */
  media: OfferedMedia[];
}

export type TransportState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

/** A receiving slot that changed what it carries. */
export interface SlotSourceChange {
  mid: string;
  /** Transport id of the publisher whose track the slot carries now, or null. */
  source: string | null;
}

/**
 * The downlink estimate starts here: enough for a page of 25 small tiles (25 × 150 kbps) at once. There is no probing with
 * padding, so the estimate grows from what is sent; a too-high start is corrected by the first signs of
 * queueing within a second or two.
 */
const DOWNLINK_START_BPS = 5_000_000;
const DOWNLINK_MAX_BPS = 20_000_000;
/** SSRC changes a simulcast m-line takes (a sender restarts a few times in a meeting, not hundreds). */
const MAX_SSRC_CHANGES = 20;

/** Receiving slots of one kind and priority a transport may have: the SDP (and the browser's work) grows with each. */
const MAX_RECEIVERS: Record<Priority, Record<MediaKind, number>> = { normal: { audio: 16, video: 100 }, high: { audio: 8, video: 8 } };

interface TransportEvents {
  offer: [offer: Offer];
  /** Receiving slots changed source (batched per turn of the event loop). */
  sources: [changes: SlotSourceChange[]];
  error: [error: Error];
  /** This side's ICE candidates, trickled once the client's first answer is applied. */
  candidates: [candidates: IceCandidate[]];
  producer: [producer: Producer];
  /** The client should send only these simulcast encodings on `mid` (the others nobody receives). */
  'send-layers': [change: { mid: string; rids: string[] }];
  /** The cameras this client asks for that its downlink cannot carry as well changed (see `pausedVideo`). */
  'video-paused': [publisherTransportIds: readonly string[]];
  state: [state: TransportState];
  close: [];
}

interface MLine {
  mid: string;
  kind: MediaKind;
  /** Every Track wrapper ever made for this mid: node-datachannel closes the native track when a wrapper is collected. */
  wrappers: Track[];
  producer: Producer | null;
  consumer: Consumer | null;
  /** SSRCs of the client's simulcast encodings on this m-line, written into this side's description. */
  announcedSsrcs: number[];
  /** How often those changed while this m-line carried its producer (each change costs a native track). */
  ssrcChanges: number;
  /** The stream this side sends on the m-line, announced in the offers the client sees. */
  sendSsrc: SsrcAnnouncement | null;
  /**
   * An unused m-line may be reused only after the client has answered an offer in which it was inactive:
   * reusing it sooner would swap the stream under a live transceiver, and browsers fire no new `track` event then.
   */
  reusable: boolean;
}

let nextLocalId = 0;

/**
 * One participant's PeerConnection: all of its media in one BUNDLE on the shared UDP port.
 * The server always offers (RFC 3264) and the client answers, so there is never glare, and the
 * server alone decides codecs, payload types and extension ids for every m-line.
 */
export class WebRtcTransport extends EventEmitter<TransportEvents> {
  private readonly pc: PeerConnection;
  private readonly mlines = new Map<string, MLine>();
  /** The producers of `mlines`, kept as a list: the router reads it for every subscriber several times a second. */
  private readonly producerList: Producer[] = [];
  private nextMid = 0;
  private offerCounter = 0;
  /** The offer awaiting an answer, if any. Only one offer is outstanding at a time. */
  private pendingOffer: Offer | null = null;
  /** M-lines the outstanding offer describes as inactive. */
  private pendingInactive: MLine[] = [];
  private offerScheduled = false;
  /** From creating an offer until its answer is applied: no second offer may start meanwhile. */
  private negotiating = false;
  private renegotiationNeeded = false;
  private gathered: Promise<void>;
  private closed = false;
  private stateValue: TransportState = 'new';
  private localCandidates: IceCandidate[] = [];
  private answered = false;
  /** SSRC this side uses as the sender of RTCP feedback towards publishers. */
  readonly rtcpSsrc = randomSsrc();
  private sourceChanges = new Map<string, string | null>();
  private readonly consumerBySsrc = new Map<number, Consumer>();
  /** Spreads this client's video over time once its downlink has an estimate, and numbers what leaves. */
  readonly pacer: Pacer;
  /** Transport-wide numbering of what this client receives, and the downlink estimate from its feedback. */
  private readonly sequencer = new TransportWideSequencer();
  private readonly estimator = new SendSideEstimator({ startBps: DOWNLINK_START_BPS, maxBps: DOWNLINK_MAX_BPS });
  private downlinkEstimated = false;
  private pausedVideoIds: readonly string[] = [];
  /** Pacing of video upgrades after ones the downlink could not carry. */
  readonly upgrades = new UpgradeBackoff();
  /** Arrivals of what this client sends, reported back so that its browser adapts its upload. */
  private readonly twcc = new TwccRecorder();
  /**
   * The m-line all RTCP about this side's streams is routed to: the first one the client sends on.
   * libdatachannel hands incoming RTCP to the track whose description lists the SSRC it names (the last
   * one listing it); listing every receiving slot's SSRC on this one m-line only (in this side's
   * description; the client sees each on its own m-line) brings all feedback to one callback instead of
   * one per slot, and each callback costs a libuv handle.
   */
  private rtcpSink: MLine | null = null;
  /** Receiving-slot SSRCs the sink's description lists. */
  private sinkSsrcCount = 0;

  constructor(
    readonly id: string,
    private readonly settings: TransportSettings,
    private readonly counters: SfuCounters,
    onPacerBacklog: () => void = () => {},
  ) {
    super();
    this.pacer = new Pacer(onPacerBacklog, counters, this.sequencer);
    const config: RtcConfig = {
      iceServers: [],
      bindAddress: settings.bindAddress,
      enableIceUdpMux: true,
      portRangeBegin: settings.port,
      portRangeEnd: settings.port,
      disableAutoNegotiation: true,
    };
    this.pc = new PeerConnection(`t${++nextLocalId}`, config);
    this.gathered = new Promise((resolve) => {
      this.pc.onGatheringStateChange((state) => {
        if (state === 'complete') resolve();
      });
    });
    this.pc.onStateChange((state) => this.setState(state as TransportState));
  }

  get state(): TransportState {
    return this.stateValue;
  }

  /** The offer still waiting for an answer (re-sent when a client reconnects its signaling). */
  get outstandingOffer(): Offer | null {
    return this.pendingOffer;
  }

  /** Opens an m-line on which the client publishes one track of this kind (video optionally in simulcast). */
  produce(kind: MediaKind, options: ProducerOptions = {}): Producer {
    const mline = this.allocateMLine(kind);
    const simulcast = kind === 'video' && (options.simulcast?.length ?? 0) > 0;
    const track = this.pc.addTrack(describeMedia(kind, mline.mid, 'RecvOnly', { simulcast }));
    mline.wrappers.push(track);
    const producer = new Producer(`${this.id}:${mline.mid}`, kind, this.id, track, this.rtcpSsrc, this.counters, options);
    this.rtcpSink ??= mline;
    producer.twcc = this.twcc;
    track.onMessage((message) => {
      if (isRtcp(message)) this.receiveRtcp(message, mline, producer);
      else producer.receive(message, performance.now());
    });
    mline.producer = producer;
    this.producerList.push(producer);
    producer.on('send-layers', (rids) => this.emit('send-layers', { mid: mline.mid, rids }));
    producer.once('close', () => this.release(mline));
    this.requestNegotiation();
    this.emit('producer', producer);
    return producer;
  }

  /**
   * Points this client's receiving slots of `kind` and `priority` at `layers` (at most one per producer),
   * in order of importance. A producer already carried by a slot stays on it (only its layer may change);
   * the others take the slots no longer needed, and new slots (m-lines) are added when there are too few.
   */
  assign(kind: MediaKind, layers: readonly ProducerLayer[], priority: Priority = 'normal'): void {
    if (this.closed) return;
    const receivers = this.receivers(kind, priority);
    const byProducer = new Map<Producer, Consumer>();
    for (const consumer of receivers) {
      const producer = consumer.wantedProducer;
      if (producer !== null) byProducer.set(producer, consumer);
    }
    const kept = new Set<Consumer>();
    const unplaced: ProducerLayer[] = [];
    for (const layer of layers) {
      const consumer = byProducer.get(layer.producer);
      if (consumer !== undefined && !kept.has(consumer)) {
        consumer.setSource(layer);
        kept.add(consumer);
      } else {
        unplaced.push(layer);
      }
    }
    const free = receivers.filter((c) => !kept.has(c));
    for (const layer of unplaced) {
      const consumer = free.shift() ?? (receivers.length < MAX_RECEIVERS[priority][kind] ? this.addReceiver(kind, priority) : undefined);
      if (consumer === undefined) break;
      if (!receivers.includes(consumer)) receivers.push(consumer);
      consumer.setSource(layer);
    }
    for (const consumer of free) consumer.setSource(null);
  }

  /** This client's receiving slots of one kind and priority. */
  receivers(kind: MediaKind, priority: Priority = 'normal'): Consumer[] {
    const found: Consumer[] = [];
    for (const mline of this.mlines.values()) if (mline.consumer !== null && mline.kind === kind && mline.consumer.priority === priority) found.push(mline.consumer);
    return found;
  }

  /** All of this client's receiving slots, of every kind and priority. */
  allReceivers(): Consumer[] {
    const found: Consumer[] = [];
    for (const mline of this.mlines.values()) if (mline.consumer !== null) found.push(mline.consumer);
    return found;
  }

  /** Adds a receiving slot (an m-line the server sends on); it carries nothing until assigned. */
  private addReceiver(kind: MediaKind, priority: Priority): Consumer {
    const mline = this.allocateMLine(kind);
    const ssrc = randomSsrc();
    // The SSRC is announced to the client only (describeForClient): in libdatachannel's own description
    // it would claim this stream's RTCP for this m-line, which has no callback (see rtcpSink).
    const track = this.pc.addTrack(describeMedia(kind, mline.mid, 'SendOnly'));
    mline.wrappers.push(track);
    mline.sendSsrc = { ssrc, cname: `treff-${this.id}`, streamId: `slot-${mline.mid}`, trackId: `slot-${mline.mid}` };
    const consumer = new Consumer(`${this.id}:${mline.mid}`, kind, this.id, mline.mid, ssrc, track, this.counters, this.pacer, priority);
    mline.consumer = consumer;
    this.consumerBySsrc.set(ssrc, consumer);
    consumer.on('source', (producer) => this.queueSourceChange(mline.mid, producer?.transportId ?? null));
    this.requestNegotiation();
    return consumer;
  }

  /**
   * RTCP from the client. A compound packet naming SSRCs of several m-lines is delivered to each of them
   * by libdatachannel, so sender reports are taken only from the track they describe and feedback only
   * from the sink.
   */
  private receiveRtcp(message: Buffer, via: MLine, producer: Producer): void {
    const packets = parseRtcp(message);
    if (packets === null) {
      this.counters.malformedPackets++;
      return;
    }
    const feedback = via === this.rtcpSink;
    for (const p of packets) {
      switch (p.kind) {
        case 'sr':
          producer.onSenderReport(p, performance.now());
          break;
        case 'pli':
        case 'nack':
          if (feedback) this.consumerBySsrc.get(p.mediaSsrc)?.onFeedback(p);
          break;
        case 'fir':
          if (feedback) for (const entry of p.entries) this.consumerBySsrc.get(entry.ssrc)?.onFeedback(p);
          break;
        case 'transport-cc':
          if (feedback) this.onTransportFeedback(p);
          break;
        default:
          break;
      }
    }
  }

  private onTransportFeedback(feedback: RtcpTransportFeedback): void {
    const now = performance.now();
    const estimate = this.estimator.onPacketResults(this.sequencer.onFeedback(feedback, now), now);
    this.downlinkEstimated = true;
    this.pacer.setEstimate(estimate);
  }

  /** Reports recent arrivals to the client (transport-wide congestion control feedback, extensions-01 §3.1). */
  sendTransportFeedback(nowMs: number): void {
    const sink = this.rtcpSink?.producer;
    // Until the track can send, arrivals stay recorded: feedback built now would be lost, and with it
    // the browser's first bandwidth probes (it would then ramp up over tens of seconds instead).
    if (sink === null || sink === undefined || !sink.canSendRtcp) return;
    const mediaSsrc = this.producers.find((p) => p.ssrc !== 0)?.ssrc ?? 0;
    for (const packet of this.twcc.buildFeedback(this.rtcpSsrc, mediaSsrc, nowMs)) sink.sendRtcp(packet);
  }

  /** Lists every receiving slot's SSRC in the sink's description, before the offer that introduces them. */
  private updateRtcpSink(): void {
    const sink = this.rtcpSink;
    if (sink === null || sink.producer === null || this.consumerBySsrc.size === this.sinkSsrcCount) return;
    this.sinkSsrcCount = this.consumerBySsrc.size;
    const receiveSsrcs = [...sink.announcedSsrcs, ...this.consumerBySsrc.keys()];
    const simulcast = sink.producer.simulcast;
    sink.wrappers.push(this.pc.addTrack(describeMedia(sink.kind, sink.mid, 'RecvOnly', { simulcast, receiveSsrcs })));
  }

  private queueSourceChange(mid: string, source: string | null): void {
    if (this.closed) return;
    const first = this.sourceChanges.size === 0;
    this.sourceChanges.set(mid, source);
    if (!first) return;
    setImmediate(() => {
      const changes = [...this.sourceChanges].map(([m, src]) => ({ mid: m, source: src }));
      this.sourceChanges.clear();
      if (!this.closed && changes.length > 0) this.emit('sources', changes);
    });
  }

  /**
   * The SSRCs of a simulcast producer's encodings, as the client reported them. libdatachannel routes
   * incoming RTP by SSRC only and browsers leave simulcast SSRCs out of their answers, so they are put
   * into this side's description of the m-line (and kept out of what the client sees).
   */
  announceSimulcastStreams(mid: string, streams: readonly { rid: string; ssrc: number }[]): void {
    const mline = this.mlines.get(mid);
    const producer = mline?.producer;
    if (this.closed || mline === undefined || producer === null || producer === undefined || !producer.simulcast) {
      throw new TransportError('wrong-state', `mid ${JSON.stringify(mid)} is not a simulcast track this client sends`);
    }
    const rids = new Set(producer.layers.map((l) => l.rid));
    const ssrcs = new Set<number>();
    for (const { rid, ssrc } of streams) {
      if (!rids.has(rid)) throw new TransportError('bad-sdp', `rid ${JSON.stringify(rid)} was not offered on mid ${mid}`);
      if (ssrcs.has(ssrc)) throw new TransportError('bad-sdp', `SSRC ${ssrc} is announced twice`);
      ssrcs.add(ssrc);
    }
    const unchanged = [...ssrcs].every((ssrc) => mline.announcedSsrcs.includes(ssrc));
    // Each change re-describes the m-line with a native track kept alive for good (see Costs in
    // docs/architecture.md).
    if (!unchanged && ++mline.ssrcChanges > MAX_SSRC_CHANGES) throw new TransportError('bad-sdp', `the SSRCs of mid ${mid} changed more than ${MAX_SSRC_CHANGES} times; publish the track again`);
    producer.announceStreams(streams);
    if (unchanged) return;
    mline.announcedSsrcs = [...new Set([...mline.announcedSsrcs, ...ssrcs])].slice(-8);
    const sinkSsrcs = mline === this.rtcpSink ? [...this.consumerBySsrc.keys()] : [];
    mline.wrappers.push(this.pc.addTrack(describeMedia('video', mid, 'RecvOnly', { simulcast: true, receiveSsrcs: [...mline.announcedSsrcs, ...sinkSsrcs] })));
    // The SSRCs take effect with the next local description.
    this.requestNegotiation();
  }

  /** Applies the client's answer to the outstanding offer. */
  applyAnswer(offerId: number, sdp: string): void {
    const offer = this.pendingOffer;
    if (this.closed || offer === null || offer.offerId !== offerId) {
      throw new TransportError('wrong-state', offer === null ? 'no offer is waiting for an answer' : `answer is for offer ${offerId}, expected ${offer.offerId}`);
    }
    const answer = parseAnswer(sdp, offer.media);
    try {
      const receiving = offer.slots.flatMap((slot) => (slot.carries === 'consumer' ? [slot.mid] : []));
      this.pc.setRemoteDescription(withoutReceiverSsrcs(sdp, receiving), 'answer');
    } catch (err) {
      throw new TransportError('bad-sdp', `answer rejected: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.pendingOffer = null;
    this.negotiating = false;
    for (const mline of this.pendingInactive) mline.reusable = mline.producer === null && mline.consumer === null;
    this.pendingInactive = [];
    for (const slot of offer.slots) {
      if (slot.carries === 'producer') {
        if (slot.producer.simulcast && !answer.simulcastMids.has(slot.mid)) slot.producer.declineSimulcast();
        const ssrc = answer.ssrcByMid.get(slot.mid);
        if (ssrc !== undefined) slot.producer.setSsrc(ssrc);
      } else {
        slot.consumer.setNegotiated();
      }
    }
    if (!this.answered) {
      this.answered = true;
      this.emit('candidates', this.localCandidates);
    }
    if (this.renegotiationNeeded) this.requestNegotiation();
  }

  /** What this client's downlink can carry, bits per second (Infinity until its first congestion feedback). */
  get downlinkEstimateBps(): number {
    return this.downlinkEstimated ? this.estimator.estimateBps : Infinity;
  }

  /** Candidates a client that lost its signaling may still need: until media connects, all of them. */
  get candidatesToResend(): IceCandidate[] {
    return this.answered && this.stateValue !== 'connected' ? this.localCandidates : [];
  }

  addRemoteCandidate(candidate: string, mid: string): void {
    if (this.closed || candidate === '') return;
    if (!this.mlines.has(mid)) throw new TransportError('bad-candidate', `unknown mid ${JSON.stringify(mid)}`);
    try {
      this.pc.addRemoteCandidate(candidate, mid);
    } catch (err) {
      throw new TransportError('bad-candidate', `candidate rejected: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Producers and consumers currently attached, by m-line. */
  get producers(): readonly Producer[] {
    return this.producerList;
  }

  /** Publishers (transport ids) of cameras this client asks for but is not sent now, for lack of downlink. */
  get pausedVideo(): readonly string[] {
    return this.pausedVideoIds;
  }

  /** Set by the router's video allocation; emits 'video-paused' when the list changes. */
  setPausedVideo(publisherTransportIds: readonly string[]): void {
    // Sorted: the allocation's priority order changes with the speaker, the set is what matters.
    const ids = [...publisherTransportIds].sort();
    if (ids.length === this.pausedVideoIds.length && ids.every((id, i) => id === this.pausedVideoIds[i])) return;
    this.pausedVideoIds = ids;
    this.emit('video-paused', ids);
  }

  /** What each simulcast track of this client should send now (`send-layers` as last emitted). */
  get sendLayers(): { mid: string; rids: string[] }[] {
    return [...this.mlines.values()].flatMap((m) => (m.producer?.simulcast ? [{ mid: m.mid, rids: m.producer.sendLayers }] : []));
  }

  get consumers(): Consumer[] {
    return [...this.mlines.values()].flatMap((m) => (m.consumer ? [m.consumer] : []));
  }

  /** Sends RTCP receiver reports for everything this transport receives. */
  sendReceiverReports(nowMs: number): void {
    for (const producer of this.producers) producer.sendReceiverReport(nowMs);
  }

  /** Retransmission requests that are due, for everything this transport receives. */
  tickProducers(nowMs: number): void {
    for (const mline of this.mlines.values()) mline.producer?.tick(nowMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const mline of this.mlines.values()) {
      mline.producer?.close();
      mline.consumer?.close();
    }
    this.pc.close();
    this.setState('closed');
    this.emit('close');
  }

  private allocateMLine(kind: MediaKind): MLine {
    // Recycle an inactive m-line of the same kind: the SDP then never grows beyond the peak room size.
    for (const mline of this.mlines.values()) {
      if (mline.kind === kind && mline.reusable) {
        mline.reusable = false;
        return mline;
      }
    }
    const mline: MLine = { mid: String(this.nextMid++), kind, wrappers: [], producer: null, consumer: null, announcedSsrcs: [], ssrcChanges: 0, sendSsrc: null, reusable: false };
    this.mlines.set(mline.mid, mline);
    return mline;
  }

  private release(mline: MLine): void {
    if (mline.producer !== null) this.producerList.splice(this.producerList.indexOf(mline.producer), 1);
    mline.producer = null;
    mline.consumer = null;
    mline.announcedSsrcs = [];
    mline.ssrcChanges = 0;
    mline.sendSsrc = null;
    if (this.closed) return;
    // Re-describing the mid as inactive tells the browser to stop this transceiver; the mid is recycled later.
    mline.wrappers.push(this.pc.addTrack(describeMedia(mline.kind, mline.mid, 'Inactive')));
    this.requestNegotiation();
  }

  private requestNegotiation(): void {
    this.renegotiationNeeded = true;
    if (this.closed || this.negotiating || this.offerScheduled) return;
    this.offerScheduled = true;
    // Batch everything that changes in this turn of the event loop (e.g. a join adds many tracks) into one offer.
    setImmediate(() => {
      this.createOffer().catch((err: unknown) => {
        // A transport that cannot offer can carry no more changes: end it rather than the process.
        this.emit('error', err instanceof Error ? err : new Error(String(err)));
        this.close();
      });
    });
  }

  private async createOffer(): Promise<void> {
    this.offerScheduled = false;
    // node-datachannel turns a libdatachannel exception in setLocalDescription into a process abort,
    // so it is only ever called in the one state where it cannot throw.
    if (this.closed || this.negotiating || this.pc.signalingState() !== 'stable') return;
    this.negotiating = true;
    this.renegotiationNeeded = false;
    this.updateRtcpSink();
    this.pc.setLocalDescription('offer');
    // The slots must describe exactly the m-lines of this description: read them now, before anything
    // added while waiting for ICE gathering (which goes into the next offer).
    const slots: MediaSlot[] = [];
    const media: OfferedMedia[] = [];
    this.pendingInactive = [];
    for (const m of this.mlines.values()) {
      media.push({ mid: m.mid, kind: m.kind });
      if (m.producer) slots.push({ mid: m.mid, kind: m.kind, carries: 'producer', producer: m.producer });
      else if (m.consumer) slots.push({ mid: m.mid, kind: m.kind, carries: 'consumer', consumer: m.consumer });
      else this.pendingInactive.push(m);
    }
    await this.gathered;
    if (this.closed) return;
    const description = this.pc.localDescription();
    if (description === null) throw new Error('no local description after setLocalDescription');
    const simulcastRids = new Map<string, string[]>();
    const receiving: string[] = [];
    const sending = new Map<string, SsrcAnnouncement>();
    for (const slot of slots) {
      const send = this.mlines.get(slot.mid)?.sendSsrc;
      if (send) sending.set(slot.mid, send);
      if (slot.carries !== 'producer') continue;
      receiving.push(slot.mid);
      if (slot.producer.simulcast) simulcastRids.set(slot.mid, slot.producer.layers.map((l) => l.rid ?? ''));
    }
    const clientSdp = describeForClient(description.sdp, { receiving, simulcastRids, sending });
    const { sdp, candidates } = extractCandidates(rewriteCandidates(clientSdp, this.settings.announcedAddress));
    if (this.localCandidates.length === 0) this.localCandidates = candidates;
    const offer: Offer = { offerId: ++this.offerCounter, sdp, slots, media };
    this.pendingOffer = offer;
    this.emit('offer', offer);
  }

  private setState(state: TransportState): void {
    if (state === this.stateValue || (this.stateValue === 'closed' && state !== 'closed')) return;
    this.stateValue = state;
    this.emit('state', state);
  }
}

function randomSsrc(): number {
  return randomInt(1, 0xffffffff);
}
