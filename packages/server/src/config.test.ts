import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_CONFIG, loadConfig } from './config.js';

test('defaults need no flags or environment', () => {
  const config = loadConfig([], {});
  assert.ok(config !== 'help');
  assert.equal(config.port, DEFAULT_CONFIG.port);
  assert.equal(config.rtcPort, 40000);
  assert.equal(config.announcedAddress, null);
});

test('flags win over environment variables, which win over defaults', () => {
  const config = loadConfig(['--port', '9000'], { TREFF_PORT: '7000', TREFF_RTC_PORT: '41000', TREFF_ANNOUNCED_IP: '203.0.113.5' });
  assert.ok(config !== 'help');
  assert.equal(config.port, 9000);
  assert.equal(config.rtcPort, 41000);
  assert.equal(config.announcedAddress, '203.0.113.5');
});

test('--trust-proxy, or TREFF_TRUST_PROXY=1, trusts X-Forwarded-* headers', () => {
  const off = loadConfig([], {});
  const flag = loadConfig(['--trust-proxy'], {});
  const env = loadConfig([], { TREFF_TRUST_PROXY: '1' });
  assert.ok(off !== 'help' && flag !== 'help' && env !== 'help');
  assert.deepEqual([off.trustProxy, flag.trustProxy, env.trustProxy], [false, true, true]);
});

test('--public-ip is another name for --announced-ip', () => {
  const config = loadConfig(['--public-ip', '198.51.100.2'], {});
  assert.ok(config !== 'help');
  assert.equal(config.announcedAddress, '198.51.100.2');
});

test('":memory:" keeps no database file; a trailing slash on the public URL is dropped', () => {
  const config = loadConfig(['--data-dir', ':memory:', '--public-url', 'https://meet.example.org/'], {});
  assert.ok(config !== 'help');
  assert.equal(config.dataDir, null);
  assert.equal(config.publicUrl, 'https://meet.example.org');
});

test('bad values are refused with a message naming the option', () => {
  assert.throws(() => loadConfig(['--port', '70000'], {}), (e: unknown) => e instanceof ConfigError && /--port/.test(e.message));
  assert.throws(() => loadConfig([], { TREFF_RTC_PORT: 'abc' }), /--rtc-port/);
  assert.throws(() => loadConfig(['--log-level', 'loud'], {}), /--log-level/);
  assert.throws(() => loadConfig(['--tls-cert', 'a.pem'], {}), /go together/);
  assert.throws(() => loadConfig(['--public-url', 'meet.example.org/path'], {}), /origin/);
  assert.throws(() => loadConfig(['--no-such-flag'], {}), /Unknown option/);
});

test('--help is reported, not started', () => {
  assert.equal(loadConfig(['--help'], {}), 'help');
});

test('audio top-N and last-N are configurable within sane bounds', () => {
  const config = loadConfig(['--audio-top-n', '4'], { TREFF_LAST_N: '9' });
  assert.ok(config !== 'help');
  assert.deepEqual([config.audioTopN, config.lastN], [4, 9]);
  assert.throws(() => loadConfig(['--audio-top-n', '0'], {}), ConfigError);
  assert.throws(() => loadConfig(['--last-n', 'many'], {}), ConfigError);
});

test('the operator API is off unless a long enough operator secret is given', () => {
  const off = loadConfig([], {});
  const env = loadConfig([], { TREFF_OPERATOR_SECRET: 'a-very-long-operator-secret' });
  const flag = loadConfig(['--operator-secret', 'flag-secret-0123456789'], { TREFF_OPERATOR_SECRET: 'a-very-long-operator-secret' });
  assert.ok(off !== 'help' && env !== 'help' && flag !== 'help');
  assert.deepEqual([off.operatorSecret, env.operatorSecret, flag.operatorSecret], [null, 'a-very-long-operator-secret', 'flag-secret-0123456789']);
  assert.throws(() => loadConfig([], { TREFF_OPERATOR_SECRET: 'short' }), /at least 16/);
});

test('--workers takes a count or "auto", needs a data dir, and room for its media ports', () => {
  const one = loadConfig([], {});
  const two = loadConfig(['--workers', '2'], {});
  const auto = loadConfig([], { TREFF_WORKERS: 'auto' });
  assert.ok(one !== 'help' && two !== 'help' && auto !== 'help');
  assert.deepEqual([one.workers, two.workers], [1, 2]);
  assert.ok(auto.workers >= 1);
  assert.throws(() => loadConfig(['--workers', '0'], {}), ConfigError);
  assert.throws(() => loadConfig(['--workers', '2', '--data-dir', ':memory:'], {}), /needs a data dir/);
  assert.throws(() => loadConfig(['--workers', '3', '--rtc-port', '65534'], {}), /65534 to 65536/);
});
