import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerMessage } from '@treff/protocol';
import type { MessageSink, Participant } from './participant.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';
import { endScreenShare, startScreenShare, stopScreenShareOf } from './screen-share.js';
import { Inbox as RecordingInbox, openRoomTestBed } from './test-room.js';

const { storage, newRoom } = await openRoomTestBed();

class Inbox extends RecordingInbox {
  /** Offers come on a later turn of the event loop (batched, after ICE gathering). */
  async offerWhere(check: (offer: Extract<ServerMessage, { type: 'offer' }>) => boolean): Promise<Extract<ServerMessage, { type: 'offer' }>> {
    for (let i = 0; i < 200; i++) {
      const offer = this.of('offer').find(check);
      if (offer !== undefined) return offer;
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.fail(`no such offer among ${JSON.stringify(this.of('offer').map((o) => o.slots))}`);
  }
}

function join(room: Room, name: string, role: 'host' | 'guest', sink: MessageSink): Participant {
  const entered = room.enter({
    name,
    role,
    media: { audio: false, video: false },
    sink,
    identity: { hostLink: role === 'host', groupAdmin: false, memberId: null, inviteId: null, deviceHash: null },
    origin: 'http://treff.test',
    address: '127.0.0.1',
    e2ee: null,
    onAdmitted: () => assert.fail('nobody knocks in these tests'),
  });
  assert.ok('participant' in entered);
  return entered.participant;
}

/** A VP8 keyframe packet without extensions: what a screen (one encoding, no rid) sends. */
function screenPacket(seq: number): Buffer {
  const packet = Buffer.alloc(40);
  packet[0] = 0x80;
  packet[1] = 96;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 3000, 4);
  packet.writeUInt32BE(0x5555, 8);
  packet[12] = 0x10; // VP8 descriptor: start of partition 0; next byte 0 = keyframe
  return packet;
}

const refused = (code: string, pattern: RegExp) => (err: unknown) => err instanceof RoomError && err.code === code && pattern.test(err.message);
const screenOf = (inbox: Inbox, id: string) => inbox.of('participant-updated').filter((m) => m.participant.id === id).map((m) => m.participant.screen);

test('a share gives the sharer screen send slots and everyone else a screen slot carrying it; everyone learns screen: true', async () => {
  const room = await newRoom();
  const [benBox, anaBox, hostBox] = [new Inbox(), new Inbox(), new Inbox()];
  const ben = join(room, 'Ben', 'guest', benBox);
  const ana = join(room, 'Ana', 'guest', anaBox);
  assert.equal(ana.info().screen, false);
  startScreenShare(room, ana, true);
  assert.deepEqual(screenOf(benBox, ana.id), [true]);
  assert.deepEqual(screenOf(anaBox, ana.id), [true]);
  const sending = await anaBox.offerWhere((o) => o.slots.some((s) => s.source === 'screen'));
  assert.deepEqual(
    sending.slots.filter((s) => s.source === 'screen').map((s) => [s.kind, s.direction]),
    [['video', 'send'], ['audio', 'send']],
  );
  // One encoding: no simulcast for screens.
  assert.equal(sending.slots.some((s) => s.direction === 'send' && s.source === 'screen' && s.simulcast !== undefined), false);
  ana.screenProducers[0]!.receive(screenPacket(1), performance.now());
  // Someone joining during a share gets a screen slot for it in their first offer (nothing to subscribe to).
  const host = join(room, 'Hana', 'host', hostBox);
  assert.equal(hostBox.of('joined')[0]!.participants.find((p) => p.id === ana.id)?.screen, true);
  const receiving = await hostBox.offerWhere(() => true);
  const screens = receiving.slots.filter((s) => s.direction === 'recv' && s.source === 'screen');
  assert.deepEqual(screens.map((s) => s.kind), ['video']);
  // Camera slots never carry it (the slot switches to it at its first keyframe, told by slot-sources).
  assert.equal(receiving.slots.some((s) => s.direction === 'recv' && s.source === undefined && s.participantId === ana.id), false);
  assert.equal(host.transport.receivers('video', 'high')[0]!.wantedProducer, ana.screenProducers[0]);
  assert.equal(host.sharingScreen, false);
  room.close();
});

