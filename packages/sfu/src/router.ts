import { EventEmitter } from 'node:events';
import type { SfuCounters } from './counters.js';
import { ForwardingGroups } from './forwarding-groups.js';
import type { PacketTap } from './packet-tap.js';
import type { Producer } from './producer.js';
import type { ProducerLayer } from './producer-layer.js';
import { allocateVideo, fittingLayer, type VideoRequest } from './video-allocator.js';
import { WebRtcTransport, type TransportSettings } from './webrtc-transport.js';

/** RFC 3550 §6.2 suggests a 5 s minimum for large sessions; 1 s keeps loss stats fresh for few peers on one server. */
const RECEIVER_REPORT_INTERVAL_MS = 1000;
const SPEAKER_UPDATE_INTERVAL_MS = 200;
/** NACK retries are due about one round trip after the first request; a LAN round trip is a few ms. */
const NACK_TICK_INTERVAL_MS = 20;
/** Audio top-N follows speech within a tenth of a second. */
const AUDIO_SELECTION_INTERVAL_MS = 100;
/** Video layers follow bandwidth estimates and layers switched on or off by publishers. */
const VIDEO_ALLOCATION_INTERVAL_MS = 500;
/** Browsers send their congestion feedback every 50–100 ms; the server does the same for their uploads. */
const TRANSPORT_FEEDBACK_INTERVAL_MS = 50;
/** Paced packets leave in slices this long. */
const PACER_INTERVAL_MS = 5;

export interface RouterOptions {
  /** Audio streams each subscriber receives at once: the loudest speakers (audio top-N). */
  audioTopN: number;
  /** Recent speakers whose video may use its highest layer (last-N); everyone else is capped below it. */
  lastN: number;
}

export const DEFAULT_ROUTER_OPTIONS: RouterOptions = { audioTopN: 3, lastN: 5 };

/** A tile a subscriber shows some publisher's video in (sizes in device pixels). */
export interface VideoSubscription {
  transportId: string;
  width: number;
  height: number;
}

/** Until a client says what it shows, it receives this many cameras at a small size. */
const DEFAULT_SUBSCRIPTIONS = 25;
const DEFAULT_TILE_HEIGHT = 180;

interface RouterEvents {
  /** Id of the transport whose audio dominates in forwarding group `group`, or null. */
  'dominant-speaker': [transportId: string | null, group: string | null];
  close: [];
}

/**
 * One media routing domain (a meeting's media). Transports in a router can consume each other's
 * producers — within their forwarding group (see setGroup); the router also runs the shared periodic
 * work: RTCP reports and speaker detection.
 */
export class Router extends EventEmitter<RouterEvents> {
  private readonly transports = new Map<string, WebRtcTransport>();
  private readonly groups: ForwardingGroups;
  private readonly timers: NodeJS.Timeout[];
  private readonly subscriptions = new Map<string, readonly VideoSubscription[]>();
  private allocationScheduled = false;
  private audioSelectionScheduled = false;
  /** Runs only while some subscriber's pacer holds packets: an idle timer would wake the loop for nothing. */
  private pacing: NodeJS.Timeout | null = null;
  private closed = false;
  private tap: PacketTap | null = null;

