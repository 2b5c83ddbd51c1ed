import type { MediaKind, ReportReason, Role, RoomSettings, RoomSettingsUpdate } from '@treff/protocol';
import { newShortId } from '../ids.js';
import type { RoomRecord } from '../storage/records.js';
import { publicRoomSettings, SettingsError, settingsChanges } from '../storage/room-settings.js';
import type { Storage } from '../storage/storage.js';
import { AttemptLimiter } from './attempt-limiter.js';
import { checkCanRequireE2ee } from './e2ee-policy.js';
import { KeyedSerialQueue } from './keyed-serial-queue.js';
import type { Participant } from './participant.js';
import { may, outranksOrEqual, type Action } from './permissions.js';
import { endSession, type Room } from './room.js';
import { RoomError } from './room-error.js';

/**
 * Who asks: a participant (its role read at the moment it asks), or the HTTP host API, which holds
 * the host secret and is in no meeting.
 */
export type Actor = Participant | typeof HOST_API;
export const HOST_API = { role: 'host', id: null } as const satisfies { role: Role; id: null };

/** Reports one participant may send per window; the operator reads them, so spam must stay cheap. */
const reportLimiter = new AttemptLimiter(3, 10 * 60_000);

/** Throws unless `actor` is (still) in the room and its role may do `action`. */
export function authorize(room: Room, actor: Actor, action: Action): void {
  if (actor.id !== null && room.participants.get(actor.id) !== actor) throw new RoomError('wrong-state', 'you are no longer in this meeting');
  if (!may(actor.role, action)) throw new RoomError('forbidden', `your role (${actor.role}) may not ${action.replaceAll('-', ' ')}`);
}

function target(room: Room, participantId: string): Participant {
  const participant = room.participants.get(participantId);
  if (participant === undefined) throw new RoomError('not-found', 'that participant is not in this meeting');
  return participant;
}

function takeFromLobby(room: Room, ids: readonly string[] | 'all'): Parameters<Room['admit']>[0] {
  const result = room.lobby.take(ids);
  if ('missing' in result) throw new RoomError('not-found', `not waiting in the lobby: ${result.missing.join(', ')}`);
  return result.taken;
}

export function admitFromLobby(room: Room, actor: Actor, ids: readonly string[] | 'all'): Promise<void> {
  authorize(room, actor, 'lobby-admit');
  return room.admit(takeFromLobby(room, ids));
}

export function denyFromLobby(room: Room, actor: Actor, ids: readonly string[] | 'all'): void {
  authorize(room, actor, 'lobby-deny');
  room.deny(takeFromLobby(room, ids));
}

/** What a removal did: `banned` false after a ban asked for means nothing identified them to ban. */
export interface Removal {
  banned: boolean;
}

/** Told to whoever asked for a ban that could not bind (they were still removed, and the room locked). */
export const UNBOUND_BAN_MESSAGE =
  'removed and the meeting locked, but not banned: they came with no device id, invite or membership to bind a ban to, so they can rejoin once it is unlocked';

/**
 * Removes a participant at once and locks the room, as Messenger Rooms does, so the same link cannot
 * bring them back until a host unlocks it. A ban binds whatever identified them (device, invite,
 * membership) and revokes the invite they used, so they stay out after the unlock too; someone who
 * came with none of these is still removed and the room locked (see `Removal`).
 */
export async function removeParticipant(room: Room, actor: Actor, participantId: string, ban: boolean): Promise<Removal> {
  authorize(room, actor, ban ? 'ban' : 'remove');
  const removed = target(room, participantId);
  if (removed === actor) throw new RoomError('bad-request', 'you cannot remove yourself; leave instead');
  if (!outranksOrEqual(actor.role, removed.role)) throw new RoomError('forbidden', 'co-hosts cannot remove a host');
  const { storage } = room.deps;
  const now = Date.now();
  const sink = removed.sink;
  room.leave(removed, 'removed');
  if (sink !== null) {
    endSession(sink, ban ? 'banned' : 'removed', ban ? 'a host removed you from this meeting, and you cannot rejoin it' : 'a host removed you from this meeting');
  }
  // Locked in the meeting before anything is stored: the same link cannot bring them back while the storage
  // answers, nor through a settings change stored before the lock.
  const release = room.record.settings.locked ? null : room.holdLock();
  let banned = false;
  try {
    if (ban) {
      const { deviceHash, inviteId, memberId } = removed.identity;
      banned = await storage.bans.add({ roomKey: room.record.key, deviceHash, inviteId, memberId, createdAt: now });
      if (inviteId !== null) await storage.invites.revoke(room.record.key, inviteId, now);
    }
    if (release !== null) {
      await settingsQueue(storage).run(room.record.key, async () => {
        const locked = await storage.rooms.updateSettings(room.record.key, { locked: true });
        if (!room.isClosed) room.adopt(locked);
      });
    }
  } finally {
    // A failed store must not leave the meeting locked for good: a host's unlock works again.
    release?.();
  }
  // The same person may already be knocking again from another tab or with the same invite.
  if (banned && !room.isClosed) await room.refuseBannedKnocks();
  return { banned };
}

/**
 * Stops forwarding a participant's microphone and/or camera at once (`all`: everyone but hosts and
 * co-hosts), whatever their client does; they are told, and only they can turn it back on.
 */
export function muteParticipants(room: Room, actor: Actor, participantId: string | 'all', kinds: readonly MediaKind[]): void {
  authorize(room, actor, 'mute');
  let targets: Participant[];
  if (participantId === 'all') {
    targets = [...room.participants.values()].filter((p) => p.role === 'guest');
  } else {
    const muted = target(room, participantId);
    if (!outranksOrEqual(actor.role, muted.role)) throw new RoomError('forbidden', 'co-hosts cannot mute a host');
    targets = [muted];
  }
  for (const participant of targets) {
    for (const kind of kinds) {
      participant.producer(kind)?.pause();
      participant.media = { ...participant.media, [kind]: false };
    }
    participant.forceMute(kinds, actor.id);
    room.broadcast({ type: 'participant-updated', participant: participant.info() });
  }
}

