import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Track } from 'node-datachannel';
import { rtp } from '@treff/sfu';
import { OutboundStream } from './outbound.js';
import { TransportSequence } from './rtp-extensions.js';
import { layerSourceOptions, layerSpec } from './simulcast.js';
import { Vp8Generator } from './synthetic.js';

function fakeTrack(sent: Buffer[]): Track {
  return { isOpen: () => true, sendMessageBinary: (b: Buffer) => (sent.push(Buffer.from(b)), true) } as unknown as Track;
}

function transportSeq(p: Buffer, id: number): number {
  const h = rtp.createRtpHeader();
  assert.ok(rtp.parseRtpHeaderInto(p, h));
  const at = rtp.findHeaderExtension(p, h, id);
  return at < 0 ? -1 : p.readUInt16BE(at);
}

function layer(i: number, ssrc: number, seq: TransportSequence | null): OutboundStream {
  const g = new Vp8Generator(ssrc, 96, layerSourceOptions(layerSpec(i), 30, 1e9), { rid: { id: 2, value: 'lmh'[i]! }, transportCcId: 3, layer: i });
  return new OutboundStream('video', g, { rid: 'lmh'[i]!, transportSequence: seq });
}

test('outbound: layers of one PeerConnection share one transport-wide sequence; whole frames at once; retransmissions get new numbers', () => {
  const sent: Buffer[] = [];
  const track = fakeTrack(sent);
  const counter = new TransportSequence(100);
  const low = layer(0, 10, counter);
  const high = layer(2, 12, counter);
  low.bind('1', track);
  high.bind('1', track);
  low.sendDue(0);
  high.sendDue(0);
  low.stop();
  high.stop();
  // One frame each: 1 packet for 320×180 at 150 kbps, 6 for 1280×720 at 1.5 Mbps.
  assert.equal(sent.length, 7);
  assert.deepEqual(sent.map((p) => transportSeq(p, 3)), [100, 101, 102, 103, 104, 105, 106]);
  assert.deepEqual(sent.map((p) => rtp.readSsrc(p)), [10, 12, 12, 12, 12, 12, 12]);
  const lowSeq = rtp.readSequenceNumber(sent[0]!);
  high.bind('1', track);
  low.bind('1', track);
  assert.equal(low.onFeedback({ kind: 'nack', senderSsrc: 1, mediaSsrc: 10, lost: [lowSeq] } as rtp.RtcpPacket), true);
  low.stop();
  high.stop();
  assert.equal(sent.length, 8);
  assert.equal(rtp.readSequenceNumber(sent[7]!), lowSeq);
  assert.equal(transportSeq(sent[7]!, 3), 107);
});

test('outbound: a PLI or FIR for one layer SSRC asks only that layer for a key frame', () => {
  const counter = new TransportSequence();
  const low = layer(0, 10, counter);
  const high = layer(2, 12, counter);
  const pli = { kind: 'pli', senderSsrc: 1, mediaSsrc: 12 } as rtp.RtcpPacket;
  assert.equal(low.onFeedback(pli), false);
  assert.equal(high.onFeedback(pli), true);
  const fir = { kind: 'fir', senderSsrc: 1, mediaSsrc: 0, entries: [{ ssrc: 10, seqNr: 1 }] } as rtp.RtcpPacket;
  assert.equal(low.onFeedback(fir), true);
  assert.equal(high.onFeedback(fir), false);
  assert.equal(low.snapshot().firsReceived, 1);
  assert.equal(high.snapshot().plisReceived, 1);
  assert.equal(high.snapshot().rid, 'h');
});

test('outbound: no transport-cc negotiated, nothing stamped', () => {
  const sent: Buffer[] = [];
  const g = new Vp8Generator(5, 96, layerSourceOptions(layerSpec(0), 30, 1e9));
  const s = new OutboundStream('video', g, { transportSequence: new TransportSequence() });
  s.bind('1', fakeTrack(sent));
  s.sendDue(0);
  s.stop();
  assert.equal(sent.length, 1);
  assert.equal(transportSeq(sent[0]!, 3), -1);
  assert.equal(sent[0]![0]! & 0x10, 0, 'no extension bit');
});

test('outbound: a paused encoding sends nothing; resumed, it starts again with a key frame', () => {
  const sent: Buffer[] = [];
  const track = fakeTrack(sent);
  const high = layer(2, 12, null);
  high.bind('1', track);
  high.sendDue(0);
  high.sendDue(100);
  const first = sent.length;
  const header = rtp.createRtpHeader();
  const last = sent[first - 1]!;
  assert.ok(rtp.parseRtpHeaderInto(last, header));
  high.setPaused(true);
  high.sendDue(500);
  high.sendDue(1000);
  assert.equal(sent.length, first, 'nothing while paused');
  high.setPaused(false);
  high.sendDue(1500);
  high.stop();
  assert.ok(sent.length > first);
  const resumed = sent[first]!;
  assert.ok(rtp.parseRtpHeaderInto(resumed, header));
  assert.ok(rtp.isVp8Keyframe(resumed, header.payloadOffset, header.payloadLength), 'the first packet after resuming starts a key frame');
});
