import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from './bearer-token.js';

const withHeader = (authorization: string | undefined) => ({ headers: { authorization } }) as unknown as FastifyRequest;

test('the bearer token is read from the Authorization header; anything else is no token', () => {
  assert.equal(bearerToken(withHeader('Bearer abc.def-ghi')), 'abc.def-ghi');
  assert.equal(bearerToken(withHeader('bearer   tok ')), 'tok');
  for (const bad of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwdw==', 'Bearer a b', 'tok']) assert.equal(bearerToken(withHeader(bad)), null, String(bad));
});
