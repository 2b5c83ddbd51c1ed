import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Slot } from '@treff/protocol';
import { MediaSession } from './media-session.js';
import type { SimulcastStream } from './simulcast.js';
import { asPeerConnection, asTrack, FakePeerConnection, FakeTimers, FakeTrack, fakeSdp, flush } from './testing/fakes.js';

function setup() {
  const pc = new FakePeerConnection();
  const answers: { offerId: number; sdp: string }[] = [];
  const candidates: [string, string][] = [];
  const simulcast: { mid: string; streams: SimulcastStream[] }[] = [];
  const timers = new FakeTimers();
  const session = new MediaSession({
    createPeerConnection: () => asPeerConnection(pc),
    sendAnswer: (offerId, sdp) => answers.push({ offerId, sdp }),
    sendCandidate: (candidate, mid) => candidates.push([candidate, mid]),
    sendSimulcastStreams: (mid, streams) => simulcast.push({ mid, streams }),
    timers,
  });
  const events: string[] = [];
  session.events.on('track', (e) => events.push(`track ${e.participantId} ${e.kind} ${e.track.id}`));
  session.events.on('track-ended', (e) => events.push(`ended ${e.participantId} ${e.kind} ${e.track.id}`));
  session.events.on('recv-slots', () => events.push('recv-slots'));
  session.events.on('error', (e) => events.push(`error ${e.message}`));
  return { pc, session, answers, candidates, events, simulcast, timers };
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
  assert.deepEqual(events, ['track bob audio remote-2', 'track bob video remote-3', 'recv-slots']);
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
  assert.deepEqual(events, ['ended bob audio remote-2', 'ended bob video remote-3', 'track carol audio remote-2', 'recv-slots']);
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
  assert.deepEqual(events, ['track bob audio remote-2', 'track bob video remote-3', 'recv-slots']);
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

test('slot-sources hand a slot\'s track from one participant to the next; audio tracks are listed whoever they carry', async () => {
  const { session, events } = setup();
  const slots: Slot[] = [
    firstSlots[0]!,
    firstSlots[1]!,
    { mid: '2', kind: 'audio', direction: 'recv', participantId: null },
    { mid: '3', kind: 'video', direction: 'recv', participantId: 'bob' },
  ];
  await session.handleOffer({ offerId: 1, sdp: firstSdp, slots });
  assert.deepEqual(session.remoteTracks('audio').map((t) => t.id), ['remote-2'], 'an audio slot carrying nobody is still listed');
  events.length = 0;
  await session.setSources([{ mid: '3', participantId: 'carol' }, { mid: '2', participantId: 'bob' }]);
  assert.deepEqual(events, ['ended bob video remote-3', 'track bob audio remote-2', 'track carol video remote-3'], 'same track object, new owner');
  assert.equal(session.remoteTrack('carol', 'video')?.id, 'remote-3');
  assert.equal(session.remoteTrack('bob', 'video'), null);
  events.length = 0;
  await session.setSources([{ mid: '3', participantId: null }]);
  assert.deepEqual(events, ['ended carol video remote-3']);
});

test('slot-sources wait for the offer in flight (they may name its new m-lines)', async () => {
  const { pc, session, events } = setup();
  let release!: () => void;
  pc.gate = new Promise<void>((resolve) => (release = resolve));
  const offer = session.handleOffer({ offerId: 1, sdp: firstSdp, slots: firstSlots });
  const sources = session.setSources([{ mid: '3', participantId: 'carol' }]);
  await flush();
  pc.gate = null;
  release();
  await Promise.all([offer, sources]);
  assert.deepEqual(events, ['track bob audio remote-2', 'track bob video remote-3', 'recv-slots', 'ended bob video remote-3', 'track carol video remote-3']);
});

test('a simulcast send slot gets our scaling and bitrates, and its SSRCs are reported once the encodings send', async () => {
  const { pc, session, answers, simulcast, timers } = setup();
  const cam = new FakeTrack('video', 'cam');
  await session.setLocalTrack('video', asTrack(cam));
  const slots: Slot[] = [firstSlots[0]!, { mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'm', 'h'] }];
  await session.handleOffer({ offerId: 1, sdp: fakeSdp('o1', [['0', 'audio'], ['1', 'video', ['l', 'm', 'h']]]), slots });
  assert.equal(answers.length, 1);
  assert.ok(pc.log.includes('setParameters 1 l/4/150000 m/2/500000 h/1/1500000'), pc.log.join('\n'));
  await flush();
  assert.deepEqual(simulcast, [], 'nothing sending yet');
  assert.equal(timers.pending.length, 1, 'polling');
  pc.stats.set('o-l', { type: 'outbound-rtp', kind: 'video', mid: '1', rid: 'l', ssrc: 11 });
  pc.stats.set('o-m', { type: 'outbound-rtp', kind: 'video', mid: '1', rid: 'm', ssrc: 22 });
  pc.stats.set('o-h', { type: 'outbound-rtp', kind: 'video', mid: '1', rid: 'h', ssrc: 33 });
  timers.runNext();
  await flush();
  assert.deepEqual(simulcast, [{ mid: '1', streams: [{ rid: 'l', ssrc: 11 }, { rid: 'm', ssrc: 22 }, { rid: 'h', ssrc: 33 }] }]);
  // A new offer keeping the slot: parameters already right, SSRCs unchanged, nothing sent again.
  await session.handleOffer({ offerId: 2, sdp: fakeSdp('o2', [['0', 'audio'], ['1', 'video', ['l', 'm', 'h']]]), slots });
  await flush();
  assert.equal(pc.log.filter((l) => l.startsWith('setParameters')).length, 1);
  assert.equal(simulcast.length, 1);
  // After a resume they are sent again regardless.
  session.resendSimulcastStreams();
  await flush();
  assert.equal(simulcast.length, 2);
  session.close();
  assert.equal(timers.pending.length, 0);
});

