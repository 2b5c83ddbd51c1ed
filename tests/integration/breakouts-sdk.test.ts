// Breakout rooms through the real server with the real SDK (`Room` in Node, see sdk-person.ts): a host's SDK
// opens rooms and assigns people, and every participant's SDK follows (`breakouts`, `myBreakout`, where the
// others are, the time left); a guest returns to the main room and goes back to its own room but may not enter
// another; a broadcast arrives; closing calls everyone back; a guest's attempt to manage rooms is refused.
// Media isolation between rooms is tested with bots in breakouts.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningServer } from '@treff/server';
import { createRoom, waitUntil } from '@treff/load';
import type { BreakoutState } from '@treff/protocol';
import { closeWhenDone, startTestServer } from './helpers.js';
import { sdkPerson, type Person, type SdkRoom } from './sdk-person.js';

interface BreakoutMessage {
  from: string;
  fromName: string;
  text: string;
}
interface BreakoutRoom extends SdkRoom {
  readonly breakouts: (BreakoutState & { receivedAt: number }) | null;
  readonly myBreakout: string | null;
  readonly participants: ReadonlyMap<string, { breakout?: string }>;
  readonly events: {
    on(event: 'error', listener: (error: { code: string; message: string }) => void): () => void;
    on(event: 'breakout-message', listener: (message: BreakoutMessage) => void): () => void;
  };
  openBreakouts(o: { rooms: string[]; assign: 'manual' | 'random'; minutes: number | null; selfSelect: boolean }): boolean;
  assignBreakout(participantId: string, breakoutId: string | null): boolean;
  joinBreakout(breakoutId: string | null): boolean;
  broadcastToBreakouts(text: string): boolean;
  closeBreakouts(): boolean;
}

let server: RunningServer | undefined;
const rooms: { close(): void }[] = [];
closeWhenDone(() => server, rooms);

const until = (what: string, ok: () => boolean) => waitUntil(ok, { timeoutMs: 10_000, what });

test('breakout rooms through the SDK: open, assign, move, broadcast, call back', async (t) => {
  server = await startTestServer();
  const { roomId, hostSecret } = await createRoom(server.url, 'breakouts through the SDK');
  const join = (name: string, secret?: string) =>
    sdkPerson<BreakoutRoom>(server!, roomId, name, { encrypted: false, ...(secret ? { hostSecret: secret } : {}) }, rooms);
  const host = await join('Hana', hostSecret);
  const ana = await join('Ana');
  const ben = await join('Ben');
  const everyone: Person<BreakoutRoom>[] = [host, ana, ben];
  const heard = new Map<string, BreakoutMessage[]>(everyone.map((p) => [p.name, []]));
  for (const p of everyone) p.room.events.on('breakout-message', (m) => heard.get(p.name)!.push(m));
  let red = '';
  let blue = '';

  await t.test('a host opens two rooms with a timer; everyone sees them, nobody has moved yet', async () => {
    assert.equal(host.room.openBreakouts({ rooms: ['Red', 'Blue'], assign: 'manual', minutes: 10, selfSelect: false }), true);
    await until('everyone sees the rooms', () => everyone.every((p) => p.room.breakouts?.rooms.length === 2));
    [red, blue] = host.room.breakouts!.rooms.map((r) => r.id) as [string, string];
    for (const p of everyone) {
      assert.deepEqual(p.room.breakouts!.rooms.map((r) => r.name), ['Red', 'Blue']);
      assert.ok(p.room.breakouts!.remainingMs! > 9 * 60_000 && p.room.breakouts!.remainingMs! <= 10 * 60_000, `${p.name}: ten minutes left`);
      assert.equal(p.room.myBreakout, null, `${p.name} is still in the main room`);
    }
  });

  await t.test('assigned by hand, each guest is moved at once, and the others see where', async () => {
    host.room.assignBreakout(ana.id, red);
    host.room.assignBreakout(ben.id, blue);
    await until('Ana in Red, Ben in Blue', () => ana.room.myBreakout === red && ben.room.myBreakout === blue);
    await until('the host sees both moves', () => host.room.participants.get(ana.id)?.breakout === red && host.room.participants.get(ben.id)?.breakout === blue);
    assert.deepEqual(host.room.breakouts!.assignments, { [ana.id]: red, [ben.id]: blue });
    assert.equal(ana.room.participants.get(ben.id)?.breakout, blue, 'guests see where the others are, too');
  });

  await t.test('a guest may return to the main room and to its own room, but not enter another', async () => {
    const before = ana.errors.length;
    ana.room.joinBreakout(blue);
    await until('the refusal', () => ana.errors.length > before);
    assert.match(ana.errors.at(-1)!, /^forbidden: /);
    assert.equal(ana.room.myBreakout, red);
    ana.room.joinBreakout(null);
    await until('Ana back in the main room', () => ana.room.myBreakout === null && host.room.participants.get(ana.id)?.breakout === undefined);
    ana.room.joinBreakout(red);
    await until('Ana in Red again', () => ana.room.myBreakout === red);
  });

  await t.test('a broadcast reaches every room and the main room', async () => {
    host.room.broadcastToBreakouts('Five minutes left');
    await until('everyone heard it', () => everyone.every((p) => heard.get(p.name)!.length === 1));
    for (const p of everyone) assert.deepEqual(heard.get(p.name)!.map((m) => [m.fromName, m.text]), [['Hana', 'Five minutes left']]);
  });

  await t.test('a guest cannot open, assign or close rooms', async () => {
    const before = ben.errors.length;
    ben.room.closeBreakouts();
    ben.room.assignBreakout(ana.id, blue);
    await until('two refusals', () => ben.errors.length >= before + 2);
    assert.deepEqual(ben.errors.slice(before).map((e) => e.split(':')[0]), ['forbidden', 'forbidden']);
    assert.equal(ana.room.myBreakout, red);
    assert.equal(ben.room.breakouts?.rooms.length, 2);
  });

  await t.test('closing calls everyone back and the rooms are gone', async () => {
    host.room.closeBreakouts();
    await until('no rooms and everyone in the main room', () => everyone.every((p) => p.room.breakouts === null && p.room.myBreakout === null));
    for (const p of everyone) for (const other of everyone) if (other !== p) assert.equal(p.room.participants.get(other.id)?.breakout, undefined);
  });

  for (const p of everyone) assert.deepEqual(p.errors.filter((e) => !e.startsWith('forbidden')), [], `${p.name}: no other errors`);
});
