import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractCandidates, parseAnswer, rewriteCandidates } from './sdp.js';
import { TransportError } from './errors.js';

const answer = [
  'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendonly', 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789012345678901',
  'a=fingerprint:sha-256 AA:BB', 'a=setup:active', 'a=rtpmap:111 opus/48000/2', 'a=ssrc:1111 cname:x',
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sendonly', 'a=ice-ufrag:abcd', 'a=ice-pwd:0123456789012345678901',
  'a=fingerprint:sha-256 AA:BB', 'a=setup:active', 'a=rtpmap:96 VP8/90000', 'a=ssrc-group:FID 2222 3333', 'a=ssrc:2222 cname:x', 'a=ssrc:3333 cname:x', '',
].join('\r\n');

const offered = [{ mid: '0', kind: 'audio' as const }, { mid: '1', kind: 'video' as const }];

test('reads the announced SSRC of each m-line, preferring the FID primary', () => {
  const parsed = parseAnswer(answer, offered);
  assert.deepEqual([...parsed.ssrcByMid], [['0', 1111], ['1', 2222]]);
});

function assertBadSdp(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof TransportError && err.code === 'bad-sdp' && pattern.test(err.message));
}

test('refuses text that is not SDP', () => {
  assertBadSdp(() => parseAnswer('hello', offered), /v=0/);
  assertBadSdp(() => parseAnswer('', offered), /v=0/);
});

test('refuses answers whose media sections differ from the offer’s in number, order, mid or kind', () => {
  assertBadSdp(() => parseAnswer('v=0\r\ns=-\r\n', offered), /0 media sections, the offer had 2/);
  assertBadSdp(() => parseAnswer(answer, [offered[0]!]), /2 media sections, the offer had 1/);
  assertBadSdp(() => parseAnswer(answer, [offered[0]!, { mid: '7', kind: 'video' }]), /mid "1", the offer had "7"/);
  assertBadSdp(() => parseAnswer(answer.replace(/a=mid:1\r\n/, ''), offered), /mid null/);
  assertBadSdp(() => parseAnswer(answer.replace('a=mid:1', 'a=mid:0'), offered), /mid "0", the offer had "1"/);
  assertBadSdp(() => parseAnswer(answer, [{ mid: '0', kind: 'audio' }, { mid: '1', kind: 'audio' }]), /is video, the offer had audio/);
});

test('refuses media sections without ICE credentials or fingerprint', () => {
  assertBadSdp(() => parseAnswer(answer.replaceAll('a=fingerprint:sha-256 AA:BB\r\n', ''), offered), /fingerprint/);
});

test('never throws anything but TransportError on garbage', () => {
  for (let i = 0; i < 2000; i++) {
    const cut = answer.slice(0, Math.floor(Math.random() * answer.length)) + String.fromCharCode(Math.floor(Math.random() * 128));
    try {
      parseAnswer(cut, offered);
    } catch (err) {
      assert.ok(err instanceof TransportError, String(err));
    }
  }
});

test('rewrites host candidates and connection lines to the announced address', () => {
  const offer = 'm=audio 40000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.2\r\na=candidate:1 1 UDP 2114977791 192.0.2.2 40000 typ host\r\n';
  assert.equal(rewriteCandidates(offer, '203.0.113.7'), 'm=audio 40000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 203.0.113.7\r\na=candidate:1 1 UDP 2114977791 203.0.113.7 40000 typ host\r\n');
  assert.equal(rewriteCandidates(offer, null), offer);
});

test('takes candidates out of an offer, once each, tagged with the first mid', () => {
  const offer = [
    'v=0', 'm=audio 40000 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=candidate:1 1 UDP 2114977791 127.0.0.1 40000 typ host', 'a=end-of-candidates',
    'm=video 40000 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=candidate:1 1 UDP 2114977791 127.0.0.1 40000 typ host', '',
  ].join('\r\n');
  const { sdp, candidates } = extractCandidates(offer);
  assert.deepEqual(candidates, [{ candidate: 'candidate:1 1 UDP 2114977791 127.0.0.1 40000 typ host', mid: '0' }]);
  assert.equal(sdp, 'v=0\r\nm=audio 40000 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\nm=video 40000 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n');
});

test('the client’s offer hides its own SSRCs and gets RFC 8853 simulcast attributes', async () => {
  const { describeForClient } = await import('./sdp.js');
  const local = [
    'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=recvonly',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', 'a=recvonly', 'a=ssrc:1234 cname:x', 'a=ssrc:5678 cname:x', 'a=msid:- t',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:2', 'a=sendonly', '',
  ].join('\r\n');
  const sending = new Map([['2', { ssrc: 42, cname: 'treff', streamId: 'slot-2', trackId: 'slot-2' }]]);
  const out = describeForClient(local, { receiving: ['0', '1'], simulcastRids: new Map([['1', ['l', 'm', 'h']]]), sending });
  const sections = out.split(/(?=^m=)/m);
  assert.doesNotMatch(sections[2]!, /a=ssrc|a=msid/);
  assert.match(sections[2]!, /a=rid:l recv\r\na=rid:m recv\r\na=rid:h recv\r\na=simulcast:recv l;m;h\r\n$/);
  assert.match(sections[3]!, /a=msid:slot-2 slot-2\r\na=ssrc:42 cname:treff\r\na=ssrc:42 msid:slot-2 slot-2\r\n$/, 'what the server sends is announced to the client');
  assert.equal(sections[1], local.split(/(?=^m=)/m)[1], 'an m-line without simulcast or SSRCs is unchanged');
});

test('an answer padded with junk lines is refused before it is parsed, however often it comes', () => {
  // The line count is checked before the parser runs (parsing this costs ~150 ms of the event loop).
  assertBadSdp(() => parseAnswer(answer + 'a=x\r\n'.repeat(40_000), offered), /lines, more than any browser sends for 2 media sections/);
  assertBadSdp(() => parseAnswer(answer + 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\n', offered), /3 media sections, the offer had 2/);
  assertBadSdp(() => parseAnswer(answer.replace('a=mid:1\r\n', 'a=mid:1\r\na=mid:0\r\n'), offered), /3 a=mid lines for 2 media sections/);
});