test('send-layers pauses the encodings nobody receives and resumes them; other mids and unknown rids are ignored', async () => {
  const { pc, session } = setup();
  await session.setLocalTrack('video', asTrack(new FakeTrack('video', 'cam')));
  const slots: Slot[] = [firstSlots[0]!, { mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'm', 'h'] }];
  await session.handleOffer({ offerId: 1, sdp: fakeSdp('o1', [['0', 'audio'], ['1', 'video', ['l', 'm', 'h']]]), slots });
  await session.setSendLayers('1', ['l']);
  assert.equal(pc.log.at(-1), 'setParameters 1 l/4/150000 m/2/500000/paused h/1/1500000/paused');
  await session.setSendLayers('1', ['l', 'm', 'h']);
  assert.equal(pc.log.at(-1), 'setParameters 1 l/4/150000 m/2/500000 h/1/1500000');
  const before = pc.log.length;
  await session.setSendLayers('9', ['l']);
  await session.setSendLayers('0', ['l']);
  await session.setSendLayers('1', ['x', 'y']);
  await session.setSendLayers('1', []);
  assert.equal(pc.log.length, before, 'unknown mids, the audio slot and rids matching no encoding never pause every layer');
  session.close();
});

test('a screen share: the captured tracks go on the screen send slots, remote screen tracks carry their source', async () => {
  const { pc, session, events } = setup();
  const offered: boolean[] = [];
  session.events.on('screen-send', (on) => offered.push(on));
  const screen = new FakeTrack('video', 'screen');
  const tabAudio = new FakeTrack('audio', 'tab-audio');
  const cam = new FakeTrack('video', 'cam');
  await session.setLocalTrack('video', asTrack(cam));
  await session.setLocalTrack('video', asTrack(screen), 'screen');
  await session.setLocalTrack('audio', asTrack(tabAudio), 'screen');
  const slots: Slot[] = [
    ...firstSlots,
    { mid: '4', kind: 'video', direction: 'send', source: 'screen' },
    { mid: '5', kind: 'audio', direction: 'send', source: 'screen' },
    { mid: '6', kind: 'video', direction: 'recv', participantId: 'bob', source: 'screen' },
    { mid: '7', kind: 'audio', direction: 'recv', participantId: 'bob', source: 'screen' },
  ];
  const sdp = fakeSdp('o1', [['0', 'audio'], ['1', 'video'], ['2', 'audio'], ['3', 'video'], ['4', 'video'], ['5', 'audio'], ['6', 'video'], ['7', 'audio']]);
  const sources: string[] = [];
  session.events.on('track', (e) => sources.push(`${e.mid}:${e.source}`));
  await session.handleOffer({ offerId: 1, sdp, slots });
  assert.equal(pc.transceivers[1]!.sender.track, asTrack(cam));
  assert.equal(pc.transceivers[4]!.sender.track, asTrack(screen));
  assert.equal(pc.transceivers[5]!.sender.track, asTrack(tabAudio));
  assert.deepEqual(offered, [true]);
  assert.deepEqual(sources, ['2:camera', '3:camera', '6:screen', '7:screen']);
  assert.equal(session.remoteTrack('bob', 'video', 'screen')?.id, 'remote-6');
  assert.equal(session.remoteTrack('bob', 'video')?.id, 'remote-3');
  assert.deepEqual(session.remoteTracks('audio').map((t) => t.id), ['remote-2', 'remote-7'], 'screen audio is played like any other');

  // Stopping takes the capture off at once; the next offer without screen slots says so.
  await session.setLocalTrack('video', null, 'screen');
  assert.equal(pc.transceivers[4]!.sender.track, null);
  assert.equal(pc.transceivers[1]!.sender.track, asTrack(cam), 'the camera is untouched');
  events.length = 0;
  await session.handleOffer({ offerId: 2, sdp: sdp.replace('s=o1', 's=o2'), slots: firstSlots });
  assert.deepEqual(offered, [true, false]);
  assert.deepEqual(events.filter((e) => e.startsWith('ended')), ['ended bob video remote-6', 'ended bob audio remote-7']);
});

test('e2ee transforms go on the screen share\'s senders and receivers like on every other transceiver', async () => {
  const pc = new FakePeerConnection();
  const attached: string[] = [];
  const session = new MediaSession({
    createPeerConnection: () => asPeerConnection(pc),
    sendAnswer: () => undefined,
    sendCandidate: () => undefined,
    frameEncryption: { rtcConfiguration: {}, attach: (t) => attached.push(t.mid ?? '?') },
  });
  await session.handleOffer({
    offerId: 1,
    sdp: fakeSdp('o1', [['0', 'audio'], ['1', 'video'], ['4', 'video'], ['6', 'video']]),
    slots: [
      firstSlots[0]!, firstSlots[1]!,
      { mid: '4', kind: 'video', direction: 'send', source: 'screen' },
      { mid: '6', kind: 'video', direction: 'recv', participantId: 'bob', source: 'screen' },
    ],
  });
  assert.deepEqual(attached, ['0', '1', '4', '6']);
});
