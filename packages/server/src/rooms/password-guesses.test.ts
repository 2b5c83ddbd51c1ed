import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Redis } from 'ioredis';
import { connectRedis } from '../storage/redis/redis-storage.js';
import { startTestRedis, type TestRedis } from '../storage/redis/test-redis.js';
import { GUESSES_PER_ADDRESS, GUESSES_PER_ROOM, GUESS_WINDOW_MS, LocalPasswordGuesses, RedisPasswordGuesses, type PasswordGuesses } from './password-guesses.js';

let redis: TestRedis;
const connections: Redis[] = [];
before(async () => {
  redis = await startTestRedis();
});
after(async () => {
  for (const connection of connections) connection.disconnect();
  await redis.stop();
});

let prefixes = 0;
async function connection(): Promise<Redis> {
  const redisConnection = await connectRedis(redis.url);
  connections.push(redisConnection);
  return redisConnection;
}
const backends: [string, (now: () => number) => Promise<PasswordGuesses>][] = [
  ['in this process', async (now) => new LocalPasswordGuesses(now)],
  ['in Redis, shared by the nodes', async (now) => new RedisPasswordGuesses(await connection(), `g${++prefixes}:`, now)],
];

const counted = (guess: Awaited<ReturnType<PasswordGuesses['take']>>) => 'refund' in guess;

for (const [name, open] of backends) {
  describe(`password guesses ${name}`, () => {
    test('an address gets its guesses a minute, then waits for the oldest to leave the window', async () => {
      let now = 1_000_000;
      const guesses = await open(() => now);
      for (let i = 0; i < GUESSES_PER_ADDRESS; i++, now += 1000) assert.ok(counted(await guesses.take('203.0.113.7', 'room:1')), `guess ${i + 1}`);
      const refused = await guesses.take('203.0.113.7', 'room:1');
      assert.ok('retryAfterMs' in refused);
      assert.equal(refused.retryAfterMs, GUESS_WINDOW_MS - GUESSES_PER_ADDRESS * 1000, 'until the first guess is a minute old');
      assert.ok(counted(await guesses.take('198.51.100.1', 'room:1')), 'another address still may');
      now += refused.retryAfterMs + 1;
      assert.ok(counted(await guesses.take('203.0.113.7', 'room:1')));
    });

    test('a room takes its guesses from all addresses together; a right guess is given back', async () => {
      const now = 2_000_000;
      const guesses = await open(() => now);
      for (let i = 0; i < GUESSES_PER_ROOM; i++) assert.ok(counted(await guesses.take(`10.0.0.${i}`, 'room:2')));
      assert.ok(!counted(await guesses.take('10.0.1.1', 'room:2')), 'the room is used up');
      assert.ok(counted(await guesses.take('10.0.1.1', 'room:3')), 'another room is not');
      const first = await guesses.take('10.0.2.1', 'room:4');
      for (let i = 1; i < GUESSES_PER_ADDRESS; i++) await guesses.take('10.0.2.1', 'room:4');
      assert.ok('refund' in first);
      await first.refund();
      assert.ok(counted(await guesses.take('10.0.2.1', 'room:4')), 'the right guess did not count');
    });
  });
}
