import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignBreakout,
  BREAKOUT_BROADCAST_RATE,
  broadcastToBreakouts,
  Breakouts,
  closeBreakouts,
  joinBreakout,
  openBreakouts,
  spread,
  type BreakoutClock,
  type BreakoutRequest,
} from './breakouts.js';
import type { Participant } from './participant.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';
import { startScreenShare } from './screen-share.js';
import { react, sendChat } from './together.js';
import { enter, Inbox, openRoomTestBed, plainIdentity, ticket } from './test-room.js';

const { newRoom } = await openRoomTestBed();

/** A clock the test moves by hand; timers fire as it passes them. */
class ManualClock implements BreakoutClock {
  private t = 1000;
  private timers: { at: number; callback: () => void }[] = [];
  now(): number {
    return this.t;
  }
  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.t + ms, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((t) => t.at <= this.t);
    this.timers = this.timers.filter((t) => t.at > this.t);
    for (const timer of due) timer.callback();
  }
  get pending(): number {
    return this.timers.length;
  }
}

const refused = (code: string, pattern?: RegExp) => (err: unknown) => err instanceof RoomError && err.code === code && (pattern === undefined || pattern.test(err.message));

test('the timer: remainingMs is the time left when the state is built; expiry calls back once; stop cancels it', async () => {
  const clock = new ManualClock();
  const breakouts = new Breakouts(clock);
  let expired = 0;
  breakouts.start(['A'], false, 2, () => expired++);
  assert.equal(breakouts.state()?.remainingMs, 120_000);
  clock.advance(45_500);
  assert.equal(breakouts.state()?.remainingMs, 74_500);
  clock.advance(74_499);
  assert.equal(expired, 0);
  clock.advance(1);
  assert.equal(expired, 1);
  assert.equal(breakouts.state()?.remainingMs, 0, 'never below zero');

  breakouts.stop();
  assert.equal(breakouts.state(), null);
  breakouts.start(['B'], false, 1, () => expired++);
  breakouts.stop();
  assert.equal(clock.pending, 0, 'closing clears the timer');
  clock.advance(120_000);
  assert.equal(expired, 1);

  breakouts.start(['C'], true, null, () => expired++);
  assert.equal(breakouts.state()?.remainingMs, null);
  assert.equal(clock.pending, 0, 'no timer without minutes');
});

test('a stale timer of rooms closed and opened again does not close the new ones', async () => {
  // A clock whose cancel does nothing, as a timer already queued to run would behave.
  const clock = new ManualClock();
  const leaky: BreakoutClock = { now: () => clock.now(), setTimer: (callback, ms) => (clock.setTimer(callback, ms), () => {}) };
  const breakouts = new Breakouts(leaky);
  let expired = 0;
  breakouts.start(['A'], false, 1, () => expired++);
  breakouts.stop();
  breakouts.start(['B'], false, 5, () => expired++);
  clock.advance(60_000);
  assert.equal(expired, 0);
  clock.advance(240_000);
  assert.equal(expired, 1);
});

test('state: rooms with ids, assignments, self-select; opening twice is refused', async () => {
  const breakouts = new Breakouts(new ManualClock());
  assert.equal(breakouts.state(), null);
  const rooms = breakouts.start(['Red', 'Blue'], true, null, () => {});
  assert.equal(new Set(rooms.map((r) => r.id)).size, 2);
  assert.equal(breakouts.assign('p1', rooms[1]!.id), true);
  assert.equal(breakouts.assign('p1', rooms[1]!.id), false, 'no change');
  assert.deepEqual(breakouts.state(), {
    rooms: [
      { id: rooms[0]!.id, name: 'Red' },
      { id: rooms[1]!.id, name: 'Blue' },
    ],
    assignments: { p1: rooms[1]!.id },
    selfSelect: true,
    remainingMs: null,
  });
  assert.equal(breakouts.assign('p1', null), true);
  assert.equal(breakouts.assign('p1', null), false);
  assert.throws(() => breakouts.start(['Green'], false, null, () => {}), refused('bad-request', /already open/));
});

