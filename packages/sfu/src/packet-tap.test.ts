import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TappedPacket } from './packet-tap.js';
import { Sfu } from './sfu.js';
import { closeAfterTests } from './testing/close-after-tests.js';

const sfu = await Sfu.create({ port: 0, bindAddress: '127.0.0.1' });
closeAfterTests(sfu);

function opus(seq: number): Buffer {
  const packet = Buffer.alloc(20);
  packet[0] = 0x80;
  packet[1] = 111;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(0x1234, 8);
  packet.fill(seq, 12);
  return packet;
}

test('the SFU’s tap reaches producers of routers and transports made before and after it is set, until cleared', () => {
  const before = sfu.createRouter('before').createTransport('early').produce('audio');
  const tapped: TappedPacket[] = [];
  sfu.setPacketTap((p) => tapped.push(p));
  const laterRouter = sfu.createRouter('after');
  const later = laterRouter.createTransport('late').produce('audio');
  before.receive(opus(1), 0);
  later.receive(opus(2), 0);
  assert.deepEqual(tapped.map((p) => [p.transportId, p.kind, p.payload[0]]), [['early', 'audio', 1], ['late', 'audio', 2]]);
  sfu.setPacketTap(null);
  before.receive(opus(3), 1);
  laterRouter.createTransport('latest').produce('audio').receive(opus(4), 1);
  assert.equal(tapped.length, 2);
});
