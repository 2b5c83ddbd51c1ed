import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAudioLevel, readVoiceActivity } from './audio-level.js';
import { parseRtpHeader } from './rtp-packet.js';
import { makeRtp } from './testkit.js';

test('reads level and voice activity from the one-byte form', () => {
  const b = makeRtp({ extension: { profile: 0xbede, data: [0x10, 0xaa, 0x30, 0x80 | 30] } });
  const h = parseRtpHeader(b)!;
  assert.equal(readAudioLevel(b, h, 3), 30);
  assert.equal(readVoiceActivity(b, h, 3), 1);
  assert.equal(readAudioLevel(b, h, 1), 0xaa & 0x7f);
  assert.equal(readVoiceActivity(b, h, 1), 1);
  const silent = makeRtp({ extension: { profile: 0xbede, data: [0x10, 127, 0, 0] } });
  assert.equal(readAudioLevel(silent, parseRtpHeader(silent)!, 1), 127);
  assert.equal(readVoiceActivity(silent, parseRtpHeader(silent)!, 1), 0);
});

test('two-byte form (RFC 8285 §4.3) works too', () => {
  const b = makeRtp({ extension: { profile: 0x1000, data: [0x07, 0x01, 45, 0] } });
  assert.equal(readAudioLevel(b, parseRtpHeader(b)!, 7), 45);
});

test('absent extension returns -1', () => {
  const none = makeRtp();
  assert.equal(readAudioLevel(none, parseRtpHeader(none)!, 1), -1);
  assert.equal(readVoiceActivity(none, parseRtpHeader(none)!, 1), -1);
  const other = makeRtp({ extension: { profile: 0xbede, data: [0x20, 5, 0, 0] } });
  assert.equal(readAudioLevel(other, parseRtpHeader(other)!, 1), -1);
});
