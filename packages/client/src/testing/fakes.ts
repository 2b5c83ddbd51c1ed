// Stand-ins for browser APIs so the SDK's logic can be tested in Node, which has no WebRTC.
import type { MediaKind } from '@treff/protocol';
import type { SocketFactory, SocketHandlers, Timers } from '../signal-client.js';

export class FakeSocket {
  readonly sent: unknown[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.closed = true;
  }
  /** Delivers a server message. */
  deliver(message: object): void {
    this.handlers.message(JSON.stringify(message));
  }
  lastSent(): Record<string, unknown> | undefined {
    return this.sent.at(-1) as Record<string, unknown> | undefined;
  }
  sentOfType(type: string): Record<string, unknown>[] {
    return (this.sent as Record<string, unknown>[]).filter((m) => m.type === type);
  }
}

export function fakeSockets(): { sockets: FakeSocket[]; factory: SocketFactory } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    factory: (url, handlers) => {
      const socket = new FakeSocket(url, handlers);
      sockets.push(socket);
      return socket;
    },
  };
}

export class FakeTimers implements Timers {
  readonly pending: { id: number; callback: () => void; ms: number }[] = [];
  #next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.pending.push({ id, callback, ms });
    return id;
  }
  clearTimeout(handle: unknown): void {
    const i = this.pending.findIndex((t) => t.id === handle);
    if (i >= 0) this.pending.splice(i, 1);
  }
  /** Runs the earliest-scheduled timer and returns its delay. */
  runNext(): number {
    const timer = this.pending.shift();
    if (!timer) throw new Error('no timer pending');
    timer.callback();
    return timer.ms;
  }
}

export class FakeTrack {
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  contentHint = '';
  readonly #listeners: (() => void)[] = [];
  constructor(
    readonly kind: MediaKind,
    readonly id: string,
    readonly deviceId = 'default',
  ) {}
  stop(): void {
    this.readyState = 'ended';
  }
  getSettings(): { deviceId: string } {
    return { deviceId: this.deviceId };
  }
  addEventListener(_type: 'ended', listener: () => void): void {
    this.#listeners.push(listener);
  }
  /** Simulates the device going away. */
  end(): void {
    this.readyState = 'ended';
    for (const listener of this.#listeners) listener();
  }
}

export const asTrack = (track: FakeTrack): MediaStreamTrack => track as unknown as MediaStreamTrack;

/**
 * Replaces `navigator.mediaDevices.getUserMedia` with one whose requests the test answers by hand (so it
 * can let one resolve at an awkward moment). Call `restore()` when done.
 */
export function fakeGetUserMedia(): { requests: MediaStreamConstraints[]; resolve: (track: FakeTrack) => void; restore: () => void } {
  const requests: MediaStreamConstraints[] = [];
  const waiting: ((track: FakeTrack) => void)[] = [];
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  const getUserMedia = (constraints: MediaStreamConstraints) => {
    requests.push(constraints);
    return new Promise((resolve) => {
      waiting.push((track) => resolve({ getAudioTracks: () => (track.kind === 'audio' ? [track] : []), getVideoTracks: () => (track.kind === 'video' ? [track] : []) }));
    });
  };
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices: { getUserMedia } }, configurable: true, writable: true });
  return {
    requests,
    resolve: (track) => {
      const next = waiting.shift();
      if (!next) throw new Error('no getUserMedia request is waiting');
      next(track);
    },
    restore: () => {
      if (previous) Object.defineProperty(globalThis, 'navigator', previous);
      else Reflect.deleteProperty(globalThis, 'navigator');
    },
  };
}

/**
 * Adds `navigator.mediaDevices.getDisplayMedia` (beside a faked getUserMedia, if any) whose pickers the
 * test answers by hand: with tracks (what was picked) or an error (e.g. the person cancelled). Call
 * `restore()` when done.
 */
export function fakeGetDisplayMedia(): {
  requests: DisplayMediaStreamOptions[];
  resolve: (...tracks: FakeTrack[]) => void;
  reject: (error: Error) => void;
  restore: () => void;
} {
  const requests: DisplayMediaStreamOptions[] = [];
  const waiting: { resolve: (tracks: FakeTrack[]) => void; reject: (error: Error) => void }[] = [];
  const previous = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  const existing = (previous?.value as { mediaDevices?: object } | undefined)?.mediaDevices ?? {};
  const getDisplayMedia = (constraints: DisplayMediaStreamOptions) => {
    requests.push(constraints);
    return new Promise((resolve, reject) => {
      waiting.push({
        resolve: (tracks) =>
          resolve({
            getTracks: () => tracks,
            getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
            getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
          }),
        reject,
      });
    });
  };
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices: { ...existing, getDisplayMedia } }, configurable: true, writable: true });
  const next = () => {
    const picker = waiting.shift();
    if (!picker) throw new Error('no getDisplayMedia request is waiting');
    return picker;
  };
  return {
    requests,
    resolve: (...tracks) => next().resolve(tracks),
    reject: (error) => next().reject(error),
    restore: () => {
      if (previous) Object.defineProperty(globalThis, 'navigator', previous);
      else Reflect.deleteProperty(globalThis, 'navigator');
    },
  };
}