  constructor(
    readonly id: string,
    private readonly settings: TransportSettings,
    private readonly counters: SfuCounters,
    readonly options: RouterOptions = DEFAULT_ROUTER_OPTIONS,
  ) {
    super();
    this.groups = new ForwardingGroups(options.audioTopN);
    this.groups.on('dominant-speaker', (id, group) => {
      if (id !== null) this.scheduleVideoAllocation();
      this.emit('dominant-speaker', id, group);
    });
    this.timers = [
      setInterval(() => {
        const now = performance.now();
        for (const transport of this.transports.values()) transport.sendReceiverReports(now);
      }, RECEIVER_REPORT_INTERVAL_MS),
      setInterval(() => this.groups.updateSpeakers(performance.now()), SPEAKER_UPDATE_INTERVAL_MS),
      setInterval(() => {
        const now = performance.now();
        for (const transport of this.transports.values()) transport.tickProducers(now);
      }, NACK_TICK_INTERVAL_MS),
      setInterval(() => this.selectAudio(), AUDIO_SELECTION_INTERVAL_MS),
      setInterval(() => {
        const now = performance.now();
        for (const transport of this.transports.values()) transport.sendTransportFeedback(now);
      }, TRANSPORT_FEEDBACK_INTERVAL_MS),
      setInterval(() => this.allocateVideo(), VIDEO_ALLOCATION_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  /** The dominant speaker of the default forwarding group. */
  get dominantSpeaker(): string | null {
    return this.groups.dominantSpeaker(null);
  }

  /** The dominant speaker of forwarding group `group` (null: the default group). */
  dominantSpeakerOf(group: string | null): string | null {
    return this.groups.dominantSpeaker(group);
  }

  /** The forwarding group a transport is in (null: the default group). */
  groupOf(transportId: string): string | null {
    return this.groups.of(transportId)?.name ?? null;
  }

  /**
   * Puts a transport in forwarding group `group` (null: the default group, where every transport starts).
   * A transport receives only from transports of its own group: audio top-N, video, high-priority
   * producers and the active speaker are all per group. Separation is immediate: every slot (of this
   * transport or any other) that carries or is switching to media of a transport no longer in its group
   * stops now, within this call. Audio and video are then selected again right after this turn of the
   * event loop (once for all the moves made in it), and the freed slots take their new sources as on any
   * other switch (video at a key frame).
   */
  setGroup(transportId: string, group: string | null): void {
    if (!this.transports.has(transportId) || !this.groups.move(transportId, group)) return;
    // A slot switching source keeps forwarding the old one until the new one's key frame: across groups
    // that would leak a room's media for up to a key frame interval.
    for (const transport of this.transports.values()) {
      for (const consumer of transport.allReceivers()) {
        const apart = (producer: Producer | null) =>
          producer !== null && producer.transportId !== transport.id && !this.groups.together(transport.id, producer.transportId);
        if (apart(consumer.producer)) consumer.cutOff();
        else if (apart(consumer.wantedProducer)) consumer.cancelSwitch();
      }
    }
    this.scheduleAudioSelection();
    this.scheduleVideoAllocation();
  }

  get transportCount(): number {
    return this.transports.size;
  }

  createTransport(id: string): WebRtcTransport {
    if (this.closed) throw new Error('router is closed');
    if (this.transports.has(id)) throw new Error(`transport ${id} already exists`);
    const transport = new WebRtcTransport(id, this.settings, this.counters, () => this.startPacing());
    this.transports.set(id, transport);
    // The audio-level handler reads the group through this, as cheaply as one observer of the whole router.
    const membership = this.groups.add(id);
    transport.on('producer', (producer) => {
      producer.tap = this.tap;
      // A high-priority track (a shared screen's sound) is not someone speaking.
      const speech = producer.kind === 'audio' && producer.priority === 'normal';
      if (speech) producer.on('audio-level', (level) => membership.group.speakers.observe(id, level, performance.now()));
      producer.once('live', () => {
        // Everyone starts receiving a high-priority video at once: they all need a picture to start from.
        if (producer.kind === 'video' && producer.priority === 'high') producer.requestKeyframe(0);
        if (producer.kind === 'audio') this.selectAudio();
        else this.scheduleVideoAllocation();
      });
      producer.on('paused', (paused) => {
        // A paused microphone falls silent for the speaker observer at once, not when its energy decays.
        if (paused && speech) membership.group.speakers.remove(id);
        if (producer.kind === 'audio') this.selectAudio();
        else this.scheduleVideoAllocation();
      });
      // Its bandwidth goes back to the others at once.
      producer.once('close', () => this.scheduleVideoAllocation());
    });
    this.scheduleVideoAllocation();
    transport.once('close', () => {
      this.transports.delete(id);
      this.subscriptions.delete(id);
      this.groups.remove(id);
      this.scheduleVideoAllocation();
    });
    return transport;
  }

  /** Every publisher's parsed packets go to `tap` too (null: to nobody, the default). */
  setPacketTap(tap: PacketTap | null): void {
    this.tap = tap;
    for (const transport of this.transports.values()) for (const producer of transport.producers) producer.tap = tap;
  }

  private startPacing(): void {
    if (this.pacing !== null || this.closed) return;
    this.pacing = setInterval(() => {
      const now = performance.now();
      let backlog = false;
      for (const transport of this.transports.values()) {
        transport.pacer.drain(now);
        backlog ||= transport.pacer.queuedPackets > 0;
      }
      if (!backlog && this.pacing !== null) {
        clearInterval(this.pacing);
        this.pacing = null;
      }
    }, PACER_INTERVAL_MS);
    this.pacing.unref();
  }

  /** The tiles a subscriber shows, most important first; replaces what it asked for before. */
  setVideoSubscriptions(transportId: string, subscriptions: readonly VideoSubscription[]): void {
    if (!this.transports.has(transportId)) return;
    this.subscriptions.set(transportId, subscriptions);
    this.scheduleVideoAllocation();
  }

  /** Runs the video allocation soon, batching everything that changes in this turn of the event loop. */
  private scheduleVideoAllocation(): void {
    if (this.allocationScheduled || this.closed) return;
    this.allocationScheduled = true;
    setImmediate(() => {
      this.allocationScheduled = false;
      this.allocateVideo();
    });
  }

  /** Runs the audio selection soon, once for everything that changes in this turn of the event loop. */
  private scheduleAudioSelection(): void {
    if (this.audioSelectionScheduled || this.closed) return;
    this.audioSelectionScheduled = true;
    setImmediate(() => {
      this.audioSelectionScheduled = false;
      this.selectAudio();
    });
  }

  /** Audio top-N: every subscriber's audio slots carry the loudest other speakers of its group (with hysteresis). */
  private selectAudio(): void {
    if (this.closed) return;
    const heard = this.groups.selectAudio(performance.now(), (id) => this.producerOf(id, 'audio')?.forwarding === true);
    for (const group of this.groups.all) {
      const high = this.highPriority(group.members, 'audio');
      for (const id of group.members) {
        const transport = this.transports.get(id);
        if (transport === undefined) continue;
        const layers = (heard.get(id) ?? []).flatMap((speaker) => {
          const producer = this.producerOf(speaker, 'audio');
          return producer === null ? [] : [producer.layers[0]!];
        });
        transport.assign('audio', layers);
        // High-priority audio is outside the selection: everyone in the group but its publisher gets all of it.
        transport.assign('audio', othersOf(high, id).map((p) => p.layers[0]!), 'high');
      }
    }
  }

  /**
   * The forwarding high-priority producers of `kind` among `members`: found once per group and pass, not per
   * subscriber.
   */
  private highPriority(members: Iterable<string>, kind: 'audio' | 'video'): Producer[] {
    const found: Producer[] = [];
    for (const id of members) {
      for (const p of this.transports.get(id)?.producers ?? []) if (p.kind === kind && p.priority === 'high' && p.forwarding) found.push(p);
    }
    return found;
  }

  /** Chooses, for every subscriber, which videos it receives and at which simulcast layer. */
  private allocateVideo(): void {
    if (this.closed) return;
    const now = performance.now();
    /** Per camera, the highest layer any subscriber's tile needs, whatever the downlinks carry. */
    const demand = new Map<Producer, number>();
    for (const group of this.groups.all) {
      const cameras = [...group.members].flatMap((id) => {
        const producer = this.producerOf(id, 'video');
        return producer !== null && producer.forwarding ? [producer] : [];
      });
      for (const camera of cameras) demand.set(camera, -1);
      // Last-N matters only when more cameras are on in the group than N.
      const topLayerFor = cameras.length <= this.options.lastN ? null : new Set(group.recentSpeakers.slice(0, this.options.lastN));
      const screens = this.highPriority(group.members, 'video');
      for (const id of group.members) {
        const transport = this.transports.get(id);
        if (transport !== undefined) this.allocateVideoOf(transport, cameras, othersOf(screens, id), topLayerFor, group.speakers.dominantSpeaker, demand, now);
      }
    }
    for (const [producer, highest] of demand) producer.setLayerDemand(highest, now);
  }

  /** One subscriber's video: the cameras of its group it asks for (or the first ones) and its group's screens. */
  private allocateVideoOf(
    transport: WebRtcTransport,
    cameras: readonly Producer[],
    screens: readonly Producer[],
    topLayerFor: ReadonlySet<string> | null,
    speaker: string | null,
    demand: Map<Producer, number>,
    now: number,
  ): void {
    const wanted = withSpeakerFirst(
      this.subscriptions.get(transport.id) ??
        cameras.slice(0, DEFAULT_SUBSCRIPTIONS).map((p) => ({ transportId: p.transportId, width: 0, height: DEFAULT_TILE_HEIGHT })),
      speaker,
    );
    // High-priority videos are never dropped for bandwidth: each goes out, and its rate comes off the
    // downlink budget before any camera's, so the cameras share what is left.
    let budget = transport.downlinkEstimateBps;
    const high: ProducerLayer[] = [];
    for (const producer of screens) {
      // Its best layer that flows; a screen showing nothing new may send nothing for a while and keeps its slot.
      const layer = [...producer.layers].reverse().find((l) => l.isActive(now)) ?? producer.layers[0]!;
      high.push(layer);
      budget -= layer.bitrateBps(now);
    }
    transport.assign('video', high, 'high');
    const producers: Producer[] = [];
    const requests: VideoRequest[] = [];
    const current = new Map<Producer, number>();
    for (const slot of transport.receivers('video')) if (slot.wantedProducer !== null) current.set(slot.wantedProducer, slot.wantedLayerIndex);
    for (const subscription of wanted) {
      // A tile of someone in another group stays empty: the subscription waits until they are together again.
      const producer =
        subscription.transportId === transport.id || !this.groups.together(transport.id, subscription.transportId)
          ? null
          : this.producerOf(subscription.transportId, 'video');
      if (producer === null || !producer.forwarding || producers.includes(producer)) continue;
      producers.push(producer);
      const request: VideoRequest = {
        layers: producer.layers.map((l) => ({ active: l.isActive(now), height: l.height, bitrateBps: l.bitrateBps(now) })),
        tileHeight: subscription.height,
        topLayerAllowed: topLayerFor === null || topLayerFor.has(producer.transportId),
        current: current.get(producer) ?? -1,
      };
      requests.push(request);
      demand.set(producer, Math.max(demand.get(producer) ?? -1, fittingLayer(request, true)));
    }
    const chosen = allocateVideo(requests, Math.max(0, budget), transport.upgrades.allowed(now));
    // A video that loses a layer its tile still wants lost it to the downlink: hold back the next upgrade.
    if (chosen.some((layer, i) => layer < requests[i]!.current! && fittingLayer(requests[i]!) >= requests[i]!.current!)) transport.upgrades.setback(now);
    const layers: ProducerLayer[] = [];
    for (const [i, layer] of chosen.entries()) if (layer >= 0) layers.push(producers[i]!.layers[layer]!);
    transport.assign('video', layers);
    // Held back for bandwidth: not sent although the publisher sends something (else the camera is just not live yet).
    transport.setPausedVideo(producers.flatMap((p, i) => (chosen[i]! < 0 && requests[i]!.layers.some((l) => l.active) ? [p.transportId] : [])));
  }

  /** A transport's normal-priority (camera or microphone) producer of `kind`. */
  private producerOf(transportId: string, kind: 'audio' | 'video'): Producer | null {
    return this.transports.get(transportId)?.producers.find((p) => p.kind === kind && p.priority === 'normal') ?? null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.pacing !== null) clearInterval(this.pacing);
    for (const transport of [...this.transports.values()]) transport.close();
    this.emit('close');
  }
}

/** What a subscriber receives of a group's producers: all but its own. */
function othersOf(producers: readonly Producer[], subscriberId: string): readonly Producer[] {
  return producers.some((p) => p.transportId === subscriberId) ? producers.filter((p) => p.transportId !== subscriberId) : producers;
}

/** The dominant speaker's video is the last to lose its layer when a downlink is short. */
function withSpeakerFirst(subscriptions: readonly VideoSubscription[], speaker: string | null): readonly VideoSubscription[] {
  const i = speaker === null ? -1 : subscriptions.findIndex((s) => s.transportId === speaker);
  return i <= 0 ? subscriptions : [subscriptions[i]!, ...subscriptions.slice(0, i), ...subscriptions.slice(i + 1)];
}
