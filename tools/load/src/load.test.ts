import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtp } from '@treff/sfu';
import { SequenceTracker } from './inbound.js';
import { OpusGenerator, Vp8Generator, readProbe } from './synthetic.js';
import { originTag, readProbeInto, writeProbe, type ProbeInfo } from './probe.js';
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

test('Opus generator: 20 ms timestamps, the audio level and transport-wide sequence extensions', () => {
  const g = new OpusGenerator(99, 111, 1, { payloadBytes: 80, level: 30, voiceActivity: true }, { transportCcId: 3 });
  const h = rtp.createRtpHeader();
  const a = g.next(1);
  const b = g.next(2);
  assert.ok(rtp.parseRtpHeaderInto(a, h));
  const ts = h.timestamp;
  assert.equal(rtp.readAudioLevel(a, h, 1), 30);
  assert.equal(rtp.findHeaderExtension(a, h, 3), g.transportSequenceOffset);
  assert.equal(rtp.extensionLengthAt(a, h, g.transportSequenceOffset), 2);
  assert.ok(rtp.parseRtpHeaderInto(b, h));
  assert.equal(rtp.tsDiff(h.timestamp, ts), 960);
});

test('offer parsing: mids, codecs, extension ids, simulcast rids, transport-cc, announced SSRCs; malformed input', () => {
  const sdp = [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=recvonly', 'a=rtpmap:111 opus/48000/2', 'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
    'a=extmap:7 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01', 'a=rtcp-fb:111 transport-cc',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=recvonly', 'a=rtpmap:96 VP8/90000', 'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
    'a=rid:h recv', 'a=rid:l recv', 'a=rid:m recv', 'a=simulcast:recv l;m,x;~h',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:2', 'a=sendonly', 'a=rtpmap:96 VP8/90000', 'a=ssrc:42 cname:x', 'a=ssrc:42 msid:a b',
  ].join('\r\n');
  const base = { audioLevelId: 0, ridId: 0, transportCcId: 0, transportCcFeedback: false, simulcastRids: [], ssrcs: [] };
  assert.deepEqual(parseOffer(sdp), [
    { ...base, mid: '0', kind: 'audio', direction: 'recvonly', payloadType: 111, audioLevelId: 1, transportCcId: 7, transportCcFeedback: true },
    { ...base, mid: '1', kind: 'video', direction: 'recvonly', payloadType: 96, ridId: 4, simulcastRids: ['l', 'm', 'h'] },
    { ...base, mid: '2', kind: 'video', direction: 'sendonly', payloadType: 96, ssrcs: [42] },
  ]);
  assert.throws(() => parseOffer('v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000'), OfferParseError);
  assert.deepEqual(parseOffer('garbage'), []);
  // Extension ids that are not positive integers count as absent.
  const odd = parseOffer('v=0\r\nm=audio 9 RTP/AVP 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\na=extmap:0 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n');
  assert.equal(odd[0]!.audioLevelId, 0);
});

test('probe: round trip of send time, origin and layer; absent or foreign payloads', () => {
  const buf = Buffer.alloc(60);
  writeProbe(buf, 60, 1234.5, originTag('p1'), 2);
  const info: ProbeInfo = { sendTimeMs: 0, origin: 0, layer: 0 };
  assert.ok(readProbeInto(buf, 10, 50, info));
  assert.deepEqual(info, { sendTimeMs: 1234.5, origin: originTag('p1'), layer: 2 });
  writeProbe(buf, 60, 1, 5);
  assert.ok(readProbeInto(buf, 10, 50, info));
  assert.equal(info.layer, -1, 'no simulcast');
  assert.equal(readProbe(buf, 10, 50), 1);
  assert.equal(readProbe(Buffer.alloc(60), 10, 50), -1);
  assert.equal(readProbe(buf, 50, 10), -1, 'too short');
  assert.notEqual(originTag('p1'), originTag('p2'));
  assert.notEqual(originTag(''), 0);
});
