// The frame worker's job done in-process, so Node tests can send frames between E2EE sessions.
import { FrameCrypto, type FrameKeyEvent } from '../e2ee/frame-crypto.js';
import type { E2eeStats, FrameKind, FrameMode } from '../e2ee/frame-messages.js';
import { KeyRing } from '../e2ee/key-ring.js';
import type { FrameEncryption } from '../e2ee/media-encryption.js';
import type { SenderKey } from '../e2ee/sender-key.js';

/**
 * Applies key and mode changes in order, as the worker applies its messages. Node has no transceivers
 * to transform: `attach` only notes the mid in `log` (e.g. a FakePeerConnection's, to see when it came).
 */
export class LocalFrames implements FrameEncryption {
  readonly ring = new KeyRing();
  readonly crypto = new FrameCrypto({ ring: this.ring, onKeyEvent: (event) => this.onKeyEvent?.(event) });
  onKeyEvent: ((event: FrameKeyEvent) => void) | null = null;
  readonly rtcConfiguration: Partial<RTCConfiguration> = {};
  log: string[] = [];
  closed = false;
  #applied: Promise<void> = Promise.resolve();

  attach(transceiver: RTCRtpTransceiver): void {
    this.log.push(`attach ${transceiver.mid}`);
  }
  close(): void {
    this.closed = true;
  }

  setOwnKey(keyTag: number, key: SenderKey): void {
    this.#apply(() => this.crypto.setOwnKey(keyTag, key));
  }
  setKey(keyTag: number, key: SenderKey): void {
    this.#apply(() => this.crypto.setKey(keyTag, key));
  }
  forget(keyTag: number): void {
    this.#apply(() => this.crypto.forget(keyTag));
  }
  setSenders(keyTags: readonly number[]): void {
    this.#apply(() => this.crypto.setSenders(keyTags));
  }
  setTrackSenders(tracks: Readonly<Record<string, number | null>>): void {
    this.#apply(() => this.crypto.setTrackSenders(tracks));
  }
  setMode(mode: FrameMode): void {
    this.#apply(() => this.crypto.setMode(mode));
  }
  async stats(): Promise<E2eeStats> {
    await this.idle();
    return this.crypto.stats();
  }

  idle(): Promise<void> {
    return this.#applied;
  }

  /** What we would send for `frame` now (null: dropped). */
  async send(frame: Uint8Array, kind: FrameKind = 'audio'): Promise<Uint8Array | null> {
    await this.idle();
    return this.crypto.outgoing(kind, frame);
  }

  /** Receives `data`; resolves with what was delivered by now (a held frame delivers nothing yet). */
  async receive(data: Uint8Array, kind: FrameKind = 'audio', mid?: string): Promise<Uint8Array | null> {
    await this.idle();
    let out: Uint8Array | null = null;
    await this.crypto.incoming(kind, data, (frame) => (out = frame), mid);
    return out;
  }

  #apply(step: () => void | Promise<void>): void {
    this.#applied = this.#applied.then(step).catch(() => undefined);
  }
}
