import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtp } from '@treff/sfu';
import { readProbeInto, originTag, type ProbeInfo } from './probe.js';
import { MAX_PACKET_BYTES } from './rtp-extensions.js';
import { chooseRids, layerSourceOptions, layerSpec, SIMULCAST_LAYERS } from './simulcast.js';
import { Vp8Generator } from './synthetic.js';

test('layer pacing: bitrates within 3 % of 150k / 500k / 1.5M at 30 fps, every packet within 1200 bytes', () => {
  for (const [i, spec] of SIMULCAST_LAYERS.entries()) {
    const o = layerSourceOptions(spec, 30, 3000);
    const g = new Vp8Generator(1000 + i, 96, o, { rid: { id: 2, value: 'h' }, transportCcId: 3, layer: i });
    let bytes = 0;
    // One second of packets.
    for (let n = 0; n < o.packetsPerSecond; n++) {
      const p = g.next(n);
      assert.ok(p.length <= MAX_PACKET_BYTES, `layer ${i}: packet of ${p.length} bytes`);
      const h = rtp.createRtpHeader();
      assert.ok(rtp.parseRtpHeaderInto(p, h));
      bytes += h.payloadLength;
    }
    const bps = bytes * 8;
    assert.ok(Math.abs(bps - spec.bitrateBps) / spec.bitrateBps < 0.03, `layer ${i}: ${bps} bps for ${spec.bitrateBps}`);
    assert.equal(o.packetsPerSecond % 30, 0, 'whole frames at 30 fps');
  }
});

test('simulcast layer stream: rid in every packet, key frame size, continuous picture ids, probe names origin and layer', () => {
  const o = layerSourceOptions(layerSpec(1), 30, 1e9);
  const origin = originTag('alice');
  const g = new Vp8Generator(77, 96, o, { rid: { id: 4, value: 'm' }, transportCcId: 5, layer: 1, origin });
  const h = rtp.createRtpHeader();
  const probe: ProbeInfo = { sendTimeMs: 0, origin: 0, layer: -1 };
  const pictureIds: number[] = [];
  for (let i = 0; i < 3 * g.packetsPerFrame; i++) {
    const p = g.next(500 + i);
    assert.ok(rtp.parseRtpHeaderInto(p, h));
    const rid = rtp.findHeaderExtension(p, h, 4);
    assert.ok(rid > 0, 'rid extension present');
    assert.equal(p.toString('latin1', rid, rid + rtp.extensionLengthAt(p, h, rid)), 'm');
    assert.equal(rtp.findHeaderExtension(p, h, 5), g.transportSequenceOffset);
    assert.ok(readProbeInto(p, h.payloadOffset, h.payloadLength, probe));
    assert.deepEqual(probe, { sendTimeMs: 500 + i, origin, layer: 1 });
    if (i % g.packetsPerFrame === 0) pictureIds.push(rtp.readVp8PictureId(p, h.payloadOffset, h.payloadLength));
    if (i === 0) assert.equal(rtp.readVp8KeyframeSize(p, h.payloadOffset, h.payloadLength), (640 << 16) | 360);
    else assert.equal(rtp.readVp8KeyframeSize(p, h.payloadOffset, h.payloadLength), -1);
  }
  assert.deepEqual(pictureIds, [pictureIds[0], (pictureIds[0]! + 1) & 0x7fff, (pictureIds[0]! + 2) & 0x7fff]);
});

test('video timestamps advance at the rate frames are sent', () => {
  const g = new Vp8Generator(1, 96, { packetsPerSecond: 100, framesPerSecond: 30, payloadBytes: 1100, keyframeIntervalMs: 1e9 });
  const h = rtp.createRtpHeader();
  const ts: number[] = [];
  for (let i = 0; i < 2 * g.packetsPerFrame; i++) {
    assert.ok(rtp.parseRtpHeaderInto(g.next(i), h));
    ts.push(h.timestamp);
  }
  // 3 packets per frame at 100 pps: 33.3 frames/s, 2700 ticks of 90 kHz per frame.
  assert.equal(rtp.tsDiff(ts[3]!, ts[0]!), 2700);
});

test('choosing rids: lowest N of the offered; none for 1 layer or a single rid', () => {
  assert.deepEqual(chooseRids(['l', 'm', 'h'], 3), ['l', 'm', 'h']);
  assert.deepEqual(chooseRids(['l', 'm', 'h'], 2), ['l', 'm']);
  assert.deepEqual(chooseRids(['l', 'm', 'h'], 1), []);
  assert.deepEqual(chooseRids(['l'], 3), []);
  assert.deepEqual(chooseRids([], 3), []);
  assert.equal(layerSpec(7).height, 720);
});
