// Bad signaling input gets the documented `error` code, only on the offending socket; the server
// keeps running, and bots already in the room notice nothing (media keeps flowing, no events).

import { test } from 'node:test';
import { connect } from 'node:net';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { RunningServer } from '@treff/server';
import { createRoom, sleep, waitUntil, webSocketUrl, type Bot } from '@treff/load';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type ErrorCode } from '@treff/protocol';
import { closeWhenDone, joinBot, newRoom, rawRequest, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
const sockets: RawSocket[] = [];
closeWhenDone(() => server, sockets, bots);

interface Received {
  type: string;
  code?: string;
  fatal?: boolean;
  offerId?: number;
  [key: string]: unknown;
}

/** A WebSocket that records every frame as parsed JSON, for sending arbitrary bytes. */
class RawSocket {
  readonly messages: Received[] = [];
  closed = false;
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      try {
        this.messages.push(JSON.parse(data.toString()) as Received);
      } catch {
        this.messages.push({ type: '<not json>', raw: data.toString() });
      }
    });
    ws.on('close', () => (this.closed = true));
    ws.on('error', () => {});
  }

  static open(url: string): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: 10_000 });
      ws.once('open', () => {
        const s = new RawSocket(ws);
        sockets.push(s);
        resolve(s);
      });
      ws.once('error', reject);
    });
  }

  send(text: string): void {
    this.ws.send(text);
  }

  sendBinary(bytes: Buffer): void {
    this.ws.send(bytes, { binary: true });
  }

  async next(type: string, timeoutMs = 10_000): Promise<Received> {
    let found: Received | undefined;
    await waitUntil(() => (found = this.messages.find((m) => m.type === type)) !== undefined, {
      timeoutMs,
      what: `'${type}' on a raw socket`,
      describe: () => JSON.stringify(this.messages.map((m) => ({ type: m.type, code: m.code }))),
    });
    return found!;
  }

  close(): void {
    this.ws.terminate();
  }
}

async function expectError(socket: RawSocket, frame: string, code: ErrorCode, fatal?: boolean): Promise<Received> {
  const before = socket.messages.length;
  socket.send(frame);
  let error: Received | undefined;
  await waitUntil(() => (error = socket.messages.slice(before).find((m) => m.type === 'error')) !== undefined, {
    timeoutMs: 10_000,
    what: `error '${code}' for ${frame.slice(0, 80)}`,
    describe: () => JSON.stringify(socket.messages.slice(before)),
  });
  assert.equal(error!.code, code, `frame ${frame.slice(0, 80)}: ${JSON.stringify(error)}`);
  assert.equal(typeof error!.message, 'string');
  if (fatal !== undefined) assert.equal(error!.fatal, fatal, `fatal flag for ${code}`);
  return error!;
}

const join = (roomId: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, roomId, name: 'raw', media: { audio: false, video: false }, ...extra });

