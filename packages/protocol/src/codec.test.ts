import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClientMessage, decodeServerMessage, encodeMessage, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from './index.js';

const join = { type: 'join', v: PROTOCOL_VERSION, roomId: 'abcDEF123_-', name: '  Ada   Lovelace ', media: { audio: true, video: false } };

test('accepts a valid join and normalises the display name', () => {
  const r = decodeClientMessage(JSON.stringify(join));
  assert.ok(r.ok);
  assert.equal(r.message.type, 'join');
  if (r.message.type === 'join') assert.equal(r.message.name, 'Ada Lovelace');
});

test('rejects malformed JSON with a clear error', () => {
  const r = decodeClientMessage('{"type": "join",');
  assert.deepEqual(r, { ok: false, error: 'message is not valid JSON' });
});

test('rejects unknown message types', () => {
  const r = decodeClientMessage(JSON.stringify({ type: 'format-disk' }));
  assert.equal(r.ok, false);
});

test('rejects a wrong protocol version', () => {
  const r = decodeClientMessage(JSON.stringify({ ...join, v: 99 }));
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.error, /^v:/);
});

test('rejects empty, blank and overlong display names', () => {
  for (const name of ['', '    ', 'x'.repeat(65)]) {
    const r = decodeClientMessage(JSON.stringify({ ...join, name }));
    assert.equal(r.ok, false, `name ${JSON.stringify(name)}`);
  }
});

test('rejects room ids that are not URL-safe', () => {
  for (const roomId of ['', '../etc', 'a b', 'x'.repeat(65)]) {
    assert.equal(decodeClientMessage(JSON.stringify({ ...join, roomId })).ok, false, roomId);
  }
});

test('rejects oversized messages before parsing them', () => {
  const r = decodeClientMessage(JSON.stringify({ type: 'answer', offerId: 1, sdp: 'x'.repeat(MAX_MESSAGE_BYTES) }));
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.tooLarge, true);
});

test('rejects non-object JSON values', () => {
  for (const text of ['null', '42', '"join"', '[]']) assert.equal(decodeClientMessage(text).ok, false, text);
});

test('validates answers, candidates and media state', () => {
  assert.ok(decodeClientMessage(JSON.stringify({ type: 'answer', offerId: 3, sdp: 'v=0' })).ok);
  assert.equal(decodeClientMessage(JSON.stringify({ type: 'answer', offerId: 0, sdp: 'v=0' })).ok, false);
  assert.ok(decodeClientMessage(JSON.stringify({ type: 'candidate', candidate: '', mid: '0' })).ok);
  assert.equal(decodeClientMessage(JSON.stringify({ type: 'media-state', media: { audio: 'yes', video: true } })).ok, false);
});

test('round-trips server messages', () => {
  const offer = { type: 'offer' as const, offerId: 1, sdp: 'v=0', slots: [{ mid: '0', kind: 'audio' as const, direction: 'send' as const }, { mid: '2', kind: 'video' as const, direction: 'recv' as const, participantId: 'p1' }] };
  const r = decodeServerMessage(encodeMessage(offer));
  assert.ok(r.ok);
  assert.deepEqual(r.message, offer);
  const bad = decodeServerMessage(JSON.stringify({ ...offer, slots: [{ mid: '2', kind: 'video', direction: 'recv' }] }));
  assert.equal(bad.ok, false, 'recv slot without participantId');
});

test('validates subscriptions, simulcast streams and slot sources', () => {
  const subscribe = { type: 'subscribe', video: [{ participantId: 'p1', width: 640, height: 360 }, { participantId: 'p2', width: 0, height: 0 }] };
  assert.ok(decodeClientMessage(JSON.stringify(subscribe)).ok);
  const tooMany = { type: 'subscribe', video: Array.from({ length: 101 }, (_, i) => ({ participantId: `p${i}`, width: 1, height: 1 })) };
  assert.equal(decodeClientMessage(JSON.stringify(tooMany)).ok, false, 'more than 100 tiles');
  assert.equal(decodeClientMessage(JSON.stringify({ type: 'subscribe', video: [{ participantId: 'p1', width: -1, height: 1 }] })).ok, false);
  assert.equal(decodeClientMessage(JSON.stringify({ type: 'subscribe', video: [{ participantId: 'p1', width: 1.5, height: 1 }] })).ok, false);

  const streams = { type: 'simulcast-streams', mid: '1', streams: [{ rid: 'l', ssrc: 1 }, { rid: 'h', ssrc: 0xffffffff }] };
  assert.ok(decodeClientMessage(JSON.stringify(streams)).ok);
  assert.equal(decodeClientMessage(JSON.stringify({ ...streams, streams: [] })).ok, false, 'no streams');
  assert.equal(decodeClientMessage(JSON.stringify({ ...streams, streams: [{ rid: 'l', ssrc: 0 }] })).ok, false, 'SSRC 0');
  assert.equal(decodeClientMessage(JSON.stringify({ ...streams, streams: [{ rid: 'l', ssrc: 2 ** 32 }] })).ok, false, 'SSRC beyond 32 bits');
  assert.equal(decodeClientMessage(JSON.stringify({ ...streams, streams: [{ rid: 'a b', ssrc: 5 }] })).ok, false, 'rid with a space');

  const sources = { type: 'slot-sources' as const, sources: [{ mid: '3', participantId: 'p1' }, { mid: '4', participantId: null }] };
  const r = decodeServerMessage(encodeMessage(sources));
  assert.ok(r.ok);
  assert.deepEqual(r.message, sources);
  const simulcastOffer = { type: 'offer', offerId: 2, sdp: 'v=0', slots: [{ mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'm', 'h'] }, { mid: '3', kind: 'video', direction: 'recv', participantId: null }] };
  assert.ok(decodeServerMessage(JSON.stringify(simulcastOffer)).ok);
});
