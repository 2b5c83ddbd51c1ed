import { EventEmitter } from 'node:events';
import { ActiveSpeakerObserver } from './active-speaker-observer.js';
import { AudioSelector } from './audio-selector.js';
import type { SfuCounters } from './counters.js';
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
  /** Id of the transport whose audio dominates, or null. */
  'dominant-speaker': [transportId: string | null];
  close: [];
}

/**
 * One media routing domain (a meeting's media). Transports in a router can consume each other's
 * producers; the router also runs the shared periodic work: RTCP reports and speaker detection.
 */
export class Router extends EventEmitter<RouterEvents> {
  private readonly transports = new Map<string, WebRtcTransport>();
  private readonly speakers = new ActiveSpeakerObserver();
  private readonly timers: NodeJS.Timeout[];
  private readonly subscriptions = new Map<string, readonly VideoSubscription[]>();
  private readonly audio: AudioSelector;
  /** Transport ids of recent dominant speakers, most recent first (last-N). */
  private recentSpeakers: string[] = [];
  private allocationScheduled = false;
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
    this.audio = new AudioSelector(options.audioTopN);
    this.speakers.on('dominant-speaker', (id) => {
      if (id !== null) {
        this.recentSpeakers = [id, ...this.recentSpeakers.filter((s) => s !== id)].slice(0, 64);
        this.scheduleVideoAllocation();
      }
      this.emit('dominant-speaker', id);
    });
    this.timers = [
      setInterval(() => {
        const now = performance.now();
        for (const transport of this.transports.values()) transport.sendReceiverReports(now);
      }, RECEIVER_REPORT_INTERVAL_MS),
      setInterval(() => this.speakers.update(performance.now()), SPEAKER_UPDATE_INTERVAL_MS),
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

  get dominantSpeaker(): string | null {
    return this.speakers.dominantSpeaker;
  }

  get transportCount(): number {
    return this.transports.size;
  }

  createTransport(id: string): WebRtcTransport {
    if (this.closed) throw new Error('router is closed');
    if (this.transports.has(id)) throw new Error(`transport ${id} already exists`);
    const transport = new WebRtcTransport(id, this.settings, this.counters, () => this.startPacing());
    this.transports.set(id, transport);
    transport.on('producer', (producer) => {
      producer.tap = this.tap;
      // A high-priority track (a shared screen's sound) is not someone speaking.
      const speech = producer.kind === 'audio' && producer.priority === 'normal';
      if (speech) producer.on('audio-level', (level) => this.speakers.observe(id, level, performance.now()));
      producer.once('live', () => {
        // Everyone starts receiving a high-priority video at once: they all need a picture to start from.
        if (producer.kind === 'video' && producer.priority === 'high') producer.requestKeyframe(0);
        if (producer.kind === 'audio') this.selectAudio();
        else this.scheduleVideoAllocation();
      });
      producer.on('paused', (paused) => {
        // A paused microphone falls silent for the speaker observer at once, not when its energy decays.
        if (paused && speech) this.speakers.remove(id);
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
      this.speakers.remove(id);
      this.recentSpeakers = this.recentSpeakers.filter((s) => s !== id);
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

  /** Audio top-N: every subscriber's audio slots carry the loudest other speakers (with hysteresis). */
  private selectAudio(): void {
    if (this.closed) return;
    const energy = this.speakers.energies(performance.now());
    for (const id of energy.keys()) if (this.producerOf(id, 'audio')?.forwarding !== true) energy.delete(id);
    this.audio.update(energy);
    for (const transport of this.transports.values()) {
      const layers = this.audio.for(transport.id).flatMap((id) => {
        const producer = this.producerOf(id, 'audio');
        return producer === null ? [] : [producer.layers[0]!];
      });
      transport.assign('audio', layers);
      // High-priority audio is outside the selection: everyone but its publisher gets all of it.
      transport.assign('audio', this.highPriority('audio', transport.id).map((p) => p.layers[0]!), 'high');
    }
  }

  /** Forwarding high-priority producers of `kind`, except those of `exceptTransportId`. */
  private highPriority(kind: 'audio' | 'video', exceptTransportId: string): Producer[] {
    return [...this.transports.values()].flatMap((t) =>
      t.id === exceptTransportId ? [] : t.producers.filter((p) => p.kind === kind && p.priority === 'high' && p.forwarding),
    );
  }

  /** Chooses, for every subscriber, which videos it receives and at which simulcast layer. */
  private allocateVideo(): void {
    if (this.closed) return;
    const now = performance.now();
    const cameras = [...this.transports.values()].flatMap((t) => {
      const producer = this.producerOf(t.id, 'video');
      return producer !== null && producer.forwarding ? [producer] : [];
    });
    // Last-N matters only when more cameras are on than N.
    const topLayerFor = cameras.length <= this.options.lastN ? null : new Set(this.recentSpeakers.slice(0, this.options.lastN));
    /** Per camera, the highest layer any subscriber's tile needs, whatever the downlinks carry. */
    const demand = new Map<Producer, number>(cameras.map((p) => [p, -1]));
    for (const transport of this.transports.values()) {
      const wanted = withSpeakerFirst(
        this.subscriptions.get(transport.id) ??
          cameras.slice(0, DEFAULT_SUBSCRIPTIONS).map((p) => ({ transportId: p.transportId, width: 0, height: DEFAULT_TILE_HEIGHT })),
        this.speakers.dominantSpeaker,
      );
      // High-priority videos are never dropped for bandwidth: each goes out, and its rate comes off the
      // downlink budget before any camera's, so the cameras share what is left.
      let budget = transport.downlinkEstimateBps;
      const high: ProducerLayer[] = [];
      for (const producer of this.highPriority('video', transport.id)) {
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
        const producer = subscription.transportId === transport.id ? null : this.producerOf(subscription.transportId, 'video');
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
    }
    for (const [producer, highest] of demand) producer.setLayerDemand(highest, now);
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

/** The dominant speaker's video is the last to lose its layer when a downlink is short. */
function withSpeakerFirst(subscriptions: readonly VideoSubscription[], speaker: string | null): readonly VideoSubscription[] {
  const i = speaker === null ? -1 : subscriptions.findIndex((s) => s.transportId === speaker);
  return i <= 0 ? subscriptions : [subscriptions[i]!, ...subscriptions.slice(0, i), ...subscriptions.slice(i + 1)];
}
