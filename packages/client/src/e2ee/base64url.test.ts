import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64url, toBase64url } from './base64url.js';

test('encodes the RFC 4648 test vectors without padding, in the URL alphabet', () => {
  const vectors: Array<[string, string]> = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
  for (const [plain, encoded] of vectors) {
    const bytes = new TextEncoder().encode(plain);
    assert.equal(toBase64url(bytes), encoded);
    assert.deepEqual(fromBase64url(encoded), bytes);
  }
  assert.equal(toBase64url(new Uint8Array([0xfb, 0xff, 0xbf])), '-_-_');
  assert.deepEqual(fromBase64url('-_-_'), new Uint8Array([0xfb, 0xff, 0xbf]));
});

test('round trips every byte value', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (let length = 0; length <= all.length; length += 37) {
    const bytes = all.subarray(0, length);
    assert.deepEqual(fromBase64url(toBase64url(bytes)), bytes);
  }
});

test('rejects standard base64, padding, bad lengths, non-canonical bits and other characters', () => {
  // 'Zh' would decode to 'f' with a non-zero unused bit; only 'Zg' spells it.
  for (const bad of ['+/+/', 'Zg==', 'Zm8=', 'Z', 'Zm9vY', 'Zh', 'Zm 9v', 'Zm9v\n', 'é']) {
    assert.throws(() => fromBase64url(bad), TypeError, bad);
  }
});
