import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerMessage } from '@treff/protocol';
import type { JoinTicket, Room } from './room.js';
import { RoomError } from './room-error.js';
import type { MessageSink, Participant } from './participant.js';
import { Inbox as RecordingInbox, openRoomTestBed } from './test-room.js';

const bed = await openRoomTestBed();
const { storage } = bed;
const media = { audio: true, video: true };

class Inbox extends RecordingInbox {
  /** Offers are created on the next turn of the event loop, batched. */
  async nextOffer(count: number): Promise<Extract<ServerMessage, { type: 'offer' }>> {
    for (let i = 0; i < 100 && this.of('offer').length < count; i++) await new Promise((r) => setTimeout(r, 10));
    const offer = this.of('offer')[count - 1];
    assert.ok(offer, `offer #${count} never came`);
    const mids = [...offer.sdp.matchAll(/^a=mid:(\S+)/gm)].map((m) => m[1]);
    for (const slot of offer.slots) assert.ok(mids.includes(slot.mid), `slot ${slot.mid} is not an m-line of offer ${offer.offerId} (${mids.join(',')})`);
    assert.doesNotMatch(offer.sdp, /a=candidate/, 'candidates are trickled after the answer, never in offers');
    return offer;
  }
}

/**
 * A minimal valid RTP packet (RFC 3550 §5.1) of the payload type Treff negotiates for the kind; video is
 * the low simulcast layer (rid "l" in the RFC 8852 header extension) and a keyframe.
 */
function rtp(kind: 'audio' | 'video', seq: number): Buffer {
  const packet = Buffer.alloc(44);
  packet[0] = kind === 'audio' ? 0x80 : 0x90;
  packet[1] = kind === 'audio' ? 111 : 96;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 960, 4);
  packet.writeUInt32BE(kind === 'audio' ? 0x1111 : 0x2222, 8);
  if (kind === 'video') {
    packet.writeUInt16BE(0xbede, 12);
    packet.writeUInt16BE(1, 14);
    packet[16] = 2 << 4; // id 2 (rid), one byte
    packet[17] = 'l'.charCodeAt(0);
    packet[20] = 0x10; // VP8 descriptor: start of partition 0 (RFC 7741 §4.2); next byte 0 = keyframe
  }
  return packet;
}

/** Makes a participant's tracks carry media, as a browser that publishes would. */
function publish(p: Participant): void {
  for (const producer of p.producers) producer.receive(rtp(producer.kind, 1), performance.now());
}

function newRoom(max = 10): Promise<Room> {
  return bed.newRoom({ maxParticipants: max });
}

function ticketFor(name: string, role: 'host' | 'guest', state: typeof media, sink: MessageSink, onAdmitted: JoinTicket['onAdmitted']): JoinTicket {
  return {
    name,
    role,
    media: state,
    sink,
    identity: { hostLink: role === 'host', groupAdmin: false, memberId: null, inviteId: null, deviceHash: null },
    origin: 'http://treff.test',
    address: '127.0.0.1',
    e2ee: null,
    onAdmitted,
  };
}

/** Enters the room straight away (no lobby, no lock in these tests). */
function join(room: Room, name: string, role: 'host' | 'guest', state: typeof media, sink: MessageSink): Participant {
  const entered = room.enter(ticketFor(name, role, state, sink, () => assert.fail('nobody knocks in these tests')));
  assert.ok('participant' in entered);
  return entered.participant;
}

/** An Opus packet with an RFC 6464 audio level of -20 dBov, voice: what a speaking participant sends. */
function speech(seq: number): Buffer {
  const packet = Buffer.alloc(40);
  packet[0] = 0x90; // V=2, X=1
  packet[1] = 111;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 960, 4);
  packet.writeUInt32BE(0x1111, 8);
  packet.writeUInt16BE(0xbede, 12);
  packet.writeUInt16BE(1, 14);
  packet[16] = 1 << 4; // id 1 (audio level), one byte
  packet[17] = 0x80 | 20;
  return packet;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a joiner gets the room state, a simulcast send slot, and a receiving slot for each live camera', async () => {
  const room = await newRoom();
  const alice = new Inbox();
  const bob = new Inbox();
  const a = join(room, 'Alice', 'host', media, alice);
  publish(a);
  const aliceOffer = await alice.nextOffer(1);
  assert.deepEqual(aliceOffer.slots, [
    { mid: '0', kind: 'audio', direction: 'send' },
    { mid: '1', kind: 'video', direction: 'send', simulcast: ['l', 'm', 'h'] },
  ]);
  assert.match(aliceOffer.sdp, /a=simulcast:recv l;m;h/);

  const b = join(room, 'Bob', 'guest', media, bob);
  const joined = bob.of('joined')[0];
  assert.ok(joined);
  assert.equal(joined.self.name, 'Bob');
  assert.equal(joined.self.role, 'guest');
  assert.deepEqual(joined.participants.map((p) => p.name), ['Alice']);
  assert.equal(alice.of('participant-joined')[0]?.participant.id, b.id);

  const bobOffer = await bob.nextOffer(1);
  const recv = bobOffer.slots.filter((s) => s.direction === 'recv');
  assert.deepEqual(recv.map((s) => s.kind), ['video'], 'one video slot for Alice; no audio slot while nobody speaks');
  const [slot] = b.transport.receivers('video');
  assert.equal(slot?.wantedProducer, a.producers[1]);
  // Alice's next offer (after she answers the first) will add a slot for Bob's camera once it is live.
  assert.equal(a.transport.outstandingOffer?.offerId, aliceOffer.offerId);
  room.close();
});