test('bad signaling input is refused with the right error, and nobody else notices', async (t) => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const wsUrl = webSocketUrl(server.url);
  const alice = await joinBot(server, roomId, 'alice');
  const bob = await joinBot(server, roomId, 'bob');
  bots.push(alice, bob);
  await bob.waitForPackets(alice.participantId, 'video', 50, 45_000);
  await alice.waitForPackets(bob.participantId, 'audio', 50, 45_000);
  const leftBefore = [alice.participantsLeft.length, bob.participantsLeft.length];

  await t.test('malformed JSON → bad-message', async () => {
    const s = await RawSocket.open(wsUrl);
    await expectError(s, '{"type": "join",', 'bad-message');
  });

  await t.test('unknown message type → bad-message', async () => {
    const s = await RawSocket.open(wsUrl);
    await expectError(s, JSON.stringify({ type: 'format-disk' }), 'bad-message');
  });

  await t.test('oversized frame → too-large', async () => {
    const s = await RawSocket.open(wsUrl);
    // Valid JSON, just too big: the size check must not depend on parsing.
    await expectError(s, JSON.stringify({ type: 'answer', offerId: 1, sdp: 'x'.repeat(MAX_MESSAGE_BYTES + 1024) }), 'too-large');
  });

  await t.test('answer before join → wrong-state', async () => {
    const s = await RawSocket.open(wsUrl);
    await expectError(s, JSON.stringify({ type: 'answer', offerId: 1, sdp: 'v=0\r\n' }), 'wrong-state');
  });

  await t.test('join to an unknown room → room-not-found, fatal, socket closed', async () => {
    const s = await RawSocket.open(wsUrl);
    await expectError(s, join('noSuchRoom0123456789'), 'room-not-found', true);
    await waitUntil(() => s.closed, { timeoutMs: 10_000, what: 'the server to close the socket after a fatal error' });
  });

  await t.test('a join for another room than the socket URL names → bad-request, fatal', async () => {
    const s = await RawSocket.open(webSocketUrl(server!.url, 'someOtherRoom0123456'));
    await expectError(s, join(roomId), 'bad-request', true);
    await waitUntil(() => s.closed, { timeoutMs: 10_000, what: 'the server to close the socket after a fatal error' });
  });

  await t.test('request targets that are no URL get an HTTP error; the server and the meeting go on', async () => {
    for (const head of ['GET http://[ HTTP/1.1', 'GET http://[ HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']) {
      const answer = await rawRequest(server!.url, `${head}\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 4\d\d /, `${head.slice(0, 40)} → ${answer.slice(0, 80)}`);
    }
    assert.equal((await fetch(new URL('/healthz', server!.url))).status, 200);
  });

  await t.test('a refused socket upgrade that the client resets does not take the server down', async () => {
    const { hostname, port } = new URL(server!.url);
    for (const target of ['/not-ws', 'http://[']) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`));
        socket.once('data', () => {
          socket.resetAndDestroy();
          resolve();
        });
        socket.once('error', reject);
      });
    }
    await sleep(200);
    assert.equal((await fetch(new URL('/healthz', server!.url))).status, 200);
    assert.equal(alice.ended, null);
  });

  await t.test('wrong protocol version → unsupported-version', async () => {
    const s = await RawSocket.open(wsUrl);
    await expectError(s, join(roomId, { v: PROTOCOL_VERSION + 1 }), 'unsupported-version');
  });

  await t.test('invalid SDP in an answer → bad-sdp', async () => {
    // In the bots' room: a participant with a broken answer must not disturb the others.
    const s = await RawSocket.open(wsUrl);
    s.send(join(roomId));
    await s.next('joined');
    const offer = await s.next('offer');
    await expectError(s, JSON.stringify({ type: 'answer', offerId: offer.offerId, sdp: 'this is not SDP' }), 'bad-sdp');
  });

  await t.test('binary frame → bad-message', async () => {
    const s = await RawSocket.open(wsUrl);
    const before = s.messages.length;
    s.sendBinary(Buffer.from([0x80, 0x60, 0x00, 0x01]));
    await waitUntil(() => s.messages.slice(before).some((m) => m.type === 'error'), { timeoutMs: 10_000, what: 'an error for a binary frame' });
    assert.equal(s.messages.slice(before).find((m) => m.type === 'error')?.code, 'bad-message');
  });

  await t.test('unknown mid in a candidate, after joining → bad-message', async () => {
    // In a room of its own, so the bots' join/leave counts below stay exact.
    const other = await createRoom(server!.url);
    const s = await RawSocket.open(wsUrl);
    s.send(join(other.roomId));
    await s.next('joined');
    await expectError(s, JSON.stringify({ type: 'candidate', candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', mid: '999' }), 'bad-message');
  });

  await t.test('a flood is answered with rate-limited, then the flooder is disconnected', async () => {
    const s = await RawSocket.open(wsUrl);
    for (let i = 0; i < 200; i++) s.send(JSON.stringify({ type: 'media-state', media: { audio: true, video: true } }));
    await waitUntil(() => s.closed, { timeoutMs: 10_000, what: 'the server to disconnect a flooding client' });
    const codes = new Set(s.messages.filter((m) => m.type === 'error').map((m) => m.code));
    assert.ok(codes.has('rate-limited'), `errors seen: ${[...codes].join(', ')}`);
    const last = s.messages.filter((m) => m.type === 'error').at(-1);
    assert.equal(last?.fatal, true, 'the disconnecting error says it is fatal');
  });

  await t.test('the server still serves, and the room’s bots saw nothing', async () => {
    const fresh = await createRoom(server!.url);
    assert.ok(fresh.roomId);
    const counts = [bob.packetsFrom(alice.participantId, 'video'), alice.packetsFrom(bob.participantId, 'audio')];
    await sleep(1500);
    assert.ok(bob.packetsFrom(alice.participantId, 'video') > counts[0]!, 'bob stopped receiving alice’s video');
    assert.ok(alice.packetsFrom(bob.participantId, 'audio') > counts[1]!, 'alice stopped receiving bob’s audio');
    for (const [i, b] of [alice, bob].entries()) {
      assert.deepEqual(b.errors, [], `${b.name} got errors`);
      assert.deepEqual(b.localErrors, [], `${b.name} had bot errors`);
      assert.equal(b.participantsLeft.length, leftBefore[i], `${b.name} saw someone leave`);
      // alice saw bob join; both saw the raw participant of the bad-sdp case.
      assert.equal(b.participantsJoined.length, i === 0 ? 2 : 1, `${b.name} saw unexpected joins`);
      assert.equal(b.peerConnectionState, 'connected');
      const s = b.inboundStats();
      assert.ok(s.every((x) => x.lost === 0 && x.duplicates === 0), `${b.name} lost packets: ${JSON.stringify(s)}`);
    }
  });
});
