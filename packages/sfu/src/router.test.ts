import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Producer } from './producer.js';
import { Sfu } from './sfu.js';
import { closeAfterTests } from './testing/close-after-tests.js';
import type { WebRtcTransport } from './webrtc-transport.js';
import { settle } from './testing/router-fixtures.js';
import { rtpPacket, vp8Packet } from './testing/rtp-packets.js';

const sfu = await Sfu.create({ port: 0, bindAddress: '127.0.0.1' });
closeAfterTests(sfu);

function feed(producer: Producer, packets = 5): void {
  for (let i = 0; i < packets; i++) producer.receive(rtpPacket(producer.kind === 'video' ? 96 : 111, i + 1), performance.now());
}

/** What a transport's receiving slots of one kind and priority are given now. */
const carried = (transport: WebRtcTransport, kind: 'audio' | 'video', priority: 'normal' | 'high') =>
  transport.receivers(kind, priority).flatMap((c) => (c.wantedProducer === null ? [] : [c.wantedProducer.id]));

test('high-priority producers go to every other transport on slots of their own, apart from the cameras and microphones', async () => {
  const router = sfu.createRouter('screens', { audioTopN: 1, lastN: 5 });
  try {
    const sharer = router.createTransport('sharer');
    const viewer = router.createTransport('viewer');
    const other = router.createTransport('other');
    const camera = sharer.produce('video');
    const screen = sharer.produce('video', { priority: 'high' });
    const screenAudio = sharer.produce('audio', { priority: 'high' });
    assert.equal(screen.priority, 'high');
    assert.equal(camera.priority, 'normal');
    feed(camera);
    feed(screen);
    feed(screenAudio);
    await settle();

    for (const transport of [viewer, other]) {
      assert.deepEqual(carried(transport, 'video', 'high'), [screen.id]);
      assert.deepEqual(carried(transport, 'video', 'normal'), [camera.id]);
      // Screen audio goes outside the top-N selection of microphones (nobody speaks here).
      assert.deepEqual(carried(transport, 'audio', 'high'), [screenAudio.id]);
      assert.deepEqual(carried(transport, 'audio', 'normal'), []);
      assert.equal(transport.receivers('video', 'high')[0]!.priority, 'high');
    }
    // The sharer gets no slot for its own share.
    assert.deepEqual(carried(sharer, 'video', 'high'), []);
    assert.deepEqual(carried(sharer, 'audio', 'high'), []);

    // Closing the share empties the slots (they stay, for the next share); the camera goes on.
    const slots = viewer.receivers('video', 'high');
    screen.close();
    screenAudio.close();
    await settle();
    assert.deepEqual(carried(viewer, 'video', 'high'), []);
    assert.deepEqual(viewer.receivers('video', 'high'), slots);
    assert.deepEqual(carried(viewer, 'video', 'normal'), [camera.id]);
    assert.equal(sharer.producers.includes(screen), false);
  } finally {
    router.close();
  }
});

test('a paused high-priority video is not forwarded, and a share does not take a camera’s slot', async () => {
  const router = sfu.createRouter('paused-screen');
  try {
    const sharer = router.createTransport('sharer');
    const viewer = router.createTransport('viewer');
    const screen = sharer.produce('video', { priority: 'high' });
    feed(screen);
    await settle();
    assert.deepEqual(carried(viewer, 'video', 'high'), [screen.id]);
    assert.equal(viewer.receivers('video').length, 0);
    screen.pause();
    await settle();
    assert.deepEqual(carried(viewer, 'video', 'high'), []);
  } finally {
    router.close();
  }
});

