import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignalClient } from './signal-client.js';
import { FakeTimers, fakeSockets } from './testing/fakes.js';
import { ROOM_SETTINGS } from './testing/room-settings.js';
import { PROTOCOL_VERSION } from '@treff/protocol';

const joined = {
  type: 'joined', v: PROTOCOL_VERSION,
  room: {
    id: 'r1', title: '', link: null,
    settings: ROOM_SETTINGS,
  }, self: { id: 'p1', name: 'Ada', role: 'guest', media: { audio: true, video: true }, joinedAt: 1, e2ee: null },
  participants: [], resumeToken: 'tok', resumed: false, activeSpeakerId: null,
};

function setup(maxAttempts = 30) {
  const { sockets, factory } = fakeSockets();
  const timers = new FakeTimers();
  const client = new SignalClient({ url: 'ws://x/ws', createSocket: factory, timers, maxAttempts, random: () => 0 });
  const log: string[] = [];
  client.events.on('open', ({ reconnected }) => log.push(`open ${reconnected}`));
  client.events.on('message', (m) => log.push(`message ${m.type}`));
  client.events.on('invalid-message', () => log.push('invalid'));
  client.events.on('disconnected', ({ willRetry }) => log.push(`disconnected retry=${willRetry}`));
  client.events.on('reconnecting', ({ attempt, delayMs }) => log.push(`reconnecting ${attempt} ${delayMs}`));
  client.events.on('gave-up', () => log.push('gave-up'));
  return { sockets, timers, client, log };
}

test('sends only while open and decodes valid server messages', () => {
  const { sockets, client, log } = setup();
  client.connect();
  assert.equal(client.send({ type: 'leave' }), false, 'nothing can be sent before the socket opens');
  const s = sockets[0]!;
  s.handlers.open();
  assert.equal(client.send({ type: 'media-state', media: { audio: false, video: true } }), true);
  assert.deepEqual(s.sent, [{ type: 'media-state', media: { audio: false, video: true } }]);
  s.deliver(joined);
  s.handlers.message('{"type":"joined"');
  s.deliver({ type: 'self-destruct' });
  assert.deepEqual(log, ['open false', 'message joined', 'invalid', 'invalid']);
});

test('reconnects with growing, capped delays and resets the backoff once a socket works', () => {
  const { sockets, timers, client, log } = setup();
  client.connect();
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    sockets.at(-1)!.handlers.close(1006, '');
    delays.push(timers.runNext());
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000]);
  assert.equal(sockets.length, 8);
  const s = sockets.at(-1)!;
  s.handlers.open();
  assert.equal(log.at(-1), 'open false', 'the first socket that opens is not a reconnect');
  // An open socket that never says anything does not reset the backoff (a server crashing on connect)...
  s.handlers.close(1006, '');
  assert.equal(timers.runNext(), 5000);
  // ...one that delivers a message does.
  const t = sockets.at(-1)!;
  t.handlers.open();
  t.deliver(joined);
  t.handlers.close(1006, '');
  assert.equal(timers.runNext(), 250);
});

test('close() stops reconnecting and ignores late events from the old socket', () => {
  const { sockets, timers, client, log } = setup();
  client.connect();
  const s = sockets[0]!;
  s.handlers.open();
  client.close();
  assert.equal(s.closed, true);
  s.handlers.close(1000, '');
  s.deliver(joined);
  assert.equal(timers.pending.length, 0);
  assert.deepEqual(log, ['open false']);
  client.connect();
  assert.equal(sockets.length, 1, 'a closed client stays closed');
});

test('gives up after maxAttempts consecutive failures', () => {
  const { sockets, timers, client, log } = setup(2);
  client.connect();
  sockets[0]!.handlers.close(1006, '');
  timers.runNext();
  sockets[1]!.handlers.close(1006, '');
  timers.runNext();
  sockets[2]!.handlers.close(1006, '');
  assert.equal(timers.pending.length, 0);
  assert.equal(client.isClosed, true);
  assert.deepEqual(log.slice(-2), ['disconnected retry=false', 'gave-up']);
});

test('restart() abandons the current socket and reconnects after a delay', () => {
  const { sockets, timers, client, log } = setup();
  client.connect();
  sockets[0]!.handlers.open();
  client.restart();
  assert.equal(sockets[0]!.closed, true);
  sockets[0]!.handlers.close(1000, 'restart');
  assert.equal(timers.pending.length, 1, 'the old socket closing does not schedule a second retry');
  timers.runNext();
  sockets[1]!.handlers.open();
  assert.deepEqual(log, ['open false', 'disconnected retry=true', 'reconnecting 1 250', 'open true']);
});
