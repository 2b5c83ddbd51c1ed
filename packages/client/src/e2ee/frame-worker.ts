// The frame worker: every encoded audio and video frame of the page's PeerConnection passes through here,
// so that one counter per sender key covers all tracks and no nonce is ever used twice.
import { FrameCrypto } from './frame-crypto.js';
import type { FrameKind, FrameSide, FromWorker, ToWorker } from './frame-messages.js';
import { KeyRing } from './key-ring.js';

/** `RTCEncodedVideoFrame` / `RTCEncodedAudioFrame`: only their payload matters here. */
interface EncodedFrame {
  data: ArrayBuffer;
}

/** The standard's `RTCRtpScriptTransformer` (worker side), as far as we use it. */
interface ScriptTransformer {
  readonly readable: ReadableStream<EncodedFrame>;
  readonly writable: WritableStream<EncodedFrame>;
  readonly options?: { side?: FrameSide; kind?: FrameKind; mid?: string };
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  onrtctransform?: ((event: { transformer: ScriptTransformer }) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
const frames = new FrameCrypto({ ring: new KeyRing(), onKeyEvent: (event) => scope.postMessage({ type: 'key-event', event }) });

/**
 * Messages are applied in order (a key before the frames that need it, a mode change after the keys it
 * relies on), each waiting for the one before.
 */
let applied: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const message = event.data;
  applied = applied.then(() => apply(message)).catch(() => undefined);
};

async function apply(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'own-key':
      return frames.setOwnKey(message.keyTag, message.key);
    case 'key':
      return frames.setKey(message.keyTag, message.key);
    case 'forget':
      return frames.forget(message.keyTag);
    case 'senders':
      return frames.setSenders(message.keyTags);
    case 'tracks':
      return frames.setTrackSenders(message.tracks);
    case 'mode':
      return frames.setMode(message.mode);
    case 'stats':
      return scope.postMessage({ type: 'stats', id: message.id, stats: frames.stats() });
    case 'streams':
      // Not awaited: the pipe lasts as long as its sender or receiver, and later messages must not wait for it.
      void pipe(message.side, message.kind, message.mid, message.readable as ReadableStream<EncodedFrame>, message.writable as WritableStream<EncodedFrame>);
      return;
  }
}

// The standard path (RTCRtpScriptTransform): the browser creates a transformer per sender or receiver.
scope.onrtctransform = (event) => {
  const { readable, writable, options } = event.transformer;
  void pipe(options?.side ?? 'receive', options?.kind ?? 'video', options?.mid, readable, writable);
};

function pipe(side: FrameSide, kind: FrameKind, mid: string | undefined, readable: ReadableStream<EncodedFrame>, writable: WritableStream<EncodedFrame>): Promise<void> {
  const transform = new TransformStream<EncodedFrame, EncodedFrame>({
    transform: (frame, controller) => (side === 'send' ? send(kind, frame, controller) : receive(kind, mid, frame, controller)),
  });
  // A stream ends when its sender or receiver goes away; nothing to clean up beyond that.
  return readable.pipeThrough(transform).pipeTo(writable).catch(() => undefined);
}

async function send(kind: FrameKind, frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>): Promise<void> {
  const out = await frames.outgoing(kind, new Uint8Array(frame.data));
  if (out === null) return;
  frame.data = toBuffer(out);
  controller.enqueue(frame);
}

async function receive(kind: FrameKind, mid: string | undefined, frame: EncodedFrame, controller: TransformStreamDefaultController<EncodedFrame>): Promise<void> {
  await frames.incoming(kind, new Uint8Array(frame.data), (out) => {
    frame.data = toBuffer(out);
    try {
      controller.enqueue(frame);
    } catch {
      // The stream closed while the frame waited for its key.
    }
  }, mid);
}

function toBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}
