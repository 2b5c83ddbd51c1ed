import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Consumer } from './consumer.js';
import { createCounters } from './counters.js';
import { Producer } from './producer.js';
import { parseRtcp } from './rtp/index.js';
import { RecordingTrack } from './testing/recording-track.js';
import { vp8Packet } from './testing/rtp-packets.js';

const videoPacket = (seq: number): Buffer => vp8Packet(seq, true, { ssrc: 0x5555, bytes: 100 });

function nackedSequenceNumbers(track: RecordingTrack): number[] {
  return track.sent.flatMap((p) => (parseRtcp(p) ?? []).flatMap((r) => (r.kind === 'nack' && r.mediaSsrc === 0x5555 ? r.lost : [])));
}

test('a gap in a publisher’s video is NACKed at once, and again if the repair does not come', () => {
  const counters = createCounters();
  const publisher = new RecordingTrack();
  const producer = new Producer('p', 'video', 'pub', publisher.asTrack(), 7, counters);
  for (const seq of [1, 2, 3, 6, 7]) producer.receive(videoPacket(seq), seq);
  assert.deepEqual(nackedSequenceNumbers(publisher), [4, 5]);
  producer.receive(videoPacket(4), 8); // 4 repaired, 5 still missing
  producer.tick(200);
  assert.deepEqual(nackedSequenceNumbers(publisher), [4, 5, 5]);
  assert.equal(counters.nacksSent, 2);
});

test('audio is never NACKed (Opus conceals loss; no cache, no retransmission)', () => {
  const publisher = new RecordingTrack();
  const producer = new Producer('p', 'audio', 'pub', publisher.asTrack(), 7, createCounters());
  for (const seq of [1, 2, 5]) {
    const packet = videoPacket(seq);
    packet[1] = 111;
    producer.receive(packet, seq);
  }
  producer.tick(500);
  assert.deepEqual(nackedSequenceNumbers(publisher), []);
});

test('a keyframe tells the layer its picture size (RFC 6386 §9.1), which fits layers to tiles', () => {
  const producer = new Producer('p', 'video', 'pub', new RecordingTrack().asTrack(), 7, createCounters());
  const packet = videoPacket(1);
  packet[12] = 0x10; // VP8 descriptor: S=1, partition 0
  packet.set([0x00, 0x00, 0x00, 0x9d, 0x01, 0x2a], 13); // frame tag (key frame), start code
  packet.writeUInt16LE(640, 19);
  packet.writeUInt16LE(360, 21);
  producer.receive(packet, 0);
  assert.deepEqual([producer.layers[0]!.width, producer.layers[0]!.height], [640, 360]);
});

test('a paused producer forwards nothing, whatever arrives; resume forwards again', () => {
  const producer = new Producer('p', 'audio', 'pub', new RecordingTrack().asTrack(), 7, createCounters());
  const subscriber = new RecordingTrack();
  const consumer = new Consumer('c', 'audio', 'sub', '1', 0xabc, subscriber.asTrack(), createCounters());
  consumer.setNegotiated();
  consumer.setSource(producer.layers[0]!);
  const audioPacket = (seq: number): Buffer => {
    const packet = videoPacket(seq);
    packet[1] = 111;
    return packet;
  };
  producer.receive(audioPacket(1), 1);
  assert.equal(subscriber.sent.length, 1);
  assert.equal(producer.forwarding, true);

  const events: boolean[] = [];
  producer.on('paused', (paused) => events.push(paused));
  producer.pause();
  for (let seq = 2; seq < 10; seq++) producer.receive(audioPacket(seq), seq);
  assert.equal(subscriber.sent.length, 1, 'a paused producer forwarded packets');
  assert.equal(producer.forwarding, false);

  producer.resume();
  producer.receive(audioPacket(10), 10);
  assert.equal(subscriber.sent.length, 2);
  assert.deepEqual(events, [true, false]);
});

test('a simulcast producer asks its publisher to pause the layers nobody needs, and to resume them at once', () => {
  const producer = new Producer('p', 'video', 'pub', new RecordingTrack().asTrack(), 7, createCounters(), { simulcast: ['l', 'm', 'h'] });
  const asked: string[][] = [];
  producer.on('send-layers', (rids) => asked.push(rids));
  assert.deepEqual(producer.sendLayers, ['l', 'm', 'h']);
  producer.setLayerDemand(0, 0);
  producer.setLayerDemand(0, 4999);
  assert.deepEqual(asked, [], 'demand must stay low for 5 s first');
  producer.setLayerDemand(0, 5000);
  assert.deepEqual(asked, [['l']]);
  producer.setLayerDemand(2, 5100);
  assert.deepEqual(asked, [['l'], ['l', 'm', 'h']]);
  assert.deepEqual(producer.sendLayers, ['l', 'm', 'h']);
});

