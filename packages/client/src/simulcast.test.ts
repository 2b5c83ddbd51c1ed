import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureSimulcast, readSimulcastStreams, setActiveEncodings, SimulcastReporter, simulcastEncodings, type SimulcastStream } from './simulcast.js';
import { FakeTimers, flush } from './testing/fakes.js';

test('three layers are scaled 4, 2, 1 and capped near 150 kbps, 500 kbps, 1.5 Mbps, lowest first', () => {
  assert.deepEqual(simulcastEncodings(['l', 'm', 'h']), [
    { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
    { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
  ]);
  assert.deepEqual(simulcastEncodings(['lo', 'hi']).map((e) => e.scaleResolutionDownBy), [2, 1]);
  assert.deepEqual(simulcastEncodings(['a', 'b', 'c', 'd']).map((e) => e.maxBitrate), [60_000, 150_000, 500_000, 1_500_000]);
  assert.deepEqual(simulcastEncodings([]), []);
});

function fakeSender(encodings: RTCRtpEncodingParameters[]) {
  const calls: RTCRtpEncodingParameters[][] = [];
  const sender = {
    getParameters: () => ({ encodings: encodings.map((e) => ({ ...e })) }),
    setParameters: async (p: { encodings: RTCRtpEncodingParameters[] }) => {
      calls.push(p.encodings);
      encodings = p.encodings;
    },
  };
  return { sender: sender as unknown as RTCRtpSender, calls };
}

test('configureSimulcast sets our parameters by rid, leaves unknown encodings alone, and skips no-op updates', async () => {
  // Browsers list the derived encodings in offer order; match by rid, not position.
  const { sender, calls } = fakeSender([{ rid: 'h' }, { rid: 'l' }, { rid: 'x', scaleResolutionDownBy: 3 }]);
  assert.equal(await configureSimulcast(sender, ['l', 'm', 'h']), true);
  assert.deepEqual(calls[0], [
    { rid: 'h', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
    { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
    { rid: 'x', scaleResolutionDownBy: 3 },
  ]);
  assert.equal(await configureSimulcast(sender, ['l', 'm', 'h']), false, 'already set: no second setParameters');
  assert.equal(calls.length, 1);
  const empty = fakeSender([]);
  assert.equal(await configureSimulcast(empty.sender, ['l']), false, 'no encodings (a browser without answerer simulcast)');
});

test('readSimulcastStreams picks the outbound-rtp of the mid, by rid, in rid order, and ignores junk', () => {
  const stats = [
    { type: 'outbound-rtp', mid: '1', rid: 'h', ssrc: 333 },
    { type: 'outbound-rtp', mid: '1', rid: 'l', ssrc: 111 },
    { type: 'outbound-rtp', mid: '0', kind: 'audio', ssrc: 9 },
    { type: 'outbound-rtp', mid: '5', rid: 'm', ssrc: 555 }, // another m-line
    { type: 'inbound-rtp', mid: '1', rid: 'm', ssrc: 444 },
    { type: 'outbound-rtp', mid: '1', rid: 'zz', ssrc: 666 }, // not asked for
    { type: 'outbound-rtp', mid: '1', rid: 'm', ssrc: -1 }, // not an SSRC
    { type: 'outbound-rtp', mid: '1', rid: 'm', ssrc: 2 ** 32 },
    { type: 'outbound-rtp', mid: '1', rid: 'm', ssrc: '222' },
  ];
  assert.deepEqual(readSimulcastStreams(stats, '1', ['l', 'm', 'h']), [{ rid: 'l', ssrc: 111 }, { rid: 'h', ssrc: 333 }]);
  // Without mids (older browsers) video entries count.
  assert.deepEqual(readSimulcastStreams([{ type: 'outbound-rtp', kind: 'video', rid: 'm', ssrc: 7 }, { type: 'outbound-rtp', kind: 'audio', rid: 'l', ssrc: 8 }], '1', ['l', 'm']), [{ rid: 'm', ssrc: 7 }]);
});

function reporter(intervalMs = 250, timeoutMs = 1000) {
  const timers = new FakeTimers();
  let stats: { type: string }[] = [];
  const sent: { mid: string; streams: SimulcastStream[] }[] = [];
  const r = new SimulcastReporter({ getStats: async () => stats, send: (mid, streams) => sent.push({ mid, streams }), timers, intervalMs, timeoutMs });
  const out = (rid: string, ssrc: number) => ({ type: 'outbound-rtp', mid: '1', rid, ssrc });
  return { timers, sent, r, out, setStats: (s: { type: string }[]) => (stats = s) };
}

test('the reporter polls until every rid has an SSRC, reports once, and stops', async () => {
  const { timers, sent, r, out, setStats } = reporter();
  r.setSlot({ mid: '1', simulcast: ['l', 'm', 'h'] });
  r.check();
  await flush();
  assert.equal(sent.length, 0);
  setStats([out('l', 1), out('m', 2)]);
  timers.runNext();
  await flush();
  assert.equal(sent.length, 0, 'waits for the third encoding');
  setStats([out('l', 1), out('m', 2), out('h', 3)]);
  timers.runNext();
  await flush();
  assert.deepEqual(sent, [{ mid: '1', streams: [{ rid: 'l', ssrc: 1 }, { rid: 'm', ssrc: 2 }, { rid: 'h', ssrc: 3 }] }]);
  assert.equal(timers.pending.length, 0, 'done polling');
  // A later check finding the same SSRCs says nothing; different ones are reported again.
  r.check();
  await flush();
  assert.equal(sent.length, 1);
  setStats([out('l', 1), out('m', 2), out('h', 4)]);
  r.check();
  await flush();
  assert.deepEqual(sent[1]?.streams.at(-1), { rid: 'h', ssrc: 4 });
  assert.deepEqual(r.reported, { mid: '1', streams: sent[1]!.streams });
});

test('the reporter is bounded: at the deadline it reports what it has, or nothing', async () => {
  const { timers, sent, r, out, setStats } = reporter(250, 1000);
  r.setSlot({ mid: '1', simulcast: ['l', 'm', 'h'] });
  r.check();
  await flush();
  for (let i = 0; i < 3; i++) {
    timers.runNext();
    await flush();
  }
  assert.equal(timers.pending.length, 0, 'gave up after 1000 ms worth of looks');
  assert.deepEqual(sent, []);
  setStats([out('l', 1)]);
  r.check();
  await flush();
  for (let i = 0; i < 3; i++) {
    timers.runNext();
    await flush();
  }
  assert.deepEqual(sent, [{ mid: '1', streams: [{ rid: 'l', ssrc: 1 }] }], 'a partial set at the deadline');
});

test('a new slot forgets the old report; no simulcast or close() stops polling', async () => {
  const { timers, sent, r, out, setStats } = reporter();
  setStats([out('l', 1), out('h', 3)]);
  r.setSlot({ mid: '1', simulcast: ['l', 'h'] });
  r.check();
  await flush();
  r.setSlot({ mid: '1', simulcast: ['l', 'h'] });
  r.check();
  await flush();
  assert.equal(sent.length, 1, 'same slot, same SSRCs: reported once');
  r.setSlot({ mid: '1', simulcast: ['l', 'm', 'h'] });
  assert.equal(r.reported, null);
  r.check();
  await flush();
  assert.equal(timers.pending.length, 1, 'polling for m');
  r.setSlot({ mid: '1', simulcast: null });
  assert.equal(timers.pending.length, 0);
  r.check();
  assert.equal(timers.pending.length, 0);
  r.setSlot({ mid: '1', simulcast: ['l', 'm', 'h'] });
  r.check();
  await flush();
  r.close();
  assert.equal(timers.pending.length, 0);
  r.check();
  await flush();
  assert.equal(sent.length, 1);
});

test('setActiveEncodings pauses the encodings nobody receives and resumes them, by rid', async () => {
  const { sender, calls } = fakeSender([{ rid: 'l' }, { rid: 'm' }, { rid: 'h' }]);
  assert.equal(await setActiveEncodings(sender, ['l']), true);
  assert.deepEqual(calls[0]!.map((e) => [e.rid, e.active ?? true]), [['l', true], ['m', false], ['h', false]]);
  assert.equal(await setActiveEncodings(sender, ['l']), false, 'no change: no second setParameters');
  assert.equal(await setActiveEncodings(sender, ['l', 'm', 'h']), true);
  assert.deepEqual(calls[1]!.map((e) => e.active ?? true), [true, true, true]);
  const plain = fakeSender([{ maxBitrate: 1 }]);
  assert.equal(await setActiveEncodings(plain.sender, ['l']), false, 'an encoding without a rid is left alone');
});