test('one share at a time unless the room allows several, moderators included; already sharing is refused', async () => {
  const room = await newRoom();
  const host = join(room, 'Hana', 'host', new Inbox());
  const ana = join(room, 'Ana', 'guest', new Inbox());
  const ben = join(room, 'Ben', 'guest', new Inbox());
  startScreenShare(room, ana, false);
  assert.throws(() => startScreenShare(room, ana, false), refused('bad-request', /already sharing/));
  for (const p of [ben, host]) {
    assert.throws(() => startScreenShare(room, p, false), refused('bad-request', /^Ana is sharing their screen; this meeting allows one screen share at a time$/));
    assert.equal(p.sharingScreen, false);
  }
  room.adopt(await storage.rooms.updateSettings(room.record.key, { multipleScreenShares: true }));
  startScreenShare(room, ben, false);
  assert.equal(ben.sharingScreen, true);
  // Turning it off keeps both shares going; a third waits.
  room.adopt(await storage.rooms.updateSettings(room.record.key, { multipleScreenShares: false }));
  assert.equal(ana.sharingScreen && ben.sharingScreen, true);
  assert.throws(() => startScreenShare(room, host, false), refused('bad-request', /one screen share at a time/));
  room.close();
});

test('moderators stop a share: the sharer is told by whom, its producers close, everyone learns screen: false', async () => {
  const room = await newRoom();
  const [hostBox, anaBox, benBox] = [new Inbox(), new Inbox(), new Inbox()];
  const host = join(room, 'Hana', 'host', hostBox);
  const ana = join(room, 'Ana', 'guest', anaBox);
  const ben = join(room, 'Ben', 'guest', benBox);
  startScreenShare(room, ana, true);
  const producers = [...ana.screenProducers];
  assert.throws(() => stopScreenShareOf(room, ben, ana.id), refused('forbidden', /may not stop screen share/));
  assert.throws(() => stopScreenShareOf(room, host, ben.id), refused('bad-request', /Ben is not sharing/));
  assert.throws(() => stopScreenShareOf(room, host, 'nobody'), refused('not-found', /not in this meeting/));
  assert.equal(ana.sharingScreen, true);
  stopScreenShareOf(room, host, ana.id);
  assert.deepEqual(anaBox.of('screen-share-stopped'), [{ type: 'screen-share-stopped', by: host.id }]);
  assert.deepEqual(screenOf(benBox, ana.id), [true, false]);
  assert.equal(ana.sharingScreen, false);
  assert.equal(producers.every((p) => !ana.transport.producers.includes(p)), true);
  // Ending one's own share tells nobody it was stopped; ending no share changes nothing.
  startScreenShare(room, ana, false);
  endScreenShare(room, ana);
  endScreenShare(room, ana);
  assert.equal(anaBox.of('screen-share-stopped').length, 1);
  assert.deepEqual(screenOf(benBox, ana.id), [true, false, true, false]);
  room.close();
});

test('a co-host may stop a guest’s share but not a host’s', async () => {
  const room = await newRoom();
  const host = join(room, 'Hana', 'host', new Inbox());
  const cohost = join(room, 'Cora', 'guest', new Inbox());
  const ana = join(room, 'Ana', 'guest', new Inbox());
  room.changeRole(cohost, 'cohost');
  room.adopt(await storage.rooms.updateSettings(room.record.key, { multipleScreenShares: true }));
  startScreenShare(room, host, false);
  startScreenShare(room, ana, false);
  assert.throws(() => stopScreenShareOf(room, cohost, host.id), refused('forbidden', /host/));
  stopScreenShareOf(room, cohost, ana.id);
  assert.equal(ana.sharingScreen, false);
  assert.equal(host.sharingScreen, true);
  room.close();
});

test('starting shares in a loop is rate-limited; the refusal changes nothing', async () => {
  const room = await newRoom();
  const ana = join(room, 'Ana', 'guest', new Inbox());
  for (let i = 0; i < 5; i++) {
    startScreenShare(room, ana, false);
    endScreenShare(room, ana);
  }
  assert.throws(() => startScreenShare(room, ana, false), refused('rate-limited', /too many screen shares/));
  assert.equal(ana.sharingScreen, false);
  room.close();
});
