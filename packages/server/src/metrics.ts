import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { SfuCounters } from '@treff/sfu';
import type { RoomRegistry } from './rooms/room-registry.js';

export interface Metrics {
  registry: Registry;
  roomsCreated: Counter;
}

/** Prometheus metrics: counts only, never names, room titles or anything said in a meeting. */
export function createMetrics(sfu: SfuCounters, rooms: () => RoomRegistry | null): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'treff_' });
  const roomsCreated = new Counter({ name: 'treff_rooms_created_total', help: 'Rooms created through the API', registers: [registry] });
  new Gauge({
    name: 'treff_live_rooms',
    help: 'Meetings with at least one participant',
    registers: [registry],
    collect() {
      this.set([...(rooms()?.rooms ?? [])].length);
    },
  });
  new Gauge({
    name: 'treff_participants',
    help: 'Participants in live meetings',
    registers: [registry],
    collect() {
      let n = 0;
      for (const room of rooms()?.rooms ?? []) n += room.size;
      this.set(n);
    },
  });
  new Gauge({
    name: 'treff_lobby_waiting',
    help: 'People knocking in the lobbies of live meetings',
    registers: [registry],
    collect() {
      let n = 0;
      for (const room of rooms()?.rooms ?? []) n += room.lobby.size;
      this.set(n);
    },
  });
  for (const key of Object.keys(sfu) as (keyof SfuCounters)[]) {
    const name = `treff_sfu_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total`;
    new Counter({
      name,
      help: `SFU ${key}`,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(sfu[key]);
      },
    });
  }
  return { registry, roomsCreated };
}