test('a camera is sent once it carries media; audio only while someone speaks (top-N)', async () => {
  const room = await newRoom();
  const a = join(room, 'Alice', 'host', media, new Inbox());
  const bob = new Inbox();
  const b = join(room, 'Bob', 'guest', media, bob);
  await sleep(150);
  assert.equal(b.transport.consumers.length, 0, 'nothing to receive from a silent participant with the camera off');
  const [audio, video] = a.producers;
  assert.ok(audio && video);
  video.receive(rtp('video', 1), performance.now());
  await sleep(10);
  assert.deepEqual(b.transport.receivers('video').map((c) => c.wantedProducer), [video]);
  for (let seq = 1; seq <= 10; seq++) audio.receive(speech(seq), performance.now());
  await sleep(150);
  assert.deepEqual(b.transport.receivers('audio').map((c) => c.wantedProducer), [audio], 'Alice speaks: Bob receives her');
  assert.equal(a.transport.consumers.length, 0, 'nobody receives their own tracks');
  // The slot switches to Alice's audio at her next packet, and Bob is told.
  audio.receive(speech(11), performance.now());
  video.receive(rtp('video', 2), performance.now()); // a keyframe: the video slot switches too
  await sleep(10);
  const sources = bob.of('slot-sources').flatMap((m) => m.sources);
  assert.deepEqual(sources.map((s) => s.participantId).sort(), [a.id, a.id]);
  const c = join(room, 'Cem', 'guest', media, new Inbox());
  await sleep(150);
  assert.deepEqual(c.transport.receivers('video').map((x) => x.wantedProducer), [video], 'a late joiner gets live cameras at once');
  room.close();
});

test('tracks added while an offer is being made go into the next offer, never into its slots', async () => {
  const room = await newRoom();
  const alice = new Inbox();
  join(room, 'Alice', 'host', media, alice);
  // Bob joins (already publishing) while Alice's first offer waits for ICE gathering.
  await new Promise((r) => setImmediate(r));
  publish(join(room, 'Bob', 'guest', media, new Inbox()));
  const offer = await alice.nextOffer(1);
  assert.equal(alice.of('offer').length, 1, 'one offer at a time');
  assert.deepEqual(offer.slots.map((s) => s.direction), ['send', 'send']);
  room.close();
});

test('leaving tells the others, and the last one out empties the room', async () => {
  const room = await newRoom();
  const alice = new Inbox();
  const a = join(room, 'Alice', 'host', media, alice);
  const b = join(room, 'Bob', 'guest', media, new Inbox());
  let empty = 0;
  room.on('empty', () => empty++);
  room.leave(b, 'left');
  assert.equal(alice.of('participant-left')[0]?.participantId, b.id);
  assert.equal(room.size, 1);
  assert.equal(empty, 0);
  room.leave(b, 'left'); // twice is harmless
  room.leave(a, 'left');
  assert.equal(empty, 1);
  assert.equal(a.transport.state, 'closed');
  room.close();
});

test('a full room refuses the next joiner', async () => {
  const room = await newRoom(2);
  join(room, 'A', 'guest', media, new Inbox());
  join(room, 'B', 'guest', media, new Inbox());
  assert.throws(() => join(room, 'C', 'guest', media, new Inbox()), (err) => err instanceof RoomError && err.code === 'room-full');
  room.close();
});

test('media state changes reach everyone', async () => {
  const room = await newRoom();
  const alice = new Inbox();
  join(room, 'Alice', 'guest', media, alice);
  const b = join(room, 'Bob', 'guest', media, new Inbox());
  room.setMedia(b, { audio: false, video: true });
  assert.deepEqual(alice.of('participant-updated')[0]?.participant.media, { audio: false, video: true });
  room.close();
});

test('a dropped socket keeps the place for the grace period; resume replays state and the outstanding offer', async () => {
  const room = await newRoom();
  const first = new Inbox();
  const a = join(room, 'Alice', 'guest', media, first);
  const offer = await first.nextOffer(1);
  room.detach(a, 60_000);
  assert.equal(room.size, 1);
  const second = new Inbox();
  room.resume(a, second, 'http://treff.test');
  assert.equal(second.of('joined')[0]?.resumed, true);
  assert.equal(first.disconnectedFor, null, 'a detached sink has nothing to replace');
  const third = new Inbox();
  room.resume(a, third, 'http://treff.test');
  assert.equal(second.disconnectedFor, 'resumed on another connection', 'a resume while the old connection lives takes over from it');
  assert.equal(second.of('offer')[0]?.offerId, offer.offerId);
  room.close();
});

