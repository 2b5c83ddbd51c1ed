// Breakout rooms through the real server and SFU, with four talking guests publishing camera and
// microphone and a host: rooms opened by manual assignment separate media — bots in different rooms
// receive none of each other's audio or video, bots in the same room do — and the active speaker; public
// chat stays in its room while private messages cross; a broadcast reaches every room; guests move only to
// their own room or the main room unless self-select is on; closing brings everyone back and media flows
// between all again; random assignment spreads the guests evenly and keeps moderators in the main room;
// bad input gets the right error. (The timer's expiry is unit-tested with an injected clock in
// packages/server/src/rooms/breakouts.test.ts.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientMessageInput, ErrorCode, ServerMessage } from '@treff/protocol';
import type { RunningServer } from '@treff/server';
import { Bot, nowMs, sleep, waitUntil } from '@treff/load';
import { closeWhenDone, roomForBots, startTestServer, TEST_VIDEO } from './helpers.js';

let server: RunningServer | undefined;
const bots: Bot[] = [];
closeWhenDone(() => server, bots);

/** With four talkers, someone who does not talk hears three of them. */
const TOP_N = 3;

type Breakouts = Extract<ServerMessage, { type: 'breakouts' }>['state'];

/** Where `viewer` last heard `bot` is (its own `self` for itself); null: the main room. */
const roomOf = (viewer: Bot, bot: Bot): string | null =>
  (viewer === bot ? viewer.joined?.self.breakout : viewer.participants.get(bot.participantId)?.breakout) ?? null;

