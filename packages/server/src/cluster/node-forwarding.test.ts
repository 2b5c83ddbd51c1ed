import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { DEFAULT_CONFIG } from '../config.js';
import { forwardedByNode, requestOrigin } from '../http/request-origin.js';
import { NODE_HEADER, screenRequest } from './node-forwarding.js';

const SECRET = 'the-cluster-secret-0123456789';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers: { host: 'meet.example', ...headers }, socket: { remoteAddress: '10.0.0.9' } } as unknown as IncomingMessage;
}

const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'meet.example.org' };

test('a request carrying the cluster secret came from a node: its forwarded headers say who the client is', () => {
  const r = request({ ...forwarded, [NODE_HEADER]: SECRET });
  screenRequest(r, SECRET, DEFAULT_CONFIG);
  assert.equal(forwardedByNode(r), true);
  assert.equal(r.headers[NODE_HEADER], undefined, 'the secret goes no further');
  assert.deepEqual(requestOrigin(r, DEFAULT_CONFIG), { address: '203.0.113.7', scheme: 'https', host: 'meet.example.org' });
});

test('without the secret, or with a wrong one, a client cannot pose as someone else', () => {
  for (const claim of [{}, { [NODE_HEADER]: 'guessed' }, { [NODE_HEADER]: '' }] as Record<string, string>[]) {
    const r = request({ ...forwarded, ...claim });
    screenRequest(r, SECRET, DEFAULT_CONFIG);
    assert.equal(forwardedByNode(r), false);
    assert.equal(r.headers['x-forwarded-for'], undefined, 'dropped before the framework trusts a hop of them');
    assert.deepEqual(requestOrigin(r, DEFAULT_CONFIG), { address: '10.0.0.9', scheme: 'http', host: 'meet.example' });
  }
});

test('before the secret is known nothing is trusted; behind a configured proxy its headers stay', () => {
  const early = request({ ...forwarded, [NODE_HEADER]: '' });
  screenRequest(early, '', DEFAULT_CONFIG);
  assert.equal(forwardedByNode(early), false);
  const proxied = request(forwarded);
  screenRequest(proxied, SECRET, { ...DEFAULT_CONFIG, trustProxy: true });
  assert.equal(proxied.headers['x-forwarded-for'], '203.0.113.7');
});