/** Asks a participant to turn a device on; only they can. */
export function requestUnmute(room: Room, actor: Actor, participantId: string, kind: MediaKind): void {
  authorize(room, actor, 'request-unmute');
  const asked = target(room, participantId);
  if (!outranksOrEqual(actor.role, asked.role)) throw new RoomError('forbidden', 'co-hosts cannot ask a host to unmute');
  if (actor.id === null) throw new RoomError('bad-request', 'an unmute request needs someone in the meeting to come from');
  asked.send({ type: 'unmute-requested', kind, by: actor.id });
}

/** Hosts make others host, co-host or guest; `handOver` with role host also makes the sender a guest. */
export function setRole(room: Room, actor: Actor, participantId: string, role: Role, handOver: boolean): void {
  authorize(room, actor, 'set-role');
  const changed = target(room, participantId);
  if (handOver && role !== 'host') throw new RoomError('bad-request', 'handOver goes with role "host"');
  // Auto-promotion happens only when a host leaves: a demotion that leaves nobody host would stay so.
  if (changed.role === 'host' && role !== 'host' && ![...room.participants.values()].some((p) => p !== changed && p.role === 'host')) {
    throw new RoomError('bad-request', changed === actor ? 'you are the only host: make someone else host first' : 'they are the only host: make someone else host first');
  }
  room.changeRole(changed, role);
  if (handOver && actor.id !== null && changed !== actor) room.changeRole(actor, 'guest');
}

/** Settings changes of one room apply in the order they were asked for, per storage (one per server). */
const settingsQueues = new WeakMap<Storage, KeyedSerialQueue<number>>();

function settingsQueue(storage: Storage): KeyedSerialQueue<number> {
  let queue = settingsQueues.get(storage);
  if (queue === undefined) settingsQueues.set(storage, (queue = new KeyedSerialQueue()));
  return queue;
}

/**
 * Changes a stored room's settings (hosts: all of them; co-hosts: only the lock) and, when its meeting
 * is live, tells everyone in it. Works without a live meeting too (HTTP host API). `live` looks the
 * meeting up: hashing a password takes a while, and a meeting may start (or end) meanwhile. Changes of
 * one room are stored in the order they were asked for, so a slow password change cannot overwrite the
 * values of a later one.
 */
export async function updateSettings(
  storage: Storage,
  record: RoomRecord,
  live: () => Room | undefined,
  actor: Actor,
  update: RoomSettingsUpdate,
  serverMaxParticipants: number,
): Promise<RoomSettings> {
  const onlyLock = Object.entries(update).every(([key, value]) => key === 'locked' || value === undefined);
  const room = live();
  if (room !== undefined) authorize(room, actor, onlyLock ? 'lock' : 'update-settings');
  else if (!may(actor.role, onlyLock ? 'lock' : 'update-settings')) throw new RoomError('forbidden', `your role (${actor.role}) may not change these settings`);
  // Hashing starts now, in parallel with earlier changes; storing waits its turn.
  const changes = settingsChanges(update, record, serverMaxParticipants);
  changes.catch(() => undefined);
  return settingsQueue(storage).run(record.key, async () => {
    let computed;
    try {
      computed = await changes;
    } catch (err) {
      if (err instanceof SettingsError) throw new RoomError('bad-request', err.message);
      throw err;
    }
    // Checked right before storing; whoever joins without it while the storage answers is turned away by `adopt`.
    const current = live();
    if (update.requireE2ee === true && current !== undefined && !current.isClosed) checkCanRequireE2ee(current);
    const updated = await storage.rooms.updateSettings(record.key, computed);
    // Whoever asked may have left meanwhile: the change stands, and reaches the meeting going on now.
    const meeting = live();
    if (meeting !== undefined && !meeting.isClosed) meeting.adopt(updated);
    return publicRoomSettings(updated);
  });
}

/** Hosts end the meeting for everyone, the lobby included. */
export function endMeeting(room: Room, actor: Actor): void {
  authorize(room, actor, 'end-meeting');
  room.end('meeting-ended', 'a host ended the meeting for everyone');
}

/** Anyone in the room may report it; metadata only (no media, no chat), rate-limited per participant. */
export async function reportRoom(room: Room, reporter: Participant, reason: ReportReason, text: string | undefined): Promise<void> {
  if (room.participants.get(reporter.id) !== reporter) throw new RoomError('wrong-state', 'you are no longer in this meeting');
  if (!reportLimiter.take(reporter.id)) throw new RoomError('rate-limited', 'you reported this meeting several times already; the operator will look at it');
  await fileReport(room.deps.storage, room.record, room, reason, text);
  reporter.send({ type: 'report-received' });
}

/**
 * Stores a report for the operator, from the meeting or over HTTP: metadata only — the room, time, reason,
 * text and who is in the live meeting (`live`, if one runs) — never media or chat.
 */
export function fileReport(storage: Storage, record: RoomRecord, live: Room | undefined, reason: ReportReason, text: string | undefined): Promise<void> {
  const displayNames = live === undefined ? [] : [...live.participants.values()].map((p) => p.name);
  return storage.reports.add({
    id: newShortId(),
    roomKey: record.key,
    roomId: record.id,
    createdAt: Date.now(),
    reason,
    // The operator reads the words, not the whitespace around them.
    text: (text ?? '').trim(),
    participantCount: displayNames.length,
    displayNames,
    closedAt: null,
  });
}
