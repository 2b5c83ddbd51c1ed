import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactNtp, ntpFromUnixMs, NTP_UNIX_OFFSET_SECONDS, unixMsFromNtp } from './ntp.js';

test('Unix epoch maps to the NTP offset', () => {
  assert.deepEqual(ntpFromUnixMs(0), { seconds: NTP_UNIX_OFFSET_SECONDS, fraction: 0 });
});

test('half a second is half of 2^32', () => {
  assert.deepEqual(ntpFromUnixMs(1500), { seconds: NTP_UNIX_OFFSET_SECONDS + 1, fraction: 0x80000000 });
});

test('fraction stays below 2^32 and round-trips within a microsecond', () => {
  const ms = 1_700_000_000_999.9995;
  const t = ntpFromUnixMs(ms);
  assert.ok(t.fraction <= 0xffffffff);
  assert.ok(Math.abs(unixMsFromNtp(t.seconds, t.fraction) - ms) < 0.001);
});

test('compactNtp takes the middle 32 bits', () => {
  assert.equal(compactNtp(0x12345678, 0x9abcdef0), 0x56789abc);
  assert.equal(compactNtp(0xffffffff, 0xffffffff), 0xffffffff);
});
