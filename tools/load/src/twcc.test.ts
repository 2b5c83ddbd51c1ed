import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtp } from '@treff/sfu';
import { defaultTransportFeedbackRecorder, FEEDBACK_INTERVAL_MS, TransportFeedbackSender, type TransportFeedbackRecorder } from './twcc.js';

test('transport feedback: records every packet, sends at most every 50 ms and only after new packets', () => {
  const recorded: [number, number][] = [];
  const built: [number, number, number][] = [];
  const recorder: TransportFeedbackRecorder = {
    onPacket: (seq, at) => void recorded.push([seq, at]),
    buildFeedback: (sender, media, now) => (built.push([sender, media, now]), [Buffer.from([1]), Buffer.from([2])]),
  };
  const sent: Buffer[] = [];
  const f = new TransportFeedbackSender(recorder, 99, (p) => (sent.push(p), true));
  f.tick(0);
  assert.equal(built.length, 0, 'nothing received, no feedback');
  f.onPacket(7, 1, 1234);
  f.onPacket(8, 2, 5678);
  f.tick(10);
  assert.deepEqual(built, [[99, 5678, 10]]);
  assert.equal(sent.length, 2);
  f.onPacket(9, 20, 5678);
  f.tick(10 + FEEDBACK_INTERVAL_MS - 1);
  assert.equal(built.length, 1, 'interval not over');
  f.tick(10 + FEEDBACK_INTERVAL_MS);
  assert.equal(built.length, 2);
  f.tick(500);
  assert.equal(built.length, 2, 'no new packets');
  assert.deepEqual(recorded, [[7, 1], [8, 2], [9, 20]]);
  assert.deepEqual(f.stats, { recorded: 3, feedbackPackets: 4, failedSends: 0 });
});

test('transport feedback with the default (SFU) recorder: RTPFB 15 packets the SFU parser reads back', () => {
  assert.ok(defaultTransportFeedbackRecorder, 'a default recorder is wired');
  const sent: Buffer[] = [];
  const f = new TransportFeedbackSender(defaultTransportFeedbackRecorder(), 99, (p) => (sent.push(p), true));
  for (let seq = 65530; seq < 65540; seq++) if (seq !== 65533) f.onPacket(seq & 0xffff, 1000 + seq - 65530, 4242);
  f.tick(1100);
  assert.ok(sent.length >= 1);
  const parsed = rtp.parseRtcp(sent[0]!);
  assert.ok(parsed);
  const fb = parsed[0]!;
  assert.equal(fb.kind, 'transport-cc');
  if (fb.kind !== 'transport-cc') return;
  assert.equal(fb.senderSsrc, 99);
  assert.equal(fb.mediaSsrc, 4242);
  assert.equal(fb.baseSequence, 65530);
  assert.equal(fb.packetStatusCount, 10);
});