test('breakout rooms', async (t) => {
  server = await startTestServer({ audioTopN: TOP_N });
  const { hostSecret, join } = await roomForBots(server, 'breakouts', bots);
  const host = await join('Hana', { hostSecret, publish: { audio: false, video: false } });
  const [ana, ben, cem, dan] = [await join('Ana'), await join('Ben'), await join('Cem'), await join('Dan')] as [Bot, Bot, Bot, Bot];
  const guests = [ana, ben, cem, dan];
  const everyone = [host, ...guests];

  const refusal = async (bot: Bot, message: ClientMessageInput): Promise<ErrorCode> => {
    const before = bot.errors.length;
    bot.send(message as Parameters<Bot['send']>[0]);
    await waitUntil(() => bot.errors.length > before, { timeoutMs: 5000, what: `${bot.name}'s refusal of ${message.type}` });
    return bot.errors[before]!.code;
  };
  /** Sends a moderator's message and resolves with the `breakouts` state everyone then has. */
  const breakoutsAfter = async (message: ClientMessageInput): Promise<Breakouts> => {
    const updates = everyone.map((b) => b.nextSignal('breakouts', 5000));
    host.send(message as Parameters<Bot['send']>[0]);
    const states = await Promise.all(updates);
    return states[0]!.state;
  };
  /** Waits until every bot sees everyone where `where` says. */
  const placed = (where: Map<Bot, string | null>) =>
    waitUntil(() => everyone.every((viewer) => [...where].every(([bot, room]) => roomOf(viewer, bot) === room)), {
      timeoutMs: 5000,
      what: 'everyone to see the moves',
      describe: () => JSON.stringify(everyone.map((v) => [v.name, [...where.keys()].map((b) => roomOf(v, b))])),
    });
  const count = () => new Map(everyone.map((r) => [r, new Map(guests.map((s) => [s, { audio: r.packetsFrom(s.participantId, 'audio'), video: r.packetsFrom(s.participantId, 'video') }]))]));
  /**
   * Packets each bot receives from each guest: from a room mate over `ms`, once media has settled after the
   * moves to `rooms` (a slot that switches source waits for a key frame, and a room with more cameras than a
   * bot has slots renegotiates first); from anyone in another room since the call, made right after everyone
   * saw the moves — the SFU stops media across rooms as it moves someone, before it says so.
   */
  const packetsOver = async (ms: number, rooms: Map<Bot, string | null>): Promise<Map<Bot, Map<Bot, { audio: number; video: number }>>> => {
    const moved = count();
    const t0 = nowMs();
    const together = (r: Bot, s: Bot) => r !== s && rooms.get(r) === rooms.get(s);
    const flowing = (packets: number) => () =>
      everyone.every((r) => guests.every((s) => !together(r, s) || r.packetsFrom(s.participantId, 'video') - moved.get(r)!.get(s)!.video >= packets));
    await waitUntil(flowing(1), { timeoutMs: 15_000, what: 'video between everyone in the same room', describe: () => describe(count()) });
    console.log(`# video from every room mate at every bot ${(nowMs() - t0).toFixed(0)} ms after everyone saw the moves`);
    await waitUntil(flowing(10), { timeoutMs: 15_000, what: 'video flowing between everyone in the same room', describe: () => describe(count()) });
    await sleep(500);
    const before = count();
    await sleep(ms);
    const after = count();
    for (const [r, from] of after) for (const [s, n] of from) {
      const b = (together(r, s) ? before : moved).get(r)!.get(s)!;
      n.audio -= b.audio;
      n.video -= b.video;
    }
    return after;
  };
  const describe = (counts: Map<Bot, Map<Bot, { audio: number; video: number }>>) =>
    [...counts].map(([r, from]) => `${r.name}<-{${[...from].map(([s, n]) => `${s.name}:${n.audio}a/${n.video}v`).join(' ')}}`).join(' ');
  /**
   * Receivers get video from everyone in their room, audio from the loudest TOP_N of them (all talk alike),
   * and nothing from anyone else. Over 2 s a microphone sends 100 packets, the lowest camera layer about 50.
   */
  const assertSeparated = (counts: Map<Bot, Map<Bot, { audio: number; video: number }>>, rooms: Map<Bot, string | null>) => {
    for (const [receiver, from] of counts) {
      const mates = [...from.keys()].filter((sender) => sender !== receiver && rooms.get(sender) === rooms.get(receiver));
      for (const [sender, n] of from) {
        if (sender === receiver) continue;
        if (mates.includes(sender)) assert.ok(n.video > 20, `${receiver.name} is in ${sender.name}'s room and gets too little video: ${describe(counts)}`);
        else assert.equal(n.audio + n.video, 0, `${receiver.name} got ${sender.name}'s media across rooms: ${describe(counts)}`);
      }
      const heard = mates.filter((sender) => from.get(sender)!.audio > 60).length;
      assert.equal(heard, Math.min(TOP_N, mates.length), `${receiver.name} hears ${heard} of ${mates.length} in their room: ${describe(counts)}`);
    }
  };

  await t.test('bad input before any rooms are open', async () => {
    assert.equal(await refusal(ana, { type: 'breakout-open', rooms: ['X'], assign: 'manual', minutes: null, selfSelect: false }), 'forbidden');
    assert.equal(await refusal(host, { type: 'breakout-close' }), 'bad-request');
    assert.equal(await refusal(host, { type: 'breakout-broadcast', text: 'hello' }), 'bad-request');
    assert.equal(await refusal(ana, { type: 'breakout-join', breakoutId: 'nope' }), 'not-found');
    assert.equal(await refusal(host, { type: 'breakout-open', rooms: [], assign: 'manual', minutes: null, selfSelect: false }), 'bad-message');
    assert.equal(await refusal(host, { type: 'breakout-open', rooms: ['X'], assign: 'manual', minutes: 0, selfSelect: false }), 'bad-message');
  });

  let red = '';
  let blue = '';
  const rooms = new Map<Bot, string | null>();

  await t.test('manual assignment: bots in different rooms receive none of each other’s media, bots in the same one do', async () => {
    const state = await breakoutsAfter({ type: 'breakout-open', rooms: ['Red', 'Blue'], assign: 'manual', minutes: null, selfSelect: false });
    assert.ok(state !== null);
    assert.deepEqual(state.rooms.map((r) => r.name), ['Red', 'Blue']);
    assert.deepEqual(state.assignments, {});
    assert.equal(state.remainingMs, null);
    [red, blue] = state.rooms.map((r) => r.id) as [string, string];
    assert.ok(everyone.every((b) => roomOf(host, b) === null), 'manual moves nobody');
    assert.equal(await refusal(host, { type: 'breakout-open', rooms: ['Again'], assign: 'manual', minutes: null, selfSelect: false }), 'bad-request');

    for (const [bot, room] of [[host, null], [ana, red], [ben, red], [cem, blue], [dan, blue]] as const) rooms.set(bot, room);
    // Ana moves first: any speaker she is told of from then on is Red's (the main room's stays as it is until then).
    const speaker = ana.nextSignal('active-speaker', 10_000, (m) => m.participantId !== null);
    for (const guest of guests) host.send({ type: 'breakout-assign', participantId: guest.participantId, breakoutId: rooms.get(guest)! });
    await placed(rooms);
    const counts = await packetsOver(2000, rooms);
    console.log(`# in Red (Ana, Ben), Blue (Cem, Dan), main (Hana) — packets over 2 s: ${describe(counts)}`);
    assertSeparated(counts, rooms);
    // Active speaker is per room: Ana is told only of someone in Red.
    const { participantId } = await speaker;
    assert.ok([ana.participantId, ben.participantId].includes(participantId!), `Ana was told of ${participantId} as Red's speaker`);
  });

  await t.test('public chat stays in its room; private messages and broadcasts reach across', async () => {
    const chatAt = (bot: Bot, text: string) => bot.chatMessages.find((m) => m.text === text);
    ana.send({ type: 'chat', text: 'hello red' });
    cem.send({ type: 'chat', text: 'psst', to: ana.participantId });
    await waitUntil(() => chatAt(ben, 'hello red') !== undefined && chatAt(ana, 'psst') !== undefined, { timeoutMs: 5000, what: 'chat in Red and the private message' });
    assert.equal(chatAt(ben, 'hello red')?.breakout, red);
    const broadcast = everyone.map((b) => b.nextSignal('breakout-message', 5000));
    host.send({ type: 'breakout-broadcast', text: 'Two minutes left' });
    for (const m of await Promise.all(broadcast)) assert.deepEqual([m.from, m.fromName, m.text], [host.participantId, 'Hana', 'Two minutes left']);
    // By now the room's message would have reached the others too.
    for (const bot of [cem, dan, host]) assert.equal(chatAt(bot, 'hello red'), undefined, `${bot.name} read Red's chat`);
  });

  await t.test('moving oneself: one’s own room and the main room always, another only with self-select', async () => {
    assert.equal(await refusal(cem, { type: 'breakout-join', breakoutId: red }), 'forbidden');
    assert.equal(await refusal(cem, { type: 'breakout-join', breakoutId: 'nope' }), 'not-found');
    cem.send({ type: 'breakout-join', breakoutId: null });
    await placed(new Map([[cem, null]]));
    // Dan talks alone in Blue meanwhile and becomes its speaker; Cem, back, is told so at once.
    await sleep(1000);
    const told = cem.nextSignal('active-speaker', 5000);
    cem.send({ type: 'breakout-join', breakoutId: blue });
    await placed(new Map([[cem, blue]]));
    assert.equal((await told).participantId, dan.participantId);
    // Moderators go anywhere.
    host.send({ type: 'breakout-join', breakoutId: red });
    await placed(new Map([[host, red]]));
    host.send({ type: 'breakout-join', breakoutId: null });
    await placed(new Map([[host, null]]));
  });

  await t.test('bad input while rooms are open, and from a knocker', async () => {
    assert.equal(await refusal(host, { type: 'breakout-assign', participantId: 'nobody-here', breakoutId: red }), 'not-found');
    assert.equal(await refusal(host, { type: 'breakout-assign', participantId: ana.participantId, breakoutId: 'nope' }), 'not-found');
    assert.equal(await refusal(ana, { type: 'breakout-assign', participantId: ana.participantId, breakoutId: blue }), 'forbidden');
    assert.equal(await refusal(ana, { type: 'breakout-broadcast', text: 'hi all' }), 'forbidden');
    assert.equal(await refusal(ana, { type: 'breakout-close' }), 'forbidden');
    const updated = host.nextSignal('room-updated', 5000);
    host.send({ type: 'update-settings', settings: { lobby: true } });
    await updated;
    const knocker = await Bot.knock({ url: server!.url, roomId: host.roomId, name: 'Knocker', publish: { audio: false, video: false }, video: TEST_VIDEO, timeoutMs: 20_000 });
    bots.push(knocker);
    assert.equal(await refusal(knocker, { type: 'breakout-join', breakoutId: red }), 'wrong-state');
    knocker.close();
    // Turning the lobby off would let in whoever still waits.
    await waitUntil(() => host.lobby?.length === 0, { timeoutMs: 5000, what: 'the knocker to leave the lobby' });
    const restored = host.nextSignal('room-updated', 5000);
    host.send({ type: 'update-settings', settings: { lobby: false } });
    await restored;
    for (const bot of everyone) assert.deepEqual(bot.localErrors, [], `${bot.name}: bot errors`);
  });

  await t.test('close brings everyone back, and media flows between all again', async () => {
    const state = await breakoutsAfter({ type: 'breakout-close' });
    assert.equal(state, null);
    for (const bot of everyone) rooms.set(bot, null);
    await placed(rooms);
    const counts = await packetsOver(2000, rooms);
    console.log(`# after closing, all in main — packets over 2 s: ${describe(counts)}`);
    assertSeparated(counts, rooms);
  });

  await t.test('random assignment spreads the guests evenly, keeps moderators in the main room; self-select lets guests move', async () => {
    const state = await breakoutsAfter({ type: 'breakout-open', rooms: ['One', 'Two'], assign: 'random', minutes: 30, selfSelect: true });
    assert.ok(state !== null);
    const [one, two] = state.rooms.map((r) => r.id) as [string, string];
    assert.deepEqual(Object.keys(state.assignments).sort(), guests.map((g) => g.participantId).sort(), 'every guest, not the host');
    assert.deepEqual([one, two].map((id) => Object.values(state.assignments).filter((a) => a === id).length), [2, 2]);
    assert.ok(state.remainingMs !== null && state.remainingMs > 29 * 60_000 && state.remainingMs <= 30 * 60_000, `remainingMs ${state.remainingMs}`);
    for (const guest of guests) rooms.set(guest, state.assignments[guest.participantId]!);
    await placed(rooms);
    const counts = await packetsOver(2000, rooms);
    console.log(`# random: ${guests.map((g) => `${g.name}→${rooms.get(g) === one ? 'One' : 'Two'}`).join(' ')} — packets over 2 s: ${describe(counts)}`);
    assertSeparated(counts, rooms);

    // Self-select: a guest goes to the other room themselves.
    const mover = guests.find((g) => rooms.get(g) === one)!;
    mover.send({ type: 'breakout-join', breakoutId: two });
    rooms.set(mover, two);
    await placed(rooms);
    assert.equal((await breakoutsAfter({ type: 'breakout-close' })), null);
    for (const bot of everyone) assert.deepEqual(bot.localErrors, [], `${bot.name}: bot errors`);
    assert.ok(guests.every((g) => g.signalingConnected), 'nobody was disconnected');
  });
});