test('spread deals everyone evenly (sizes differ by at most one), in a shuffled order', async () => {
  const ids = Array.from({ length: 11 }, (_, i) => `p${i}`);
  const dealt = spread(ids, ['a', 'b', 'c']);
  assert.deepEqual([...dealt.keys()].sort(), [...ids].sort());
  const sizes = ['a', 'b', 'c'].map((r) => [...dealt.values()].filter((v) => v === r).length);
  assert.deepEqual(sizes, [4, 4, 3]);
  // Different random draws give different rooms to the same people.
  let n = 0;
  const counter = () => ((n = (n * 7 + 3) % 11) / 11);
  const other = spread(ids, ['a', 'b', 'c'], counter);
  assert.notDeepEqual([...other].sort(), [...spread(ids, ['a', 'b', 'c'], () => 0)].sort());
  assert.deepEqual([...spread([], ['a'])], []);
});

const request = (more: Partial<BreakoutRequest> = {}): BreakoutRequest => ({ rooms: ['Red', 'Blue'], assign: 'manual', minutes: null, selfSelect: false, ...more });

async function meeting(guests: number): Promise<{ room: Room; host: Participant; hostBox: Inbox; people: Participant[]; boxes: Inbox[] }> {
  const room = await newRoom();
  const hostBox = new Inbox();
  const host = enter(room, ticket('Hana', { role: 'host', identity: plainIdentity({ hostLink: true }), sink: hostBox }));
  const boxes = Array.from({ length: guests }, () => new Inbox());
  const people = boxes.map((sink, i) => enter(room, ticket(`Guest ${i}`, { sink })));
  return { room, host, hostBox, people, boxes };
}

const roomIds = (room: Room) => room.breakouts.rooms.map((r) => r.id);
const lastUpdateOf = (box: Inbox, id: string) => box.of('participant-updated').filter((m) => m.participant.id === id).at(-1)?.participant;

test('random: everyone but hosts and co-hosts is spread evenly and moved at once; rooms are announced before the moves', async () => {
  const { room, host, hostBox, people, boxes } = await meeting(5);
  room.changeRole(people[4]!, 'cohost');
  hostBox.messages.length = 0;
  openBreakouts(room, host, request({ assign: 'random', rooms: ['Red', 'Blue'] }));
  const state = hostBox.of('breakouts')[0]!.state!;
  assert.equal(hostBox.messages[0]!.type, 'breakouts');
  assert.deepEqual(Object.keys(state.assignments).sort(), people.slice(0, 4).map((p) => p.id).sort(), 'the co-host and the host stay');
  assert.deepEqual(roomIds(room).map((id) => Object.values(state.assignments).filter((a) => a === id).length), [2, 2]);
  for (const p of people.slice(0, 4)) {
    assert.equal(p.breakout, state.assignments[p.id]);
    assert.equal(lastUpdateOf(hostBox, p.id)?.breakout, p.breakout);
    assert.equal(lastUpdateOf(boxes[people.indexOf(p)]!, p.id)?.breakout, p.breakout, 'the mover’s own update too');
  }
  assert.equal(host.breakout, null);
  assert.equal(people[4]!.breakout, null);
  assert.equal('breakout' in host.info(), false, 'absent in the main room');
  // Someone joining now lands in the main room and learns the rooms.
  const late = new Inbox();
  const newcomer = enter(room, ticket('Late', { sink: late }));
  assert.equal(newcomer.breakout, null);
  assert.deepEqual(late.of('joined')[0]!.breakouts?.rooms, state.rooms);
  assert.equal(late.of('joined')[0]!.participants.find((p) => p.id === people[0]!.id)?.breakout, people[0]!.breakout);
});

test('manual: nobody moves until assigned; assign moves at once and tells everyone the assignments', async () => {
  const { room, host, hostBox, people } = await meeting(2);
  openBreakouts(room, host, request());
  assert.deepEqual(hostBox.of('breakouts')[0]!.state!.assignments, {});
  assert.ok(people.every((p) => p.breakout === null));
  const [red, blue] = roomIds(room) as [string, string];
  assignBreakout(room, host, people[0]!.id, red);
  assert.equal(people[0]!.breakout, red);
  assert.deepEqual(hostBox.of('breakouts').at(-1)!.state!.assignments, { [people[0]!.id]: red });
  assignBreakout(room, host, people[0]!.id, blue);
  assert.equal(people[0]!.breakout, blue);
  assignBreakout(room, host, people[0]!.id, null);
  assert.equal(people[0]!.breakout, null);
  assert.deepEqual(hostBox.of('breakouts').at(-1)!.state!.assignments, {});
  // A host may put themselves somewhere too.
  assignBreakout(room, host, host.id, red);
  assert.equal(host.breakout, red);
});

