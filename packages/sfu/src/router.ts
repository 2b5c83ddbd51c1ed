import { EventEmitter } from 'node:events';
import { ActiveSpeakerObserver } from './active-speaker-observer.js';
import type { SfuCounters } from './counters.js';
import { WebRtcTransport, type TransportSettings } from './webrtc-transport.js';

/** RFC 3550 §6.2 suggests a 5 s minimum for large sessions; 1 s keeps loss stats fresh for few peers on one server. */
const RECEIVER_REPORT_INTERVAL_MS = 1000;
const SPEAKER_UPDATE_INTERVAL_MS = 200;
/** NACK retries are due about one round trip after the first request; a LAN round trip is a few ms. */
const NACK_TICK_INTERVAL_MS = 20;

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
  private closed = false;

  constructor(
    readonly id: string,
    private readonly settings: TransportSettings,
    private readonly counters: SfuCounters,
  ) {
    super();
    this.speakers.on('dominant-speaker', (id) => this.emit('dominant-speaker', id));
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
    const transport = new WebRtcTransport(id, this.settings, this.counters);
    this.transports.set(id, transport);
    transport.on('producer', (producer) => {
      if (producer.kind === 'audio') producer.on('audio-level', (level) => this.speakers.observe(id, level, performance.now()));
    });
    transport.once('close', () => {
      this.transports.delete(id);
      this.speakers.remove(id);
    });
    return transport;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const transport of [...this.transports.values()]) transport.close();
    this.emit('close');
  }
}
