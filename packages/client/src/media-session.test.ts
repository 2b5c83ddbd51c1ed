import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Slot } from '@treff/protocol';
import { MediaSession } from './media-session.js';
import { asPeerConnection, asTrack, FakePeerConnection, FakeTrack, fakeSdp, flush } from './testing/fakes.js';

function setup() {
  const pc = new FakePeerConnection();
  const answers: { offerId: number; sdp: string }[] = [];
  const candidates: [string, string][] = [];
  const session = new MediaSession({
    createPeerConnection: () => asPeerConnection(pc),
    sendAnswer: (offerId, sdp) => answers.push({ offerId, sdp }),
    sendCandidate: (candidate, mid) => candidates.push([candidate, mid]),
  });
  const events: string[] = [];
  session.events.on('track', (e) => events.push(`track ${e.participantId} ${e.kind} ${e.track.id}`));
  session.events.on('track-ended', (e) => events.push(`ended ${e.participantId} ${e.kind} ${e.track.id}`));
  session.events.on('error', (e) => events.push(`error ${e.message}`));
  return { pc, session, answers, candidates, events };
}

const firstSlots: Slot[] = [
  { mid: '0', kind: 'audio', direction: 'send' },
  { mid: '1', kind: 'video', direction: 'send' },
  { mid: '2', kind: 'audio', direction: 'recv', participantId: 'bob' },
  { mid: '3', kind: 'video', direction: 'recv', participantId: 'bob' },
];
const firstSdp = fakeSdp('o1', [['0', 'audio'], ['1', 'video'], ['2', 'audio'], ['3', 'video']]);

test('attaches local tracks to send slots, answers with sendonly/recvonly, and announces remote tracks', async () => {
  const { pc, session, answers, events } = setup();
  const mic = new FakeTrack('audio', 'mic');
  await session.setLocalTrack('audio', asTrack(mic));
  await session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  assert.deepEqual(answers, [{ offerId: 1, sdp: 'answer to o1 [0:sendonly,1:sendonly,2:recvonly,3:recvonly]' }]);
  assert.equal(pc.transceivers[0]!.sender.track, asTrack(mic));
  assert.equal(pc.transceivers[1]!.sender.track, null, 'camera off: nothing on the video sender');
  assert.deepEqual(events, ['track bob audio remote-2', 'track bob video remote-3']);
  assert.equal(session.remoteTrack('bob', 'video')?.id, 'remote-3');
});

test('a local track set after negotiation goes straight onto the sender', async () => {
  const { pc, session } = setup();
  await session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  const cam = new FakeTrack('video', 'cam');
  await session.setLocalTrack('video', asTrack(cam));
  assert.equal(pc.transceivers[1]!.sender.track, asTrack(cam));
  await session.setLocalTrack('video', null);
  assert.equal(pc.transceivers[1]!.sender.track, null);
});

test('overlapping offers are applied one after the other, never interleaved', async () => {
  const { pc, session, answers } = setup();
  let release!: () => void;
  pc.gate = new Promise<void>((resolve) => (release = resolve));
  const first = session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  const second = session.handleOffer({ offerId: 2, sdp: fakeSdp('o2', [['0', 'audio'], ['1', 'video'], ['2', 'audio'], ['3', 'video']]), slots: firstSlots.slice(0, 2) });
  await flush();
  assert.deepEqual(pc.log, ['srd-start o1'], 'the second offer waits for the first');
  pc.gate = null;
  release();
  await Promise.all([first, second]);
  assert.deepEqual(pc.log.filter((l) => l.startsWith('srd')), ['srd-start o1', 'srd-done o1', 'srd-start o2', 'srd-done o2']);
  assert.deepEqual(answers.map((a) => a.offerId), [1, 2]);
  assert.match(answers[1]!.sdp, /2:inactive,3:inactive/, 'm-lines missing from slots are made inactive');
});

test('a participant leaving ends their tracks; a recycled mid is announced for the new owner', async () => {
  const { session, events } = setup();
  await session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  events.length = 0;
  await session.handleOffer({ offerId: 2, sdp: firstSdp.replace('s=o1', 's=o2'), slots: [...firstSlots.slice(0, 2), { mid: '2', kind: 'audio', direction: 'recv', participantId: 'carol' }] });
  assert.deepEqual(events, ['ended bob audio remote-2', 'ended bob video remote-3', 'track carol audio remote-2']);
});

test('a bad offer is reported and the next one still works', async () => {
  const { session, answers, events } = setup();
  await session.handleOffer({ offerId: 1, sdp: 'garbage', slots: [] });
  await session.handleOffer({ offerId: 2, sdp: firstSdp, slots: firstSlots });
  assert.deepEqual(events[0], 'error SDP parse error');
  assert.deepEqual(answers.map((a) => a.offerId), [2]);
});

test('slots naming a mid the SDP lacks are skipped: the rest is answered and the mismatch reported', async () => {
  const { session, answers, events } = setup();
  await session.handleOffer({ offerId: 1, sdp: fakeSdp('o1', [['0', 'audio'], ['1', 'video']]), slots: firstSlots });
  assert.deepEqual(answers, [{ offerId: 1, sdp: 'answer to o1 [0:sendonly,1:sendonly]' }]);
  assert.deepEqual(events, ['error offer 1 has slots for mids missing from its SDP: 2, 3']);
  // When the m-lines do arrive, their tracks start then.
  events.length = 0;
  await session.handleOffer({ offerId: 2, sdp: firstSdp, slots: firstSlots });
  assert.deepEqual(events, ['track bob audio remote-2', 'track bob video remote-3']);
});

test('trickles candidates with their mid and skips end-of-candidates', async () => {
  const { pc, session, candidates } = setup();
  await session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  pc.emitCandidate('candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', '0');
  pc.emitCandidate('candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host', null);
  pc.emitCandidate('', '0');
  pc.onicecandidate?.({ candidate: null });
  assert.deepEqual(candidates, [
    ['candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', '0'],
    ['candidate:2 1 udp 2122260223 127.0.0.1 50001 typ host', '0'],
  ]);
});

test('close() ends every remote track and ignores offers queued behind it', async () => {
  const { pc, session, answers, events } = setup();
  await session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  events.length = 0;
  session.close();
  await session.handleOffer({ offerId: 2, sdp: firstSdp, slots: firstSlots });
  assert.equal(pc.closed, true);
  assert.deepEqual(events, ['ended bob audio remote-2', 'ended bob video remote-3']);
  assert.deepEqual(answers.map((a) => a.offerId), [1]);
});

test('server candidates wait for the offer in flight, and end-of-candidates is not passed on', async () => {
  const { pc, session } = setup();
  let release!: () => void;
  pc.gate = new Promise<void>((resolve) => (release = resolve));
  const offer = session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  const candidate = session.addRemoteCandidate('candidate:1 1 udp 1 127.0.0.1 40000 typ host', '0');
  const end = session.addRemoteCandidate('', '0');
  await flush();
  pc.gate = null;
  release();
  await Promise.all([offer, candidate, end]);
  assert.deepEqual(pc.log.filter((l) => l.startsWith('srd-done') || l.startsWith('candidate')), ['srd-done o1', 'candidate 0 candidate:1 1 udp 1 127.0.0.1 40000 typ host']);
});
