import type { MediaKind } from '@treff/protocol';
import { emptyStats, type E2eeStats, type FrameKind, type FrameMode, type FrameSide, type FromWorker, type ToWorker } from './frame-messages.js';
import type { FrameKeyEvent } from './frame-crypto.js';
import type { SenderKey } from './sender-key.js';

/**
 * How this browser lets us reach encoded frames: the standard `RTCRtpScriptTransform` (Firefox, Safari,
 * current Chromium), or — only where that is missing — Chromium's `createEncodedStreams()`, which needs
 * the PeerConnection created with `encodedInsertableStreams: true`. Null: no end-to-end encryption here.
 */
export type E2eeCapability = 'script-transform' | 'encoded-streams';

export function detectE2eeCapability(scope: object = globalThis): E2eeCapability | null {
  const global = scope as { Worker?: unknown; RTCRtpScriptTransform?: unknown; RTCRtpSender?: { prototype?: object } };
  // The transforms run in a module worker; without workers neither path works.
  if (typeof global.Worker !== 'function') return null;
  if (typeof global.RTCRtpScriptTransform === 'function') return 'script-transform';
  const sender = global.RTCRtpSender?.prototype;
  if (sender && 'createEncodedStreams' in sender) return 'encoded-streams';
  return null;
}

/** What the key schedule (e2ee-session) tells the frame transforms. */
export interface FrameKeys {
  setOwnKey(keyTag: number, key: SenderKey): void;
  setKey(keyTag: number, key: SenderKey): void;
  forget(keyTag: number): void;
  /** The key tags of the participants present: frames of other tags never wait for a key. */
  setSenders(keyTags: readonly number[]): void;
  /** Whose key tag each receiving m-line (by mid) carries: frames of another sender there are dropped. */
  setTrackSenders(tracks: Readonly<Record<string, number | null>>): void;
  setMode(mode: FrameMode): void;
  stats(): Promise<E2eeStats>;
  /** Where the transforms report missing keys and ratchets they followed (one listener, the session). */
  onKeyEvent: ((event: FrameKeyEvent) => void) | null;
}

/** The frame transforms of one PeerConnection. */
export interface FrameEncryption extends FrameKeys {
  /** Merged into the PeerConnection's configuration when it is created. */
  readonly rtcConfiguration: Partial<RTCConfiguration>;
  /** Puts the transforms on a transceiver's receiver and sender (each only once); call right after setRemoteDescription. */
  attach(transceiver: RTCRtpTransceiver): void;
  close(): void;
}

/** Chromium's fallback API, absent from the DOM typings. */
interface EncodedStreams {
  readable: ReadableStream;
  writable: WritableStream;
}
type WithEncodedStreams = { createEncodedStreams?: () => EncodedStreams };

export interface FrameEncryptionOptions {
  /** The worker failed (e.g. its script did not load): frames no longer pass. */
  onError?: (message: string) => void;
}

/** Null when this browser cannot encrypt frames. */
export function createFrameEncryption(options: FrameEncryptionOptions = {}): FrameEncryption | null {
  const capability = detectE2eeCapability();
  if (capability === null) return null;
  const worker = new Worker(new URL('./frame-worker.ts', import.meta.url), { type: 'module', name: 'treff-e2ee' });
  return new WorkerFrameEncryption(worker, capability, options);
}

/** Stats requests the worker has not answered after this long resolve with the last answer. */
const STATS_TIMEOUT_MS = 1000;

export class WorkerFrameEncryption implements FrameEncryption {
  readonly rtcConfiguration: Partial<RTCConfiguration>;
  readonly #worker: Worker;
  readonly #capability: E2eeCapability;
  readonly #attached = new WeakSet<RTCRtpSender | RTCRtpReceiver>();
  readonly #statsWaiting = new Map<number, (stats: E2eeStats) => void>();
  #lastStats = emptyStats();
  #nextStatsId = 1;
  #closed = false;
  onKeyEvent: ((event: FrameKeyEvent) => void) | null = null;

  constructor(worker: Worker, capability: E2eeCapability, options: FrameEncryptionOptions = {}) {
    this.#worker = worker;
    worker.onerror = (event) => {
      if (!this.#closed) options.onError?.(event.message || 'the frame encryption worker failed');
    };
    this.#capability = capability;
    this.rtcConfiguration = capability === 'encoded-streams' ? ({ encodedInsertableStreams: true } as Partial<RTCConfiguration>) : {};
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (event.data.type === 'key-event') {
        this.onKeyEvent?.(event.data.event);
        return;
      }
      const { id, stats } = event.data;
      this.#lastStats = stats;
      this.#statsWaiting.get(id)?.(stats);
      this.#statsWaiting.delete(id);
    };
  }

  attach(transceiver: RTCRtpTransceiver): void {
    if (this.#closed) return;
    const kind = transceiver.receiver.track.kind as MediaKind;
    const mid = transceiver.mid ?? undefined;
    this.#attachTo(transceiver.receiver, 'receive', kind, mid);
    this.#attachTo(transceiver.sender, 'send', kind, mid);
  }

  setOwnKey(keyTag: number, key: SenderKey): void {
    this.#post({ type: 'own-key', keyTag, key });
  }

  setKey(keyTag: number, key: SenderKey): void {
    this.#post({ type: 'key', keyTag, key });
  }

  forget(keyTag: number): void {
    this.#post({ type: 'forget', keyTag });
  }

  setSenders(keyTags: readonly number[]): void {
    this.#post({ type: 'senders', keyTags });
  }

  setTrackSenders(tracks: Readonly<Record<string, number | null>>): void {
    this.#post({ type: 'tracks', tracks });
  }

  setMode(mode: FrameMode): void {
    this.#post({ type: 'mode', mode });
  }

  stats(): Promise<E2eeStats> {
    if (this.#closed) return Promise.resolve(this.#lastStats);
    const id = this.#nextStatsId++;
    return new Promise((resolve) => {
      this.#statsWaiting.set(id, resolve);
      this.#post({ type: 'stats', id });
      setTimeout(() => {
        if (this.#statsWaiting.delete(id)) resolve(this.#lastStats);
      }, STATS_TIMEOUT_MS);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#worker.terminate();
    for (const resolve of this.#statsWaiting.values()) resolve(this.#lastStats);
    this.#statsWaiting.clear();
  }

  #attachTo(target: RTCRtpSender | RTCRtpReceiver, side: FrameSide, kind: FrameKind, mid: string | undefined): void {
    if (this.#attached.has(target)) return;
    this.#attached.add(target);
    if (this.#capability === 'script-transform') {
      target.transform = new RTCRtpScriptTransform(this.#worker, { side, kind, mid });
      return;
    }
    const streams = (target as WithEncodedStreams).createEncodedStreams?.();
    if (!streams) return;
    this.#worker.postMessage({ type: 'streams', side, kind, mid, readable: streams.readable, writable: streams.writable } satisfies ToWorker, [
      streams.readable as unknown as Transferable,
      streams.writable as unknown as Transferable,
    ]);
  }

  #post(message: ToWorker): void {
    if (!this.#closed) this.#worker.postMessage(message);
  }
}