test('cameras the SFU holds back for a downlink go to that participant as video-paused, and again after a resume', async () => {
  const room = await newRoom();
  const first = new Inbox();
  const a = join(room, 'Alice', 'guest', media, first);
  const bob = join(room, 'Bob', 'guest', media, new Inbox());
  a.transport.setPausedVideo([bob.id]);
  assert.deepEqual(first.of('video-paused'), [{ type: 'video-paused', participantIds: [bob.id] }]);
  room.detach(a, 60_000);
  const second = new Inbox();
  room.resume(a, second, 'http://treff.test');
  assert.deepEqual(second.of('video-paused'), [{ type: 'video-paused', participantIds: [bob.id] }], 'what a dropped socket missed is the current list');
  room.close();
});

test('a participant that does not come back within the grace period leaves', async () => {
  const room = await newRoom();
  const alice = new Inbox();
  join(room, 'Alice', 'guest', media, alice);
  const b = join(room, 'Bob', 'guest', media, new Inbox());
  room.detach(b, 20);
  assert.equal(room.size, 2, 'still there during the grace period');
  // Poll rather than sleep a fixed time: a loaded machine may fire the timer late.
  for (let i = 0; i < 200 && room.size > 1; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(room.size, 1);
  assert.equal(alice.of('participant-left')[0]?.participantId, b.id);
  room.close();
});

test('when the last host leaves, the longest-present participant becomes host and learns the lobby', async () => {
  const room = await newRoom();
  const h = join(room, 'Host', 'host', media, new Inbox());
  const firstInbox = new Inbox();
  const first = join(room, 'First', 'guest', media, firstInbox);
  const secondInbox = new Inbox();
  join(room, 'Second', 'guest', media, secondInbox);
  room.leave(h, 'left');
  assert.equal(first.role, 'host');
  assert.deepEqual(secondInbox.of('participant-updated').map((m) => [m.participant.id, m.participant.role]), [[first.id, 'host']]);
  assert.equal(firstInbox.of('lobby').length, 1, 'a new host is told who waits');
  assert.notEqual(firstInbox.of('room-updated').at(-1)?.room.link, undefined);
  room.close();
});

test('lobby: knocks wait, moderators are told, admit lets in, deny ends; a full room turns an admitted knock away', async () => {
  const room = await newRoom(2);
  room.adopt(await storage.rooms.updateSettings(room.record.key, { lobby: true }));
  const hostInbox = new Inbox();
  join(room, 'Host', 'host', media, hostInbox);
  assert.deepEqual(hostInbox.of('lobby').at(-1)?.waiting, [], 'a host learns the lobby on joining');
  const admittedAs: Participant[] = [];
  const knocks = ['A', 'B', 'C'].map((name) => {
    const inbox = new Inbox();
    const entered = room.enter(ticketFor(name, 'guest', media, inbox, (p) => admittedAs.push(p)));
    assert.ok('knock' in entered);
    assert.equal(inbox.of('lobby-waiting').length, 1);
    return { inbox, id: entered.knock.entry.id };
  });
  assert.deepEqual(hostInbox.of('lobby').at(-1)?.waiting.map((e) => e.name), ['A', 'B', 'C']);
  const [a, b, c] = knocks as [(typeof knocks)[0], (typeof knocks)[0], (typeof knocks)[0]];
  const take = (ids: string[]) => {
    const result = room.lobby.take(ids);
    assert.ok('taken' in result);
    return result.taken;
  };
  room.deny(take([b.id]));
  assert.equal(b.inbox.of('ended')[0]?.reason, 'denied');
  assert.equal(b.inbox.disconnectedFor, 'denied');
  await room.admit(take([a.id, c.id]));
  assert.equal(a.inbox.of('joined').length, 1);
  assert.equal(admittedAs.length, 1, 'the room holds 2: the second admitted knock is turned away');
  assert.equal(c.inbox.of('error')[0]?.code, 'room-full');
  assert.equal(c.inbox.disconnectedFor, 'room-full');
  assert.deepEqual(hostInbox.of('lobby').at(-1)?.waiting, []);
  room.close();
});

test('a meeting answers to its former ids after link rotations, the latest 20 of them: rotating in a loop does not grow it', async () => {
  const room = await bed.openRoom();
  const first = room.id;
  for (let i = 0; i < 50; i++) room.adopt(await bed.storage.rooms.rotateId(room.record.key, `rotated${String(i).padStart(2, '0')}abcdefghijkl`));
  assert.equal(room.ids.length, 21);
  assert.equal(room.ids[0], 'rotated49abcdefghijkl');
  assert.ok(room.answersTo('rotated48abcdefghijkl') && room.answersTo('rotated29abcdefghijkl'));
  assert.ok(!room.answersTo('rotated28abcdefghijkl') && !room.answersTo(first));
  room.close();
});
