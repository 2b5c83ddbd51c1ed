import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rtp } from '@treff/sfu';
import { ExtensionLayoutError, OneByteExtensionBlock, TransportSequence } from './rtp-extensions.js';
import { writeRtpHeader } from './synthetic.js';

function packetWith(block: OneByteExtensionBlock): Buffer {
  const buf = Buffer.alloc(12 + block.size + 10);
  writeRtpHeader(buf, { payloadType: 96, marker: false, sequenceNumber: 1, timestamp: 2, ssrc: 3 }, block.size > 0);
  block.writeTo(buf, 12);
  return buf;
}

test('one-byte extension block: elements the SFU parser finds, padded to 32 bits', () => {
  const block = new OneByteExtensionBlock([
    { id: 2, data: Buffer.from('h') },
    { id: 3, data: Buffer.alloc(2) },
  ]);
  // 0xBEDE + length word, then 2 + 3 element bytes padded to 8.
  assert.equal(block.size, 12);
  const buf = packetWith(block);
  assert.equal(buf.readUInt16BE(12), 0xbede);
  assert.equal(buf.readUInt16BE(14), 2);
  const h = rtp.createRtpHeader();
  assert.ok(rtp.parseRtpHeaderInto(buf, h));
  const rid = rtp.findHeaderExtension(buf, h, 2);
  assert.equal(buf.toString('latin1', rid, rid + rtp.extensionLengthAt(buf, h, rid)), 'h');
  const twcc = rtp.findHeaderExtension(buf, h, 3);
  assert.equal(twcc, 12 + block.dataOffset(3));
  assert.equal(rtp.extensionLengthAt(buf, h, twcc), 2);
  assert.equal(block.dataOffset(9), -1);
  assert.equal(h.payloadOffset, 24);
});

test('one-byte extension block: empty block has no size; bad ids and lengths are refused', () => {
  assert.equal(new OneByteExtensionBlock([]).size, 0);
  assert.throws(() => new OneByteExtensionBlock([{ id: 15, data: Buffer.alloc(1) }]), ExtensionLayoutError);
  assert.throws(() => new OneByteExtensionBlock([{ id: 0, data: Buffer.alloc(1) }]), ExtensionLayoutError);
  assert.throws(() => new OneByteExtensionBlock([{ id: 1, data: Buffer.alloc(17) }]), ExtensionLayoutError);
  assert.throws(() => new OneByteExtensionBlock([{ id: 1, data: Buffer.alloc(0) }]), ExtensionLayoutError);
  assert.throws(() => new OneByteExtensionBlock([{ id: 1, data: Buffer.alloc(1) }, { id: 1, data: Buffer.alloc(2) }]), ExtensionLayoutError);
});

test('transport sequence: one counter, big-endian, wraps at 2^16', () => {
  const block = new OneByteExtensionBlock([{ id: 5, data: Buffer.alloc(2) }]);
  const counter = new TransportSequence(0xfffe);
  const h = rtp.createRtpHeader();
  const seen: number[] = [];
  for (let i = 0; i < 3; i++) {
    const buf = packetWith(block);
    assert.equal(counter.stamp(buf, 12 + block.dataOffset(5)), (0xfffe + i) & 0xffff);
    assert.ok(rtp.parseRtpHeaderInto(buf, h));
    const at = rtp.findHeaderExtension(buf, h, 5);
    seen.push(buf.readUInt16BE(at));
  }
  assert.deepEqual(seen, [0xfffe, 0xffff, 0]);
  assert.equal(counter.next, 1);
});