test('bad input: guests may not manage, unknown participants and rooms are not found, opening twice is refused', async () => {
  const { room, host, people } = await meeting(1);
  const guest = people[0]!;
  assert.throws(() => openBreakouts(room, guest, request()), refused('forbidden'));
  assert.throws(() => assignBreakout(room, host, guest.id, 'nope'), refused('bad-request', /no breakout rooms are open/));
  assert.throws(() => closeBreakouts(room, host), refused('bad-request'));
  assert.throws(() => broadcastToBreakouts(room, host, 'hi'), refused('bad-request'));
  assert.throws(() => joinBreakout(room, guest, 'nope'), refused('not-found'));
  openBreakouts(room, host, request());
  assert.throws(() => openBreakouts(room, host, request()), refused('bad-request', /already open/));
  assert.throws(() => assignBreakout(room, host, 'nobody-here', roomIds(room)[0]!), refused('not-found', /participant/));
  assert.throws(() => assignBreakout(room, host, guest.id, 'nope'), refused('not-found', /breakout room/));
  assert.throws(() => assignBreakout(room, guest, guest.id, roomIds(room)[0]!), refused('forbidden'));
  assert.throws(() => broadcastToBreakouts(room, guest, 'hi'), refused('forbidden'));
  assert.throws(() => closeBreakouts(room, guest), refused('forbidden'));
  assert.throws(() => joinBreakout(room, guest, 'nope'), refused('not-found'));
});

test('self-select: one’s own room and the main room always, others only with selfSelect; moderators anywhere', async () => {
  const { room, host, people } = await meeting(2);
  openBreakouts(room, host, request());
  const [red, blue] = roomIds(room) as [string, string];
  const [ana, ben] = people as [Participant, Participant];
  assignBreakout(room, host, ana.id, red);
  joinBreakout(room, ana, null);
  assert.equal(ana.breakout, null);
  assert.equal(room.breakouts.assignmentOf(ana.id), red, 'going to the main room keeps the assignment');
  joinBreakout(room, ana, red);
  assert.equal(ana.breakout, red);
  assert.throws(() => joinBreakout(room, ana, blue), refused('forbidden'));
  assert.throws(() => joinBreakout(room, ben, red), refused('forbidden'));
  joinBreakout(room, host, blue);
  assert.equal(host.breakout, blue);

  closeBreakouts(room, host);
  openBreakouts(room, host, request({ selfSelect: true }));
  const [green] = roomIds(room) as [string];
  joinBreakout(room, ben, green);
  assert.equal(ben.breakout, green);
  assert.equal(room.breakouts.assignmentOf(ben.id), null, 'choosing a room is not an assignment');
});

test('close brings everyone back (moves first, then the rooms are gone); a broadcast reaches every room', async () => {
  const { room, host, hostBox, people, boxes } = await meeting(3);
  openBreakouts(room, host, request({ assign: 'random', rooms: ['A', 'B', 'C'] }));
  broadcastToBreakouts(room, host, 'Five minutes left');
  for (const box of [hostBox, ...boxes]) {
    assert.deepEqual(
      box.of('breakout-message').map((m) => [m.from, m.fromName, m.text]),
      [[host.id, 'Hana', 'Five minutes left']],
    );
  }
  hostBox.messages.length = 0;
  closeBreakouts(room, host);
  assert.ok(people.every((p) => p.breakout === null));
  assert.equal(room.breakouts.isOpen, false);
  assert.deepEqual(hostBox.messages.at(-1), { type: 'breakouts', state: null });
  assert.deepEqual(
    hostBox.of('participant-updated').map((m) => [m.participant.id, m.participant.breakout]),
    people.map((p) => [p.id, undefined]),
  );
  assert.throws(() => broadcastToBreakouts(room, host, 'again'), refused('bad-request'));
});

