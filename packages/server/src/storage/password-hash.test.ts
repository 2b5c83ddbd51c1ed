import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from './password-hash.js';

test('a password verifies against its hash; wrong ones do not', async () => {
  const hash = await hashPassword('correct horse');
  assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/, 'parameters travel with the hash');
  assert.doesNotMatch(hash, /correct horse/);
  assert.equal(await verifyPassword('correct horse', hash), true);
  assert.equal(await verifyPassword('correct horsE', hash), false);
  assert.equal(await verifyPassword('', hash), false);
});

test('the same password hashes differently each time (salted)', async () => {
  const [a, b] = await Promise.all([hashPassword('pw'), hashPassword('pw')]);
  assert.notEqual(a, b);
  assert.equal(await verifyPassword('pw', b), true);
});

test('hashes keep verifying with their own parameters', async () => {
  const cheap = await hashPassword('pw');
  // A hash written with other parameters: rebuild one with N = 2^14 the way a future release might.
  const { scryptSync } = await import('node:crypto');
  const salt = Buffer.from('0123456789abcdef');
  const key = scryptSync('pw', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  const older = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
  assert.equal(await verifyPassword('pw', older), true);
  assert.equal(await verifyPassword('px', older), false);
  assert.ok(cheap.startsWith('scrypt$32768$'));
});

test('malformed or hostile hashes are refused, never thrown or run', async () => {
  const good = await hashPassword('pw');
  const [, , , , salt, key] = good.split('$');
  for (const bad of ['', 'plain', 'bcrypt$1$2$3$4$5', `scrypt$3$8$1$${salt}$${key}`, `scrypt$${2 ** 30}$8$1$${salt}$${key}`, `scrypt$32768$8$1$$${key}`, `scrypt$32768$8$1$${salt}$abc`, `scrypt$x$8$1$${salt}$${key}`, `${good}$extra`]) {
    assert.equal(await verifyPassword('pw', bad), false, bad);
  }
});
