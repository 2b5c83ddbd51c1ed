import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectE2eeCapability, WorkerFrameEncryption } from './media-encryption.js';
import { newSenderKey } from './sender-key.js';

function Constructor() {}

test('capability: the standard transform first, Chromium’s encoded streams only without it, nothing without workers', () => {
  const sender = { prototype: { createEncodedStreams: Constructor } };
  assert.equal(detectE2eeCapability({ Worker: Constructor, RTCRtpScriptTransform: Constructor, RTCRtpSender: sender }), 'script-transform');
  assert.equal(detectE2eeCapability({ Worker: Constructor, RTCRtpSender: sender }), 'encoded-streams');
  assert.equal(detectE2eeCapability({ Worker: Constructor, RTCRtpSender: { prototype: {} } }), null);
  assert.equal(detectE2eeCapability({ RTCRtpScriptTransform: Constructor }), null);
  assert.equal(detectE2eeCapability({}), null);
});

/** Stands in for the browser's Worker: records what is posted, lets the test answer. */
class FakeWorker {
  readonly posted: { message: Record<string, unknown>; transfer: unknown[] }[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  terminated = false;
  postMessage(message: Record<string, unknown>, transfer: unknown[] = []): void {
    this.posted.push({ message, transfer });
  }
  terminate(): void {
    this.terminated = true;
  }
}

const endpoint = () => {
  const streams = { readable: { side: 'r' }, writable: { side: 'w' } };
  return { calls: 0, streams, createEncodedStreams() { this.calls++; return streams; } };
};

test('encoded streams fallback: the PeerConnection asks for them, each sender and receiver hands its streams over once', () => {
  const worker = new FakeWorker();
  const frames = new WorkerFrameEncryption(worker as unknown as Worker, 'encoded-streams');
  assert.deepEqual(frames.rtcConfiguration, { encodedInsertableStreams: true });
  const sender = endpoint();
  const receiver = Object.assign(endpoint(), { track: { kind: 'video' } });
  const transceiver = { sender, receiver } as unknown as RTCRtpTransceiver;
  frames.attach(transceiver);
  frames.attach(transceiver);
  assert.equal(sender.calls, 1);
  assert.equal(receiver.calls, 1);
  assert.deepEqual(worker.posted.map((p) => [p.message.type, p.message.side, p.message.kind, p.transfer.length]), [
    ['streams', 'receive', 'video', 2],
    ['streams', 'send', 'video', 2],
  ]);
});

test('keys, mode and stats go to the worker; stats resolve with its answer; an error is reported; close ends it', async () => {
  const worker = new FakeWorker();
  const errors: string[] = [];
  const frames = new WorkerFrameEncryption(worker as unknown as Worker, 'script-transform', { onError: (m) => errors.push(m) });
  assert.deepEqual(frames.rtcConfiguration, {});
  const key = newSenderKey();
  frames.setOwnKey(7, key);
  frames.setKey(9, key);
  frames.forget(9);
  frames.setMode('encrypt');
  const stats = frames.stats();
  assert.deepEqual(worker.posted.map((p) => p.message.type), ['own-key', 'key', 'forget', 'mode', 'stats']);
  const answer = { encryptedFrames: 3, decryptedFrames: 2, failedFrames: 0, heldFrames: 1, passedThrough: 0 };
  worker.onmessage?.({ data: { type: 'stats', id: worker.posted.at(-1)!.message.id, stats: answer } });
  assert.deepEqual(await stats, answer);
  worker.onerror?.({ message: 'script failed to load' });
  assert.deepEqual(errors, ['script failed to load']);
  frames.close();
  assert.equal(worker.terminated, true);
  assert.deepEqual(await frames.stats(), answer, 'the last counters after close');
});