test('public chat stays in its room, history included; private messages cross rooms', async () => {
  const { room, host, hostBox, people, boxes } = await meeting(3);
  openBreakouts(room, host, request());
  const [red] = roomIds(room) as [string];
  const [ana, ben, cem] = people as [Participant, Participant, Participant];
  assignBreakout(room, host, ana.id, red);
  assignBreakout(room, host, ben.id, red);
  sendChat(room, ana, { text: 'in red' }, undefined);
  sendChat(room, cem, { text: 'in main' }, undefined);
  sendChat(room, cem, { text: 'psst' }, ana.id);
  const texts = (box: Inbox) => box.of('chat-message').map((m) => [m.text, m.breakout]);
  assert.deepEqual(texts(boxes[0]!), [['in red', red], ['psst', undefined]]);
  assert.deepEqual(texts(boxes[1]!), [['in red', red]]);
  assert.deepEqual(texts(boxes[2]!), [['in main', undefined], ['psst', undefined]]);
  assert.deepEqual(texts(hostBox), [['in main', undefined]]);
  // The history in `joined` (as on a resume) is the room one is in.
  room.detach(ana, 60_000);
  const resumed = new Inbox();
  room.resume(ana, resumed, 'http://x');
  assert.deepEqual(resumed.of('joined')[0]!.chat?.map((m) => m.text), ['in red', 'psst']);
  assert.equal(resumed.of('joined')[0]!.self.breakout, red, 'a resumed session stays in its room');
  assert.equal(ana.breakout, red);
  const late = new Inbox();
  enter(room, ticket('Late', { sink: late }));
  assert.deepEqual(late.of('joined')[0]!.chat?.map((m) => m.text), ['in main']);
});

test('one screen share at a time holds per room; a move ends the mover’s share', async () => {
  const { room, host, people, boxes } = await meeting(2);
  const [ana, ben] = people as [Participant, Participant];
  openBreakouts(room, host, request({ selfSelect: true }));
  const [red] = roomIds(room) as [string];
  assignBreakout(room, host, ana.id, red);
  startScreenShare(room, ana, false);
  startScreenShare(room, ben, false);
  assert.ok(ana.sharingScreen && ben.sharingScreen, 'one in each room');
  assert.throws(() => startScreenShare(room, host, false), refused('bad-request', /one screen share at a time/));
  joinBreakout(room, ben, red);
  assert.equal(ben.sharingScreen, false);
  assert.deepEqual(
    boxes[0]!.of('participant-updated').filter((m) => m.participant.id === ben.id).slice(-2).map((m) => [m.participant.screen, m.participant.breakout]),
    [[false, undefined], [false, red]],
  );
});

test('a leaver loses their assignment (everyone is told); others keep theirs', async () => {
  const { room, host, hostBox, people } = await meeting(2);
  openBreakouts(room, host, request({ assign: 'random' }));
  const [ana, ben] = people as [Participant, Participant];
  const before = hostBox.of('breakouts').length;
  room.leave(ana, 'left');
  const after = hostBox.of('breakouts');
  assert.equal(after.length, before + 1);
  assert.deepEqual(Object.keys(after.at(-1)!.state!.assignments), [ben.id]);
  // Someone unassigned leaving changes nothing.
  room.leave(host, 'left');
  assert.equal(hostBox.of('breakouts').length, before + 1);
});

test('a mover is told the active speaker of the room they enter (none yet here)', async () => {
  const { room, host, people, boxes } = await meeting(1);
  openBreakouts(room, host, request());
  boxes[0]!.messages.length = 0;
  assignBreakout(room, host, people[0]!.id, roomIds(room)[0]!);
  assert.deepEqual(boxes[0]!.of('active-speaker'), [{ type: 'active-speaker', participantId: null }]);
});

test('when the timer runs out everyone is back in the main room and the rooms are gone', async (t) => {
  const { room, host, hostBox, people } = await meeting(2);
  t.mock.timers.enable({ apis: ['setTimeout'] });
  openBreakouts(room, host, request({ assign: 'random', minutes: 1 }));
  assert.ok(people.every((p) => p.breakout !== null));
  t.mock.timers.tick(59_999);
  assert.equal(room.breakouts.isOpen, true);
  t.mock.timers.tick(1);
  assert.equal(room.breakouts.isOpen, false);
  assert.ok(people.every((p) => p.breakout === null));
  assert.deepEqual(hostBox.messages.at(-1), { type: 'breakouts', state: null });
});