class FakeTransceiver {
  direction: RTCRtpTransceiverDirection = 'recvonly';
  currentDirection: RTCRtpTransceiverDirection | null = null;
  readonly sender: {
    track: MediaStreamTrack | null;
    /** Encodings as a browser derives them from an offer's rids (set by FakePeerConnection). */
    encodings: RTCRtpEncodingParameters[];
    replaceTrack(track: MediaStreamTrack | null): Promise<void>;
    getParameters(): { encodings: RTCRtpEncodingParameters[] };
    setParameters(parameters: { encodings: RTCRtpEncodingParameters[] }): Promise<void>;
  };
  readonly receiver: { track: MediaStreamTrack };
  constructor(
    readonly mid: string,
    kind: MediaKind,
    log: string[],
  ) {
    const sender = {
      track: null as MediaStreamTrack | null,
      encodings: [] as RTCRtpEncodingParameters[],
      replaceTrack: async (track: MediaStreamTrack | null) => {
        sender.track = track;
        log.push(`replaceTrack ${mid} ${track ? track.id : 'null'}`);
      },
      // Copies, like browsers: changes count only through setParameters.
      getParameters: () => ({ encodings: sender.encodings.map((e) => ({ ...e })) }),
      setParameters: async (parameters: { encodings: RTCRtpEncodingParameters[] }) => {
        sender.encodings = parameters.encodings.map((e) => ({ ...e }));
        log.push(`setParameters ${mid} ${sender.encodings.map((e) => `${e.rid}/${e.scaleResolutionDownBy}/${e.maxBitrate}${e.active === false ? '/paused' : ''}`).join(' ')}`);
      },
    };
    this.sender = sender;
    this.receiver = { track: asTrack(new FakeTrack(kind, `remote-${mid}`)) };
  }
}

/**
 * Builds an SDP-like text that FakePeerConnection understands: one `m=` line per (mid, kind), with
 * `a=rid:<rid> recv` lines when rids are given (a simulcast send slot).
 */
export function fakeSdp(label: string, mlines: [mid: string, kind: MediaKind, rids?: string[]][]): string {
  return [
    `v=0`,
    `s=${label}`,
    ...mlines.flatMap(([mid, kind, rids = []]) => [`m=${kind} 9 UDP/TLS/RTP/SAVPF 96`, `a=mid:${mid}`, ...rids.map((rid) => `a=rid:${rid} recv`)]),
  ].join('\r\n');
}

export class FakePeerConnection {
  readonly log: string[] = [];
  readonly transceivers: FakeTransceiver[] = [];
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: { type: 'answer'; sdp: string } | null = null;
  onicecandidate: ((event: { candidate: { candidate: string; sdpMid: string | null } | null }) => void) | null = null;
  onconnectionstatechange: (() => void) | null = null;
  closed = false;
  /** When set, setRemoteDescription waits for it; lets tests hold an offer mid-flight. */
  gate: Promise<void> | null = null;
  #remoteLabel = '';

  async setRemoteDescription(description: { type: string; sdp?: string }): Promise<void> {
    const sdp = description.sdp ?? '';
    this.#remoteLabel = /^s=(.*)$/m.exec(sdp)?.[1] ?? '';
    this.log.push(`srd-start ${this.#remoteLabel}`);
    if (this.gate) await this.gate;
    if (sdp.includes('garbage')) throw new Error('SDP parse error');
    let kind: MediaKind | null = null;
    let current: FakeTransceiver | undefined;
    for (const line of sdp.split('\r\n')) {
      const m = /^m=(audio|video) /.exec(line);
      if (m) kind = m[1] as MediaKind;
      const mid = /^a=mid:(.+)$/.exec(line)?.[1];
      if (mid && kind) {
        current = this.transceivers.find((t) => t.mid === mid);
        if (!current) this.transceivers.push((current = new FakeTransceiver(mid, kind, this.log)));
      }
      // Browsers derive one encoding per offered rid, in offer order, with their own defaults.
      const rid = /^a=rid:(\S+) recv$/.exec(line)?.[1];
      if (rid && current && !current.sender.encodings.some((e) => e.rid === rid)) current.sender.encodings.push({ rid, active: true });
    }
    this.log.push(`srd-done ${this.#remoteLabel}`);
  }

  async addIceCandidate(candidate: { candidate: string; sdpMid: string }): Promise<void> {
    this.log.push(`candidate ${candidate.sdpMid} ${candidate.candidate}`);
  }

  async createAnswer(): Promise<{ type: 'answer'; sdp: string }> {
    const directions = this.transceivers.map((t) => `${t.mid}:${t.direction}`).join(',');
    return { type: 'answer', sdp: `answer to ${this.#remoteLabel} [${directions}]` };
  }

  async setLocalDescription(description: { type: 'answer'; sdp: string }): Promise<void> {
    this.localDescription = description;
  }

  getTransceivers(): FakeTransceiver[] {
    return this.transceivers;
  }

  /** What getStats() reports besides one inbound-rtp entry; tests add outbound-rtp entries here. */
  readonly stats = new Map<string, Record<string, unknown>>([['x', { type: 'inbound-rtp' }]]);
  getStatsCalls = 0;

  async getStats(): Promise<Map<string, unknown>> {
    this.getStatsCalls++;
    return new Map(this.stats);
  }

  close(): void {
    this.closed = true;
  }

  setState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }

  emitCandidate(candidate: string, sdpMid: string | null): void {
    this.onicecandidate?.({ candidate: { candidate, sdpMid } });
  }
}

export const asPeerConnection = (pc: FakePeerConnection): RTCPeerConnection => pc as unknown as RTCPeerConnection;

/** Lets queued promise continuations run. */
export const flush = async (rounds = 10): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};
