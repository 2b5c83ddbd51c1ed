import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtp } from '@treff/sfu';
import { SequenceTracker } from './inbound.js';
import { OpusGenerator, Vp8Generator, readProbe } from './synthetic.js';
import { parseOffer, OfferParseError } from './offer.js';

test('sequence tracker: in order, gap, late fill, duplicate, wrap-around', () => {
  const t = new SequenceTracker();
  assert.equal(t.push(65534), 'first');
  assert.equal(t.push(65535), 'in-order');
  assert.equal(t.push(0), 'in-order'); // wrap (RFC 3550 §A.1)
  assert.equal(t.push(3), 'gap');
  assert.equal(t.missing, 2);
  assert.equal(t.push(1), 'late');
  assert.equal(t.push(1), 'duplicate');
  assert.equal(t.push(3), 'duplicate');
  assert.equal(t.missing, 1);
  assert.equal(t.duplicates, 2);
});

test('VP8 generator: first frame and requested frames are key frames the SFU parser recognises', () => {
  const g = new Vp8Generator(1234, 96, { packetsPerSecond: 90, framesPerSecond: 30, payloadBytes: 1100, keyframeIntervalMs: 1e9 });
  const h = rtp.createRtpHeader();
  const frames: boolean[] = [];
  for (let i = 0; i < 9; i++) {
    const p = g.next(1000 + i);
    assert.ok(rtp.parseRtpHeaderInto(p, h));
    assert.equal(h.ssrc, 1234);
    assert.equal(h.payloadType, 96);
    assert.equal(h.marker, i % 3 === 2, 'marker on the last packet of each 3-packet frame');
    if (i % 3 === 0) frames.push(rtp.isVp8Keyframe(p, h.payloadOffset, h.payloadLength));
    else assert.equal(rtp.isVp8Keyframe(p, h.payloadOffset, h.payloadLength), false);
    assert.equal(readProbe(p, h.payloadOffset, h.payloadLength), 1000 + i);
    if (i === 4) g.requestKeyframe(); // mid-frame: applies from the next frame
  }
  assert.deepEqual(frames, [true, false, true]);
  assert.equal(g.keyframesSent, 2);
});

test('Opus generator: 20 ms timestamps and the audio level extension', () => {
  const g = new OpusGenerator(99, 111, 1, { payloadBytes: 80, level: 30, voiceActivity: true });
  const h = rtp.createRtpHeader();
  const a = g.next(1);
  const b = g.next(2);
  assert.ok(rtp.parseRtpHeaderInto(a, h));
  const ts = h.timestamp;
  assert.equal(rtp.readAudioLevel(a, h, 1), 30);
  assert.ok(rtp.parseRtpHeaderInto(b, h));
  assert.equal(rtp.tsDiff(h.timestamp, ts), 960);
});

test('offer parsing: mids, codecs, audio level id, announced SSRCs; malformed input', () => {
  const sdp = [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=recvonly', 'a=rtpmap:111 opus/48000/2', 'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=sendonly', 'a=rtpmap:96 VP8/90000', 'a=ssrc:42 cname:x', 'a=ssrc:42 msid:a b',
  ].join('\r\n');
  assert.deepEqual(parseOffer(sdp), [
    { mid: '0', kind: 'audio', direction: 'recvonly', payloadType: 111, audioLevelId: 1, ssrcs: [] },
    { mid: '1', kind: 'video', direction: 'sendonly', payloadType: 96, audioLevelId: 0, ssrcs: [42] },
  ]);
  assert.throws(() => parseOffer('v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000'), OfferParseError);
  assert.deepEqual(parseOffer('garbage'), []);
});