test('a co-host may move guests, co-hosts and themselves, but not a host', async () => {
  const { room, host, people } = await meeting(2);
  const [cohost, other] = people as [Participant, Participant];
  room.changeRole(cohost, 'cohost');
  room.changeRole(other, 'cohost');
  openBreakouts(room, host, request());
  const [red] = roomIds(room) as [string];
  assert.throws(() => assignBreakout(room, cohost, host.id, red), refused('forbidden', /host/));
  assert.equal(host.breakout, null);
  assert.equal(room.breakouts.assignmentOf(host.id), null, 'a refused move records nothing');
  assignBreakout(room, cohost, other.id, red);
  assignBreakout(room, cohost, cohost.id, red);
  assert.equal(other.breakout, red);
  assert.equal(cohost.breakout, red);
  assignBreakout(room, host, cohost.id, null);
  assert.equal(cohost.breakout, null);
});

test('moving oneself is rate-limited: three in a row, then one a second', async () => {
  const { room, host, people } = await meeting(1);
  const [ana] = people as [Participant];
  openBreakouts(room, host, request({ selfSelect: true }));
  const [red, blue] = roomIds(room) as [string, string];
  joinBreakout(room, ana, red);
  joinBreakout(room, ana, blue);
  joinBreakout(room, ana, null);
  assert.throws(() => joinBreakout(room, ana, red), refused('rate-limited'));
  assert.equal(ana.breakout, null, 'the refused move did not happen');
  // Someone else's moves are their own.
  joinBreakout(room, host, red);
  assert.equal(host.breakout, red);
});

test('broadcasts are rate-limited per moderator: a burst, then refused', async () => {
  const { room, host, hostBox } = await meeting(1);
  openBreakouts(room, host, request());
  for (let i = 0; i < BREAKOUT_BROADCAST_RATE.burst; i++) broadcastToBreakouts(room, host, `note ${i}`);
  assert.throws(() => broadcastToBreakouts(room, host, 'one more'), refused('rate-limited'));
  assert.equal(hostBox.of('breakout-message').length, BREAKOUT_BROADCAST_RATE.burst);
});

test('a co-host demoted to guest leaves a room they chose for their assigned room or the main room', async () => {
  const { room, host, people, boxes } = await meeting(2);
  const [ana, ben] = people as [Participant, Participant];
  room.changeRole(ana, 'cohost');
  room.changeRole(ben, 'cohost');
  openBreakouts(room, host, request());
  const [red, blue] = roomIds(room) as [string, string];
  joinBreakout(room, ana, red);
  assignBreakout(room, host, ben.id, blue);
  joinBreakout(room, ben, red);
  room.changeRole(ana, 'guest');
  assert.equal(ana.breakout, null, 'no assignment: the main room');
  assert.equal(lastUpdateOf(boxes[0]!, ana.id)?.breakout, undefined, 'and they are told');
  room.changeRole(ben, 'guest');
  assert.equal(ben.breakout, blue, 'back to the assigned room');

  // With self-select a guest could have gone there too: they stay.
  closeBreakouts(room, host);
  room.changeRole(ana, 'cohost');
  openBreakouts(room, host, request({ selfSelect: true }));
  const [green] = roomIds(room) as [string];
  joinBreakout(room, ana, green);
  room.changeRole(ana, 'guest');
  assert.equal(ana.breakout, green);
});

test('a reaction reaches only those in the sender’s room', async () => {
  const { room, host, hostBox, people, boxes } = await meeting(2);
  openBreakouts(room, host, request());
  const [red] = roomIds(room) as [string];
  const [ana] = people as [Participant, Participant];
  assignBreakout(room, host, ana.id, red);
  react(room, ana, '👍');
  react(room, host, '🎉');
  const seen = (box: Inbox) => box.of('reaction').map((m) => m.emoji);
  assert.deepEqual(seen(boxes[0]!), ['👍']);
  assert.deepEqual(seen(boxes[1]!), ['🎉']);
  assert.deepEqual(seen(hostBox), ['🎉']);
});
