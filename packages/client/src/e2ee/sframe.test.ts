import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSFrameHeader, deriveSFrameKey, deriveSFrameSecrets, encodeSFrameHeader, sframeDecrypt, sframeEncrypt, sframeNonce } from './sframe.js';

const hex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

// RFC 9605 Appendix C.3, cipher_suite 0x0004 (AES_128_GCM_SHA256_128).
const RFC = {
  kid: 0x123,
  ctr: 0x4567,
  baseKey: hex('000102030405060708090a0b0c0d0e0f'),
  sframeKey: 'd34f547f4ca4f9a7447006fe7fcbf768',
  sframeSalt: '75234edefe07819026751816',
  metadata: hex('4945544620534672616d65205747'),
  nonce: '75234edefe07819026755d71',
  pt: hex('64726166742d696574662d736672616d652d656e63'),
  ct: hex('9901234567b7412c2513a1b66dbb48841bbaf17f598751176ad847681a69c6d0b091c07018ce4adb34eb'),
};

test('key and salt derivation match RFC 9605 Appendix C.3 for suite 0x0004', async () => {
  const secrets = await deriveSFrameSecrets(RFC.baseKey, RFC.kid);
  assert.equal(toHex(secrets.key), RFC.sframeKey);
  assert.equal(toHex(secrets.salt), RFC.sframeSalt);
  // The KID is part of the labels: another KID gives other secrets.
  assert.notEqual(toHex((await deriveSFrameSecrets(RFC.baseKey, RFC.kid + 1)).key), RFC.sframeKey);
});

test('the nonce is salt XOR the counter (RFC 9605 Appendix C.3)', () => {
  assert.equal(toHex(sframeNonce(hex(RFC.sframeSalt), RFC.ctr)), RFC.nonce);
  assert.equal(toHex(sframeNonce(new Uint8Array(12), 2 ** 40 + 5)), '000000000000010000000005');
});

test('encryption and decryption match RFC 9605 Appendix C.3 with the metadata as clear prefix', async () => {
  const key = await deriveSFrameKey(RFC.baseKey, RFC.kid);
  const frame = new Uint8Array([...RFC.metadata, ...RFC.pt]);
  const wire = await sframeEncrypt(key, RFC.ctr, frame, RFC.metadata.length);
  assert.equal(toHex(wire), toHex(RFC.metadata) + toHex(RFC.ct));
  assert.deepEqual(await sframeDecrypt(key, wire, RFC.metadata.length), frame);
});

test('headers round trip at KID and CTR boundaries, shortest form', () => {
  const values = [0, 1, 7, 8, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 47, 2 ** 48 - 1, Number.MAX_SAFE_INTEGER];
  for (const kid of values) {
    for (const ctr of values) {
      const header = encodeSFrameHeader(kid, ctr);
      const bytesFor = (v: number): number => (v < 8 ? 0 : Math.ceil(Math.log2(v + 1) / 8));
      assert.equal(header.length, 1 + bytesFor(kid) + bytesFor(ctr), `kid ${kid} ctr ${ctr}`);
      assert.deepEqual(decodeSFrameHeader(header, 0), { kid, ctr, length: header.length });
      const framed = new Uint8Array([9, 9, ...header, 1, 2, 3]);
      assert.deepEqual(decodeSFrameHeader(framed, 2), { kid, ctr, length: header.length });
    }
  }
});

test('headers match the encodings of RFC 9605 Appendix C.1 and §4.3', () => {
  const cases: Array<[number, number, string]> = [
    [0, 0, '00'],
    [7, 7, '77'],
    [3, 5, '35'],
    [8, 0, '8008'],
    [0, 8, '0808'],
    [255, 0, '80ff'],
    [256, 0, '900100'],
    [2 ** 32, 0, 'c00100000000'],
    [2 ** 47, 1, 'd1800000000000'],
    [0x123, 0x4567, '9901234567'],
    [0x1000000, 0, 'b001000000'],
    [0x1000000, 0xff, 'b801000000ff'],
    [0xffffffff, 0x100, 'b9ffffffff0100'],
    [0x100000000, 0xffffffff, 'cb0100000000ffffffff'],
    [0xffffff, 0x10000, 'aaffffff010000'],
    [0x10000, 0xffffffffffff, 'ad010000ffffffffffff'],
    [0xffffffffffff, 0x10000000000, 'ddffffffffffff010000000000'],
    [0x1000000000000, 0xffffffffff, 'ec01000000000000ffffffffff'],
    [0x1000000000000, 0x1000000000000, 'ee0100000000000001000000000000'],
  ];
  for (const [kid, ctr, expected] of cases) {
    assert.equal(toHex(encodeSFrameHeader(kid, ctr)), expected, `kid ${kid} ctr ${ctr}`);
    assert.deepEqual(decodeSFrameHeader(hex(expected), 0), { kid, ctr, length: expected.length / 2 });
  }
});

