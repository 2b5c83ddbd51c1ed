import type { ClientMessage } from '@treff/protocol';

/**
 * Why `startScreenShare()` rejected: `cancelled` (the person closed the browser's picker or denied it — an
 * app usually says nothing), `unavailable` (this browser cannot capture screens), `refused` (the server's
 * message, e.g. someone else is sharing), `not-connected`, or `stopped` (stopped or left before it began).
 */
export type ScreenShareFailure = 'cancelled' | 'unavailable' | 'refused' | 'not-connected' | 'stopped';

export class ScreenShareError extends Error {
  constructor(
    readonly reason: ScreenShareFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ScreenShareError';
  }
}

export interface ScreenShareOptions {
  /** Sends a signaling message; false when it could not be sent (not joined, socket down). */
  send(message: ClientMessage): boolean;
  /** Puts the captured tracks on our screen send slots (nulls take them off). */
  publish(video: MediaStreamTrack | null, audio: MediaStreamTrack | null): void;
  /** Our share started or stopped, for whatever reason. */
  changed(sharing: boolean): void;
  /** The browser's screen capture; defaults to `navigator.mediaDevices.getDisplayMedia`. */
  capture?: (constraints: DisplayMediaStreamOptions) => Promise<MediaStream>;
}

type State = 'idle' | 'capturing' | 'requesting' | 'sharing';

/**
 * This participant's own screen share: capture, ask the server, publish, and stop on every path (our
 * call, the browser's own "Stop sharing", a moderator, the server forgetting us, leaving). The server
 * does not say which request an error answers, so a `bad-request`/`forbidden` that arrives while our
 * request is outstanding is taken as its refusal (the server answers messages in order).
 */
export class ScreenShare {
  readonly #options: ScreenShareOptions;
  #state: State = 'idle';
  #video: MediaStreamTrack | null = null;
  #audio: MediaStreamTrack | null = null;
  #pending: { promise: Promise<void>; resolve: () => void; reject: (error: ScreenShareError) => void } | null = null;
  /** The server has said we share (`screen: true` for us); only then does its `screen: false` mean "stopped". */
  #serverSaysSharing = false;
  #closed = false;
  /** Counts starts, so a picker that resolves after its start was stopped is recognised as stale. */
  #attempts = 0;

  constructor(options: ScreenShareOptions) {
    this.#options = options;
  }

  get sharing(): boolean {
    return this.#state === 'sharing';
  }

  /** A request is on its way (capturing or waiting for the server). */
  get starting(): boolean {
    return this.#state === 'capturing' || this.#state === 'requesting';
  }

  get videoTrack(): MediaStreamTrack | null {
    return this.#video;
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.#audio;
  }

