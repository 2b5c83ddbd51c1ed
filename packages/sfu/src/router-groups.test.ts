import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Producer } from './producer.js';
import { Sfu } from './sfu.js';
import { closeAfterTests } from './testing/close-after-tests.js';
import type { WebRtcTransport } from './webrtc-transport.js';
import { settle } from './testing/router-fixtures.js';
import { rtpPacket, vp8Packet } from './testing/rtp-packets.js';

const sfu = await Sfu.create({ port: 0, bindAddress: '127.0.0.1' });
closeAfterTests(sfu);

let nextSeq = 100;
function feedFrames(producer: Producer, keyframe: boolean): void {
  for (let i = 0; i < 3; i++) {
    const seq = nextSeq++;
    producer.receive(producer.kind === 'video' ? vp8Packet(seq, keyframe && i === 0) : rtpPacket(111, seq), performance.now());
  }
}

/** The producers a transport's slots forward now, and those it has asked a switch to (what is sent, not only planned). */
function sources(transport: WebRtcTransport): Producer[] {
  return transport.allReceivers().flatMap((c) => [c.producer, c.wantedProducer]).filter((p): p is Producer => p !== null);
}

test('forwarding groups: a group change stops media across groups within the call, not at the next key frame', async () => {
  const router = sfu.createRouter('groups-leak');
  try {
    const [ana, ben, cem] = ['ana', 'ben', 'cem'].map((id) => router.createTransport(id)) as [WebRtcTransport, WebRtcTransport, WebRtcTransport];
    const anaCamera = ana.produce('video');
    const anaScreen = ana.produce('video', { priority: 'high' });
    const anaScreenAudio = ana.produce('audio', { priority: 'high' });
    const benCamera = ben.produce('video');
    const produced = [anaCamera, anaScreen, anaScreenAudio, benCamera];
    for (const producer of produced) feedFrames(producer, false);
    await settle();
    // The slots take their sources at a key frame (audio at its next packet).
    for (const producer of produced) feedFrames(producer, true);
    const current = (t: WebRtcTransport) => t.allReceivers().flatMap((c) => (c.producer === null ? [] : [c.producer.id]));
    assert.deepEqual(current(cem).sort(), [anaCamera.id, anaScreen.id, anaScreenAudio.id, benCamera.id].sort());
    assert.deepEqual(current(ana), [benCamera.id]);

    router.setGroup('ana', 'red');
    // Right away, before any re-selection: delta frames from either side reach nobody in the other group.
    for (const producer of produced) feedFrames(producer, false);
    const anaProducers = new Set<Producer>([anaCamera, anaScreen, anaScreenAudio]);
    for (const transport of [ben, cem]) assert.deepEqual(sources(transport).filter((p) => anaProducers.has(p)), [], transport.id);
    assert.deepEqual(sources(ana), []);
    for (const producer of produced) {
      for (const layer of producer.layers) {
        for (const consumer of [...layer.consumers, ...layer.pending]) {
          assert.ok(router.groupOf(consumer.transportId) === router.groupOf(producer.transportId), `${producer.id} still goes to ${consumer.transportId}`);
        }
      }
    }
    // What is in the same group goes on without a break.
    assert.deepEqual(current(cem), [benCamera.id]);

    // Together again: the slots switch back as usual.
    router.setGroup('ana', null);
    await settle();
    for (const producer of produced) feedFrames(producer, true);
    assert.deepEqual(current(cem).sort(), [anaCamera.id, anaScreen.id, anaScreenAudio.id, benCamera.id].sort());
  } finally {
    router.close();
  }
});