test('forwarding groups: cameras and screens reach only their own group, and a group change re-allocates at once', async () => {
  const router = sfu.createRouter('groups');
  try {
    const [ana, ben, cem] = ['ana', 'ben', 'cem'].map((id) => router.createTransport(id)) as [WebRtcTransport, WebRtcTransport, WebRtcTransport];
    const cameras = [ana, ben, cem].map((t) => t.produce('video'));
    for (const camera of cameras) feed(camera);
    const screen = ana.produce('video', { priority: 'high' });
    feed(screen);
    router.setGroup('ana', 'red');
    router.setGroup('ben', 'red');
    // A subscription to someone in another group is ignored, not an error.
    router.setVideoSubscriptions('cem', [{ transportId: 'ana', width: 320, height: 180 }, { transportId: 'ben', width: 320, height: 180 }]);
    await settle();
    assert.equal(router.groupOf('ana'), 'red');
    assert.equal(router.groupOf('cem'), null);
    assert.deepEqual(carried(ben, 'video', 'normal'), [cameras[0]!.id]);
    assert.deepEqual(carried(ben, 'video', 'high'), [screen.id]);
    assert.deepEqual(carried(ana, 'video', 'normal'), [cameras[1]!.id]);
    assert.deepEqual(carried(cem, 'video', 'normal'), []);
    assert.deepEqual(carried(cem, 'video', 'high'), []);

    router.setGroup('cem', 'red');
    await settle();
    assert.deepEqual(carried(cem, 'video', 'normal').sort(), [cameras[0]!.id, cameras[1]!.id].sort());
    assert.deepEqual(carried(cem, 'video', 'high'), [screen.id]);
    assert.deepEqual(carried(ana, 'video', 'normal').sort(), [cameras[1]!.id, cameras[2]!.id].sort());

    // Back to the default group, alone there: everything it carried goes to nothing.
    router.setGroup('cem', null);
    await settle();
    assert.deepEqual(carried(cem, 'video', 'normal'), []);
    assert.deepEqual(carried(cem, 'video', 'high'), []);
    assert.deepEqual(carried(ana, 'video', 'normal'), [cameras[1]!.id]);
  } finally {
    router.close();
  }
});

test('cameras a subscriber asks for but its downlink cannot carry are reported paused, and no longer once they flow', async () => {
  const router = sfu.createRouter('paused');
  try {
    const viewer = router.createTransport('viewer');
    const publishers = ['ana', 'ben', 'cem'].map((id) => router.createTransport(id));
    const now = performance.now();
    for (const publisher of publishers) {
      // About 160 kbps for 3 s, as a small simulcast layer sends (stamped ahead of the clock: the test does not wait).
      const camera = publisher.produce('video');
      for (let i = 0; i < 60; i++) camera.receive(vp8Packet(i + 1, i === 0, { bytes: 1000 }), now + i * 50);
    }
    const tiles = publishers.map((p) => ({ transportId: p.id, width: 320, height: 180 }));
    let estimate = 400_000;
    Object.defineProperty(viewer, 'downlinkEstimateBps', { get: () => estimate });
    const reports: (readonly string[])[] = [];
    viewer.on('video-paused', (publisherIds) => reports.push(publisherIds));
    router.setVideoSubscriptions('viewer', tiles);
    await settle();
    // 400 kbps carries two small pictures with the spare a start needs; the least important tile waits.
    assert.deepEqual(reports, [['cem']]);
    assert.deepEqual(viewer.pausedVideo, ['cem']);
    assert.equal(carried(viewer, 'video', 'normal').length, 2);

    estimate = 10_000_000;
    router.setVideoSubscriptions('viewer', tiles);
    await settle();
    assert.deepEqual(reports, [['cem'], []]);
    assert.equal(carried(viewer, 'video', 'normal').length, 3);

    // Unchanged allocations report nothing new, nor does the same set in another order.
    router.setVideoSubscriptions('viewer', tiles);
    await settle();
    assert.equal(reports.length, 2);
    viewer.setPausedVideo(['cem', 'ana']);
    viewer.setPausedVideo(['ana', 'cem']);
    assert.deepEqual(reports.slice(2), [['ana', 'cem']]);
  } finally {
    router.close();
  }
});

test('a publisher that keeps announcing new simulcast SSRCs is refused after a few dozen changes; repeating the same ones costs nothing', async () => {
  const router = sfu.createRouter('ssrc-churn', { audioTopN: 3, lastN: 5 });
  try {
    const publisher = router.createTransport('publisher');
    const camera = publisher.produce('video', { simulcast: ['l', 'm', 'h'] });
    const mid = camera.id.split(':').at(-1)!; // producers are named <transport>:<mid>
    const streams = (base: number) => ['l', 'm', 'h'].map((rid, i) => ({ rid, ssrc: base + i }));
    for (let i = 0; i < 100; i++) publisher.announceSimulcastStreams(mid, streams(1000));
    let accepted = 0;
    try {
      for (let change = 1; change <= 100; change++, accepted++) publisher.announceSimulcastStreams(mid, streams(1000 + change * 10));
    } catch (err) {
      assert.match(String(err), /changed more than \d+ times/);
    }
    assert.ok(accepted >= 10 && accepted < 100, `${accepted} SSRC changes accepted`);
  } finally {
    router.close();
  }
});
