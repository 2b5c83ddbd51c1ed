import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Producer } from './producer.js';
import { releaseNativeResources, Sfu } from './sfu.js';
import type { WebRtcTransport } from './webrtc-transport.js';

const sfu = await Sfu.create({ port: 0, bindAddress: '127.0.0.1' });
after(() => {
  sfu.close();
  releaseNativeResources();
});

/** A minimal RTP packet (VP8 or Opus payload type), enough to make a producer live and its layer active. */
function rtpPacket(payloadType: number, seq: number): Buffer {
  const packet = Buffer.alloc(40);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 3000, 4);
  packet.writeUInt32BE(0x4321, 8);
  return packet;
}

function feed(producer: Producer, packets = 5): void {
  for (let i = 0; i < packets; i++) producer.receive(rtpPacket(producer.kind === 'video' ? 96 : 111, i + 1), performance.now());
}

/** What a transport's receiving slots of one kind and priority are given now. */
const carried = (transport: WebRtcTransport, kind: 'audio' | 'video', priority: 'normal' | 'high') =>
  transport.receivers(kind, priority).flatMap((c) => (c.wantedProducer === null ? [] : [c.wantedProducer.id]));

async function settle(): Promise<void> {
  // Allocation runs on the next turn of the event loop after a change.
  for (let i = 0; i < 3; i++) await nextTurn();
}

test('high-priority producers go to every other transport on slots of their own, apart from the cameras and microphones', async () => {
  const router = sfu.createRouter('screens', { audioTopN: 1, lastN: 5 });
  try {
    const sharer = router.createTransport('sharer');
    const viewer = router.createTransport('viewer');
    const other = router.createTransport('other');
    const camera = sharer.produce('video');
    const screen = sharer.produce('video', { priority: 'high' });
    const screenAudio = sharer.produce('audio', { priority: 'high' });
    assert.equal(screen.priority, 'high');
    assert.equal(camera.priority, 'normal');
    feed(camera);
    feed(screen);
    feed(screenAudio);
    await settle();

    for (const transport of [viewer, other]) {
      assert.deepEqual(carried(transport, 'video', 'high'), [screen.id]);
      assert.deepEqual(carried(transport, 'video', 'normal'), [camera.id]);
      // Screen audio goes outside the top-N selection of microphones (nobody speaks here).
      assert.deepEqual(carried(transport, 'audio', 'high'), [screenAudio.id]);
      assert.deepEqual(carried(transport, 'audio', 'normal'), []);
      assert.equal(transport.receivers('video', 'high')[0]!.priority, 'high');
    }
    // The sharer gets no slot for its own share.
    assert.deepEqual(carried(sharer, 'video', 'high'), []);
    assert.deepEqual(carried(sharer, 'audio', 'high'), []);

    // Closing the share empties the slots (they stay, for the next share); the camera goes on.
    const slots = viewer.receivers('video', 'high');
    screen.close();
    screenAudio.close();
    await settle();
    assert.deepEqual(carried(viewer, 'video', 'high'), []);
    assert.deepEqual(viewer.receivers('video', 'high'), slots);
    assert.deepEqual(carried(viewer, 'video', 'normal'), [camera.id]);
    assert.equal(sharer.producers.includes(screen), false);
  } finally {
    router.close();
  }
});

test('a paused high-priority video is not forwarded, and a share does not take a camera’s slot', async () => {
  const router = sfu.createRouter('paused-screen');
  try {
    const sharer = router.createTransport('sharer');
    const viewer = router.createTransport('viewer');
    const screen = sharer.produce('video', { priority: 'high' });
    feed(screen);
    await settle();
    assert.deepEqual(carried(viewer, 'video', 'high'), [screen.id]);
    assert.equal(viewer.receivers('video').length, 0);
    screen.pause();
    await settle();
    assert.deepEqual(carried(viewer, 'video', 'high'), []);
  } finally {
    router.close();
  }
});