test('a producer without simulcast never asks to pause anything', () => {
  const producer = new Producer('p', 'video', 'pub', new RecordingTrack().asTrack(), 7, createCounters());
  producer.on('send-layers', () => assert.fail('no layers to pause'));
  producer.setLayerDemand(-1, 0);
  producer.setLayerDemand(-1, 60_000);
});

test('a tap gets each parsed packet’s payload without header, extension and padding, as a copy; malformed packets and no tap cost nothing', () => {
  const producer = new Producer('p', 'video', 'pub', new RecordingTrack().asTrack(), 7, createCounters());
  const tapped: import('./packet-tap.js').TappedPacket[] = [];
  producer.receive(videoPacket(1), 0); // no tap set: nothing to see
  producer.tap = (p) => tapped.push(p);
  // Header with marker, one 4-byte extension block (0xBEDE, one word), payload of 5 bytes, 3 bytes of padding.
  const packet = Buffer.alloc(12 + 8 + 5 + 3);
  packet[0] = 0xb0; // V=2, P=1, X=1
  packet[1] = 0x80 | 96; // marker, PT 96
  packet.writeUInt16BE(2, 2);
  packet.writeUInt32BE(0x5555, 8);
  packet.writeUInt16BE(0xbede, 12);
  packet.writeUInt16BE(1, 14);
  packet.set([0x10, 1, 2, 3, 4], 20);
  packet[27] = 3;
  producer.receive(packet, 1);
  const broken = Buffer.from(packet.subarray(0, 10));
  producer.receive(broken, 2);
  assert.equal(tapped.length, 1);
  assert.deepEqual(tapped[0], { transportId: 'pub', kind: 'video', ssrc: 0x5555, payloadType: 96, marker: true, payload: new Uint8Array([0x10, 1, 2, 3, 4]) });
  packet[21] = 0xff;
  assert.equal(tapped[0]!.payload[1], 1, 'the tap keeps its own copy');
  producer.tap = null;
  producer.receive(videoPacket(3), 3);
  assert.equal(tapped.length, 1);
});

test('fuzz: whatever an authenticated publisher sends (flipped bits, cut or padded packets) never throws, and forwarding goes on', () => {
  // SRTP only proves who sent a packet, not that it is well formed: a hostile participant's bytes reach here.
  let seed = 7;
  const random = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (const kind of ['audio', 'video'] as const) {
    // One layer: every packet of the publisher's SSRC then reaches parsing, NACK, keyframe and rewriting paths.
    const producer = new Producer('p', kind, 'pub', new RecordingTrack().asTrack(), 7, createCounters());
    const subscriber = new RecordingTrack();
    const consumer = new Consumer('c', kind, 'sub', '1', 0xabc, subscriber.asTrack(), createCounters());
    consumer.setNegotiated();
    consumer.setSource(producer.layers[0]!);
    for (let i = 0; i < 20_000; i++) {
      const valid = vp8Packet(i & 0xffff, i % 50 === 0, { ssrc: 0x5555, bytes: 20 + Math.floor(random() * 1200) });
      if (kind === 'audio') valid[1] = 111;
      let packet = valid;
      const mutation = random();
      if (mutation < 0.3) packet = valid.subarray(0, Math.floor(random() * valid.length));
      else if (mutation < 0.6) {
        for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) {
          const at = Math.floor(random() * packet.length);
          packet[at] = packet[at]! ^ (1 << Math.floor(random() * 8));
        }
      }
      else if (mutation < 0.7) packet = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
      // Keep the header's version and payload type often enough that mutated packets reach the deep paths.
      if (packet.length > 1 && random() < 0.5) {
        packet[0] = (packet[0]! & 0x3f) | 0x80;
        packet[1] = (packet[1]! & 0x80) | (kind === 'audio' ? 111 : 96);
      }
      producer.receive(packet, i);
      if (i % 100 === 0) producer.tick(i);
    }
    assert.ok(subscriber.sent.length > 1000, `${kind}: only ${subscriber.sent.length} packets forwarded`);
    const before = subscriber.sent.length;
    for (let i = 0; i < 10; i++) {
      const packet = vp8Packet(40_000 + i, true, { ssrc: 0x5555, bytes: 100 });
      if (kind === 'audio') packet[1] = 111;
      producer.receive(packet, 40_000 + i);
    }
    assert.ok(subscriber.sent.length > before, `${kind}: forwarding stopped after the fuzz`);
  }
});