  start(audio: boolean): Promise<void> {
    if (this.#closed) return Promise.reject(new ScreenShareError('stopped', 'Left the meeting.'));
    if (this.#state === 'sharing') return Promise.resolve();
    if (this.#pending) return this.#pending.promise;
    let resolve!: () => void;
    let reject!: (error: ScreenShareError) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#pending = { promise, resolve, reject };
    this.#state = 'capturing';
    void this.#capture(audio, ++this.#attempts);
    return promise;
  }

  /** Our own stop: tells the server (unless it never heard of the share) and releases the capture. */
  stop(): void {
    if (this.#state === 'idle') return;
    if (this.#state !== 'capturing') this.#options.send({ type: 'screen-share', on: false });
    this.#teardown(new ScreenShareError('stopped', 'Screen sharing was stopped before it began.'));
  }

  /** The server confirmed: it marked us sharing, or offered the slots to share on. */
  confirmed(): void {
    if (this.#state !== 'requesting') return;
    this.#state = 'sharing';
    this.#settle(null);
    this.#options.changed(true);
  }

  /** Our `screen` as the server last said (in `participant-updated` or `joined`). */
  serverState(screen: boolean | undefined): void {
    if (screen === true) {
      // A share we stopped while the server could not hear it (or a stale update: stopping twice is no harm).
      if (this.#state === 'idle') this.#options.send({ type: 'screen-share', on: false });
      if (this.#state === 'idle' || this.#state === 'capturing') return;
      this.#serverSaysSharing = true;
      this.confirmed();
    } else if (this.#serverSaysSharing && this.#state === 'sharing') {
      this.serverStopped();
    }
  }

  /**
   * A refusal from the server. True when it answered our outstanding request (the share is then
   * abandoned and `start()` rejects with `message`).
   */
  refused(message: string): boolean {
    if (this.#state !== 'requesting') return false;
    this.#teardown(new ScreenShareError('refused', message));
    return true;
  }

  /** A resume: the server kept the session; it says whether it still has our share. */
  resumed(screen: boolean | undefined): void {
    if (screen === true) {
      this.serverState(true);
    } else if (this.#state === 'requesting') {
      // Lost with the socket, or refused while we could not hear it: ask again (a refusal then reaches us).
      if (!this.#options.send({ type: 'screen-share', on: true, audio: this.#audio !== null })) this.#teardown(notConnected());
    } else if (this.#state === 'sharing') {
      this.serverStopped();
    }
  }

  /** The server stopped the share (a moderator, or it forgot our session): release the capture without telling it. */
  serverStopped(): void {
    if (this.#state === 'idle') return;
    this.#teardown(new ScreenShareError('stopped', 'Screen sharing was stopped.'));
  }

  /** The Room ended: release everything; no events. */
  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#teardown(new ScreenShareError('stopped', reason));
  }

  async #capture(audio: boolean, attempt: number): Promise<void> {
    const current = () => this.#state === 'capturing' && attempt === this.#attempts;
    let stream: MediaStream;
    try {
      const capture = this.#options.capture ?? defaultCapture();
      stream = await capture({ video: true, audio });
    } catch (error) {
      if (current()) this.#teardown(captureFailure(error));
      return;
    }
    const video = stream.getVideoTracks()[0] ?? null;
    const sound = stream.getAudioTracks()[0] ?? null;
    if (!current() || !video) {
      // Stopped (or left) while the picker was open, or a stream without video: nothing may stay captured.
      for (const track of stream.getTracks()) track.stop();
      if (current()) this.#teardown(new ScreenShareError('unavailable', 'The browser shared no screen.'));
      return;
    }
    // Text and lines stay sharp: the encoder keeps resolution and drops frame rate instead.
    video.contentHint = 'detail';
    video.addEventListener('ended', () => {
      if (this.#video === video) this.stop();
    });
    this.#video = video;
    this.#audio = sound;
    // Before asking: the offer that brings our screen slots picks the tracks up as it is applied.
    this.#options.publish(video, sound);
    this.#state = 'requesting';
    if (!this.#options.send({ type: 'screen-share', on: true, audio: sound !== null })) this.#teardown(notConnected());
  }

  #teardown(failure: ScreenShareError): void {
    const wasSharing = this.#state === 'sharing';
    const hadTracks = this.#video !== null || this.#audio !== null;
    this.#video?.stop();
    this.#audio?.stop();
    this.#video = null;
    this.#audio = null;
    this.#state = 'idle';
    this.#serverSaysSharing = false;
    if (hadTracks) this.#options.publish(null, null);
    this.#settle(failure);
    if (wasSharing && !this.#closed) this.#options.changed(false);
  }

  #settle(failure: ScreenShareError | null): void {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    if (failure) pending.reject(failure);
    else pending.resolve();
  }
}

function defaultCapture(): (constraints: DisplayMediaStreamOptions) => Promise<MediaStream> {
  const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (!media?.getDisplayMedia) throw new ScreenShareError('unavailable', 'This browser cannot share screens (a secure https:// origin is required).');
  return (constraints) => media.getDisplayMedia(constraints);
}

function captureFailure(error: unknown): ScreenShareError {
  if (error instanceof ScreenShareError) return error;
  const name = error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException) ? error.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return new ScreenShareError('cancelled', 'Screen sharing was cancelled or not allowed.', { cause: error });
  const detail = error instanceof Error ? error.message : String(error);
  return new ScreenShareError('unavailable', `The screen could not be captured: ${detail}`, { cause: error });
}

function notConnected(): ScreenShareError {
  return new ScreenShareError('not-connected', 'Not connected to the meeting; try again.');
}
