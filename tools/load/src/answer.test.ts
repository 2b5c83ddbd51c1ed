import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAsBrowser, describeLocalMedia } from './answer.js';
import type { OfferedMedia } from './offer.js';

const video: OfferedMedia = {
  mid: '1', kind: 'video', direction: 'recvonly', payloadType: 96, audioLevelId: 0, ridId: 2, transportCcId: 3, transportCcFeedback: true, simulcastRids: ['l', 'm', 'h'], ssrcs: [],
};

test('local description of a simulcast send slot: rids, a=simulcast:send, extension ids from the offer, one SSRC per layer', () => {
  const sdp = describeLocalMedia(video, { direction: 'SendOnly', ssrcs: [11, 12], rids: ['l', 'm'], cname: 'c' }).generateSdp('\r\n', '0.0.0.0', 9);
  assert.match(sdp, /^a=extmap:2 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r$/m);
  assert.match(sdp, /^a=extmap:3 http:\/\/www\.ietf\.org\/id\/draft-holmer-rmcat-transport-wide-cc-extensions-01\r$/m);
  assert.match(sdp, /^a=rtcp-fb:96 transport-cc\r$/m);
  assert.match(sdp, /^a=rid:l send\r$/m);
  assert.match(sdp, /^a=rid:m send\r$/m);
  assert.doesNotMatch(sdp, /^a=rid:h/m);
  assert.match(sdp, /^a=simulcast:send l;m\r$/m);
  assert.match(sdp, /^a=ssrc:11 cname:c\r$/m);
  assert.match(sdp, /^a=ssrc:12 cname:c\r$/m);
});

test('local description without simulcast: no rid extension, no a=simulcast; no transport-cc when not offered', () => {
  const sdp = describeLocalMedia({ ...video, transportCcId: 0 }, { direction: 'SendOnly', ssrcs: [11], rids: [], cname: 'c' }).generateSdp('\r\n', '0.0.0.0', 9);
  assert.doesNotMatch(sdp, /rtp-stream-id|a=simulcast|a=rid|transport-cc/);
  assert.match(sdp, /^a=ssrc:11 cname:c\r$/m);
});

test('answer as a browser: simulcast sections lose their SSRC lines (msid kept once), others keep them', () => {
  const sdp = [
    'v=0', 's=-',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=ssrc:5 cname:c', 'a=msid:s a',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=rid:l send', 'a=simulcast:send l;m', 'a=ssrc:11 cname:c', 'a=ssrc:11 msid:s v', 'a=msid:s v', 'a=ssrc:12 cname:c', 'a=msid:s v', 'a=ssrc-group:SIM 11 12', 'a=rtcp-mux', '',
  ].join('\r\n');
  const out = answerAsBrowser(sdp, new Set(['1']));
  const video = out.slice(out.indexOf('m=video'));
  assert.doesNotMatch(video, /a=ssrc/);
  assert.equal(video.match(/a=msid:s v/g)?.length, 1);
  assert.match(video, /a=simulcast:send l;m\r\na=msid:s v\r\na=rtcp-mux\r\n$/);
  assert.match(out, /a=mid:0\r\na=ssrc:5 cname:c\r\n/);
  assert.equal(answerAsBrowser(sdp, new Set()), sdp);
});
