// A subscriber's generic NACK (RFC 4585 §6.2.1) reaches the server, which retransmits the packet
// from its cache — and only for packets it actually forwarded.
//
// Why this is observed through the server's /metrics and not at the bot: the bot can only NACK a
// packet it received (loopback loses nothing), and libsrtp's replay protection in the bot's
// libdatachannel (RFC 3711 §3.3.2) silently drops a second copy of an SRTP index it has seen, so a
// correct retransmission never reaches JavaScript. Checking that the retransmission arrives with
// the same SSRC/sequence/timestamp needs real loss: a UDP relay that drops chosen packets (next step).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { sleep, type Bot } from '@treff/load';
import { exitWhenDone, joinBot, newRoom, startTestServer } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
exitWhenDone(async () => {
  for (const b of bots) b.close();
  await server?.close();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', server!.url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `metric ${name} missing`);
  return Number(line.split(' ')[1]);
}

test('the server answers a subscriber NACK from its packet cache', async () => {
  server = await startTestServer();
  const roomId = await newRoom(server);
  const publisher = await joinBot(server, roomId, 'publisher');
  const subscriber = await joinBot(server, roomId, 'subscriber');
  bots.push(publisher, subscriber);
  await subscriber.waitForPackets(publisher.participantId, 'video', 60, 45_000);
  const [stream] = subscriber.streamsFrom(publisher.participantId, 'video');
  assert.ok(stream, 'no video stream from the publisher');

  const nacks0 = await metric('treff_sfu_nacks_received_total');
  const retx0 = await metric('treff_sfu_retransmissions_total');
  // Never forwarded (far ahead of the stream): must not produce a retransmission.
  assert.ok(subscriber.sendNack(stream.mid, stream.ssrc, [(stream.highestSequenceNumber + 20000) & 0xffff]));
  await sleep(500);
  assert.equal(await metric('treff_sfu_retransmissions_total'), retx0, 'retransmitted a packet that was never forwarded');

  // Forwarded ~0.4 s ago (50 packets/s): well inside the cache.
  const wanted = (stream.highestSequenceNumber - 20) & 0xffff;
  let retx = retx0;
  for (let attempt = 0; attempt < 10 && retx === retx0; attempt++) {
    assert.ok(subscriber.sendNack(stream.mid, stream.ssrc, [wanted]), 'sending the NACK failed');
    await sleep(300);
    retx = await metric('treff_sfu_retransmissions_total');
  }
  assert.ok((await metric('treff_sfu_nacks_received_total')) >= nacks0 + 2, 'the server did not count the NACKs');
  assert.ok(retx > retx0, 'no retransmission for a cached packet');
  assert.deepEqual(subscriber.errors, []);
  assert.deepEqual(subscriber.localErrors, []);
});