test('malformed headers decode to null', () => {
  assert.equal(decodeSFrameHeader(new Uint8Array(0), 0), null);
  assert.equal(decodeSFrameHeader(hex('00'), 1), null, 'offset past the end');
  assert.equal(decodeSFrameHeader(hex('00'), -1), null);
  assert.equal(decodeSFrameHeader(hex('80'), 0), null, 'KID byte missing');
  assert.equal(decodeSFrameHeader(hex('9001'), 0), null, 'KID cut short');
  assert.equal(decodeSFrameHeader(hex('08'), 0), null, 'CTR byte missing');
  assert.equal(decodeSFrameHeader(hex('99012345'), 0), null, 'CTR cut short');
  assert.equal(decodeSFrameHeader(hex('f0ffffffffffffffff'), 0), null, 'KID 2^64 - 1 (RFC C.1) is beyond a safe integer');
  assert.equal(decodeSFrameHeader(hex('e0ffffffffffffff'), 0), null, 'KID 2^56 - 1 (RFC C.1) is beyond a safe integer');
  assert.equal(decodeSFrameHeader(hex('0f0020000000000000'), 0), null, 'CTR 2^53');
  assert.throws(() => encodeSFrameHeader(-1, 0), RangeError);
  assert.throws(() => encodeSFrameHeader(0, 2 ** 53), RangeError);
  assert.throws(() => encodeSFrameHeader(0.5, 0), RangeError);
});

test('the clear prefix stays readable and is authenticated: changing any byte fails', async () => {
  const key = await deriveSFrameKey(crypto.getRandomValues(new Uint8Array(16)), 77);
  const frame = crypto.getRandomValues(new Uint8Array(40));
  const wire = await sframeEncrypt(key, 300, frame, 10);
  assert.deepEqual(wire.subarray(0, 10), frame.subarray(0, 10));
  assert.notDeepEqual(wire.subarray(wire.length - 30, wire.length - 16), frame.subarray(26));
  assert.equal(wire.length, 40 + 4 + 16, 'prefix, header (KID 77, CTR 300: 4 bytes), ciphertext and tag');
  for (let i = 0; i < wire.length; i++) {
    const tampered = wire.slice();
    tampered[i] = (tampered[i] as number) ^ 0x01;
    assert.equal(await sframeDecrypt(key, tampered, 10), null, `byte ${i}`);
  }
  assert.equal(await sframeDecrypt(key, wire.subarray(0, wire.length - 1), 10), null, 'truncated');
  assert.equal(await sframeDecrypt(key, wire, 9), null, 'other split of clear bytes');
  assert.deepEqual(await sframeDecrypt(key, wire, 10), frame);
});

test('a frame is refused by another key, and an empty remainder still authenticates', async () => {
  const baseKey = crypto.getRandomValues(new Uint8Array(16));
  const key = await deriveSFrameKey(baseKey, 5);
  const wire = await sframeEncrypt(key, 0, new Uint8Array([1, 2, 3]), 3);
  assert.equal(wire.length, 3 + 1 + 16);
  assert.deepEqual(await sframeDecrypt(key, wire, 3), new Uint8Array([1, 2, 3]));
  assert.equal(await sframeDecrypt(await deriveSFrameKey(baseKey, 6), wire, 3), null, 'other KID');
  assert.equal(await sframeDecrypt(await deriveSFrameKey(crypto.getRandomValues(new Uint8Array(16)), 5), wire, 3), null, 'other base key');
  await assert.rejects(sframeEncrypt(key, 1, new Uint8Array(2), 3), RangeError);
});

test('random bytes never crash the header decoder, and what it reads lies within the data', () => {
  let seed = 0x9605;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  for (let round = 0; round < 5000; round++) {
    const data = Uint8Array.from({ length: random() % 20 }, random);
    const offset = random() % 22;
    const header = decodeSFrameHeader(data, offset);
    if (header === null) continue;
    assert.ok(offset + header.length <= data.length);
    assert.ok(Number.isSafeInteger(header.kid) && Number.isSafeInteger(header.ctr));
    assert.deepEqual(encodeSFrameHeader(header.kid, header.ctr).length <= header.length, true, 'shortest form is never longer');
  }
});
