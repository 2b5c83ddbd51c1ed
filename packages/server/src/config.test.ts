import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DEFAULT_CONFIG, loadConfig, type ServerConfig } from './config.js';

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

test('--redis makes a node of a cluster: it needs to know its own address, and runs one process', () => {
  const node = loadConfig(['--redis', 'redis://10.0.0.5:6379', '--node-url', 'http://10.0.0.2:8080/'], {}) as ServerConfig;
  assert.deepEqual([node.redisUrl, node.nodeUrl], ['redis://10.0.0.5:6379', 'http://10.0.0.2:8080']);
  const fromListen = loadConfig(['--host', '10.0.0.3', '--port', '9000'], { TREFF_REDIS_URL: 'redis://r:6379' }) as ServerConfig;
  assert.equal(fromListen.nodeUrl, 'http://10.0.0.3:9000', 'a specific listen address is where the others find it');
  assert.equal((loadConfig([], {}) as ServerConfig).redisUrl, null);
  assert.throws(() => loadConfig(['--redis', 'redis://r:6379'], {}), /--node-url/, 'listening on any address, the others cannot know where');
  assert.throws(() => loadConfig(['--redis', 'http://r:6379', '--node-url', 'http://a:1'], {}), /--redis must be a URL/);
  assert.throws(() => loadConfig(['--redis', 'redis://r:6379', '--node-url', 'a:1'], {}), /--node-url must be an origin/);
  assert.throws(() => loadConfig(['--redis', 'redis://r:6379', '--node-url', 'http://a:1', '--workers', '2'], {}), /one process per node/);
  assert.throws(() => loadConfig(['--node-url', 'http://a:1'], {}), /goes with --redis/);
});
