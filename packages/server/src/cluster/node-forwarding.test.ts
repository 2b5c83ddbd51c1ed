import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { DEFAULT_CONFIG } from '../config.js';
import { forwardedByNode, requestOrigin } from '../http/request-origin.js';
import { NODE_HEADER, screenRequest } from './node-forwarding.js';

const SECRET = 'the-cluster-secret-0123456789';
const trusts = (secret: string) => secret === SECRET;

function request(headers: Record<string, string>): IncomingMessage {
  return { headers: { host: 'meet.example', ...headers }, socket: { remoteAddress: '10.0.0.9' } } as unknown as IncomingMessage;
}

const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'meet.example.org' };

test('a request carrying the cluster secret came from a node: its forwarded headers say who the client is', () => {
  const r = request({ ...forwarded, [NODE_HEADER]: SECRET });
  assert.equal(screenRequest(r, trusts, DEFAULT_CONFIG), 'node');
  assert.equal(forwardedByNode(r), true);
  assert.equal(r.headers[NODE_HEADER], undefined, 'the secret goes no further');
  assert.deepEqual(requestOrigin(r, DEFAULT_CONFIG), { address: '203.0.113.7', scheme: 'https', host: 'meet.example.org' });
});

test('without the node header a client cannot pose as someone else', () => {
  const r = request(forwarded);
  assert.equal(screenRequest(r, trusts, DEFAULT_CONFIG), 'client');
  assert.equal(forwardedByNode(r), false);
  assert.equal(r.headers['x-forwarded-for'], undefined, 'dropped before the framework trusts a hop of them');
  assert.deepEqual(requestOrigin(r, DEFAULT_CONFIG), { address: '10.0.0.9', scheme: 'http', host: 'meet.example' });
});

test('a wrong or empty secret is refused outright, not taken for a client', () => {
  for (const claimed of ['guessed', '']) {
    const r = request({ ...forwarded, [NODE_HEADER]: claimed });
    assert.equal(screenRequest(r, trusts, DEFAULT_CONFIG), 'forged');
    assert.equal(forwardedByNode(r), false);
  }
});

test('behind a configured proxy the proxy\'s headers stay', () => {
  const proxied = request(forwarded);
  assert.equal(screenRequest(proxied, trusts, { ...DEFAULT_CONFIG, trustProxy: true }), 'client');
  assert.equal(proxied.headers['x-forwarded-for'], '203.0.113.7');
});
