import { EventEmitter } from 'node:events';
import type { E2eeIdentity, EndedReason, MediaState, RoomInfo, ServerMessage, Slot, VideoSubscription } from '@treff/protocol';
import { LIMITS, PROTOCOL_VERSION } from '@treff/protocol';
import type { Offer, Router, WebRtcTransport } from '@treff/sfu';
import type { Logger } from 'pino';
import { newParticipantId, roomLogTag } from '../ids.js';
import type { RoomRecord } from '../storage/records.js';
import { publicRoomSettings } from '../storage/room-settings.js';
import type { Storage } from '../storage/storage.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import { afterDemotion, Breakouts } from './breakouts.js';
import { ChatLog } from './chat-log.js';
import { e2eeJoinRefusal, e2eeRequired } from './e2ee-policy.js';
import { HandQueue } from './hand-queue.js';
import { Lobby, type Knock } from './lobby.js';
import { PollBook } from './polls.js';
import { Participant, type Identity, type MessageSink } from './participant.js';
import { isModerator } from './permissions.js';
import { RoomError } from './room-error.js';
import { endScreenShare } from './screen-share.js';
import { SharedVideo } from './shared-video.js';
import { forgetDocRequests } from './shared-docs.js';
import { lostStanding } from './standing.js';

interface RoomEvents {
  /** Nobody is in the meeting or waiting in its lobby any more. */
  empty: [];
  /** The live meeting is over (ended, emptied or the server is closing). */
  closed: [];
  /** The room's link was rotated: the meeting answers to a new id (and still to the old ones, for resumes). */
  renamed: [];
}

/** What the room needs of the server around it. */
export interface RoomDeps {
  storage: Storage;
  /** The server's per-room limit; a room's own size setting is capped by it. */
  maxParticipants: number;
  /** Knocks per client address (shared by all rooms). */
  knocks: AttemptLimiter;
  log: Logger;
}

/** Someone admitted past identity, bans, join mode and password, about to enter (or knock). */
export interface JoinTicket {
  name: string;
  role: 'host' | 'guest';
  media: MediaState;
  sink: MessageSink;
  identity: Identity;
  origin: string;
  /** Client address, for rate limits only; never stored or logged. */
  address: string;
  /** The end-to-end encryption identity the client announced; null: it cannot encrypt. */
  e2ee: E2eeIdentity | null;
  /** Called when a knock is let in (the `joined` message is already sent). */
  onAdmitted(participant: Participant): void;
}

/** Simulcast encodings asked of every camera, lowest resolution first (RFC 8853). */
const CAMERA_SIMULCAST = ['l', 'm', 'h'];
/** Ids from link rotations during a meeting that a participant who was away may still resume with. */
const MAX_FORMER_IDS = 20;

/** Knocks one lobby holds; more are refused with `lobby-full`. */
export const LOBBY_CAPACITY = 100;

/**
 * A live meeting: who is in it and who waits in its lobby, their roles, and what each participant asked
 * to see. The SFU's router decides which media flows where from that (audio top-N, video by tile size,
 * last-N, downlink estimates). Moderation (moderation.ts) acts through the methods here.
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly participants = new Map<string, Participant>();
  readonly lobby = new Lobby<JoinTicket>(LOBBY_CAPACITY);
  /** In memory for this meeting only: it goes with the Room when the meeting ends. */
  readonly chat = new ChatLog(LIMITS.chatHistory);
  readonly hands = new HandQueue();
  /** In memory for this meeting only, like the chat. */
  readonly polls = new PollBook();
  /** Kept when its sharer leaves (any moderator can stop it); ends with the meeting. */
  readonly sharedVideo = new SharedVideo();
  /** Open while a moderator has split the meeting; each participant's room is `Participant.breakout`. */
  readonly breakouts = new Breakouts();
  /** Ids this meeting had before link rotations during it: a participant away at the time resumes with one. */
  private readonly formerIds = new Set<string>();
  /** Locks on their way to the storage (`holdLock`). */
  private lockHolds = 0;
  private logTag: string;
  private closed = false;

  constructor(
    /** As stored; replaced whenever the room's settings or id change. */
    public record: RoomRecord,
    private readonly router: Router,
    readonly deps: RoomDeps,
  ) {
    super();
    this.logTag = roomLogTag(record.id);
    // A breakout room is the SFU forwarding group of its id (the main room the default group, null).
    router.on('dominant-speaker', (_transportId, group) => {
      const message = { type: 'active-speaker', participantId: this.activeSpeakerIn(group) } as const;
      for (const participant of this.participants.values()) if (participant.breakout === group) participant.send(message);
    });
  }

  get id(): string {
    return this.record.id;
  }

  /** Whether `roomId` is this meeting's id now or was, before a rotation while it went on. */
  answersTo(roomId: string): boolean {
    return roomId === this.id || this.formerIds.has(roomId);
  }

  /** Every id the meeting answers to: the current one first, then those before link rotations. */
  get ids(): string[] {
    return [this.id, ...this.formerIds];
  }

  get size(): number {
    return this.participants.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The room's size setting, capped by the server's. */
  get capacity(): number {
    return Math.min(this.record.settings.maxParticipants, this.deps.maxParticipants);
  }

  /**
   * Lets someone in, or into the lobby. Throws RoomError for a locked or full room, a full lobby and
   * too many knocks. Host-link holders and group admins pass the lock and the lobby.
   */
  enter(ticket: JoinTicket): { participant: Participant } | { knock: Knock<JoinTicket> } {
    if (this.closed) throw new RoomError('internal', 'this meeting just ended; join again');
    try {
      return this.admitOrKnock(ticket);
    } catch (err) {
      // The registry opened this meeting for the joiner: refused into an empty room, nothing may keep it (and its router) alive.
      this.emptied();
      throw err;
    }
  }

  private admitOrKnock(ticket: JoinTicket): { participant: Participant } | { knock: Knock<JoinTicket> } {
    const privileged = ticket.identity.hostLink || ticket.identity.groupAdmin;
    const settings = this.record.settings;
    const e2eeRefusal = e2eeJoinRefusal(this, ticket.e2ee);
    if (e2eeRefusal !== null) throw e2eeRefusal;
    if (settings.locked && !privileged) throw new RoomError('room-locked', 'this meeting is locked: no one new may join until a host unlocks it');
    if (this.size >= this.capacity) throw new RoomError('room-full', `this meeting is full (${this.capacity} participants)`);
    if (!settings.lobby || privileged) return { participant: this.join(ticket) };

    if (this.lobby.full) throw new RoomError('lobby-full', 'too many people are waiting to join this meeting; try again later');
    if (!this.deps.knocks.take(ticket.address)) throw new RoomError('too-many-attempts', 'too many requests to join from this address; wait a minute and try again');
    const knock = this.lobby.add(ticket.name, ticket)!;
    ticket.sink.send({ type: 'lobby-waiting', room: { id: this.id, title: this.record.title } });
    this.notifyLobby();
    this.deps.log.info({ room: this.logTag, waiting: this.lobby.size }, 'knock');
    return { knock };
  }

  /** A knocker's socket closed (or they gave up): they leave the lobby. */
  leaveLobby(knockId: string): void {
    if (this.lobby.remove(knockId) === undefined) return;
    this.notifyLobby();
    this.emptied();
  }

  /**
   * Lets knocks in, even into a room locked since they knocked (someone chose to admit them); a room
   * that filled up meanwhile turns them away.
   */
  async admit(knocks: readonly Knock<JoinTicket>[]): Promise<void> {
    let standing: (RoomError | null)[];
    try {
      standing = await Promise.all(knocks.map(({ ticket }) => lostStanding(this.deps.storage, this.record, ticket.identity)));
    } catch (err) {
      // Out of the lobby already: they are let go (and reconnect) rather than left waiting for nothing.
      for (const { ticket } of knocks) ticket.sink.disconnect('server error');
      if (knocks.length > 0) this.notifyLobby();
      this.emptied();
      throw err;
    }
    for (const [i, { ticket }] of knocks.entries()) {
      // Taken out of the lobby already, so the meeting's end did not tell them.
      if (this.closed) {
        ticket.sink.disconnect('meeting ended');
        continue;
      }
      // The room may have started requiring end-to-end encryption since they knocked, or someone with their key came in.
      const refusal = e2eeJoinRefusal(this, ticket.e2ee) ?? standing[i] ?? null;
      if (refusal !== null) {
        refuse(ticket.sink, refusal);
        continue;
      }
      if (this.size >= this.capacity) {
        refuse(ticket.sink, new RoomError('room-full', `this meeting is full (${this.capacity} participants)`));
        continue;
      }
      ticket.onAdmitted(this.join(ticket));
    }
    if (knocks.length > 0) this.notifyLobby();
    this.emptied();
  }

  /** Admits knocks without a caller to tell of a failure (`admit` has let them go): it is logged. */
  private admitInBackground(knocks: readonly Knock<JoinTicket>[]): void {
    this.admit(knocks).catch((err: unknown) => this.deps.log.error({ room: this.logTag, err }, 'admitting from the lobby failed'));
  }

  /** A ban was added: whoever waits with an identity it matches is turned away now, not at admit time. */
  async refuseBannedKnocks(): Promise<void> {
    const waiting = this.lobby.knocks.filter(({ ticket }) => !ticket.identity.hostLink);
    const banned = await Promise.all(waiting.map(({ ticket }) => this.deps.storage.bans.isBanned(this.record.key, ticket.identity)));
    const matched = new Set(waiting.filter((_, i) => banned[i]).map(({ ticket }) => ticket));
    this.turnAwayKnocks(
      (ticket) => matched.has(ticket),
      (sink) => endSession(sink, 'banned', 'a host banned you from this meeting'),
    );
  }

  /** Only someone who joined while the change to require E2EE was being stored can be here without it. */
  private dropParticipantsWithoutE2ee(): void {
    for (const participant of [...this.participants.values()]) {
      if (participant.e2ee !== null) continue;
      const sink = participant.sink;
      this.leave(participant, 'removed');
      if (sink !== null) refuse(sink, e2eeRequired());
    }
  }

  /** The room requires end-to-end encryption now: whoever waits without it is told now, not at admit time. */
  private refuseKnocksWithoutE2ee(): void {
    this.turnAwayKnocks(
      (ticket) => ticket.e2ee === null,
      (sink) => refuse(sink, e2eeRequired()),
    );
  }

  private turnAwayKnocks(matches: (ticket: JoinTicket) => boolean, tell: (sink: MessageSink) => void): void {
    const taken = this.lobby.take(this.lobby.knocks.filter(({ ticket }) => matches(ticket)).map((k) => k.entry.id));
    if (!('taken' in taken) || taken.taken.length === 0) return;
    for (const { ticket } of taken.taken) tell(ticket.sink);
    this.notifyLobby();
    this.emptied();
  }

  /** Turns knocks away: they are told, and their sockets close. */
  deny(knocks: readonly Knock<JoinTicket>[]): void {
    for (const { ticket } of knocks) endSession(ticket.sink, 'denied', 'a host did not let you into this meeting');
    if (knocks.length > 0) this.notifyLobby();
    this.emptied();
  }

  private join(ticket: JoinTicket): Participant {
    const id = newParticipantId();
    const transport = this.router.createTransport(id);
    const participant = new Participant(id, ticket.name, ticket.role, ticket.media, transport, ticket.sink, ticket.identity, ticket.origin, ticket.e2ee);
    transport.on('offer', (offer) => participant.send(this.offerMessage(offer)));
    transport.on('sources', (changes) => {
      participant.send({ type: 'slot-sources', sources: changes.map((c) => ({ mid: c.mid, participantId: c.source })) });
    });
    transport.on('send-layers', ({ mid, rids }) => participant.send({ type: 'send-layers', mid, rids }));
    // Transport ids are participant ids.
    transport.on('video-paused', (ids) => participant.send({ type: 'video-paused', participantIds: [...ids] }));
    transport.on('candidates', (candidates) => {
      for (const c of candidates) participant.send({ type: 'candidate', candidate: c.candidate, mid: c.mid });
    });
    transport.on('state', (state) => this.deps.log.debug({ participant: id, state }, 'transport state'));
    transport.on('error', (err) => {
      this.deps.log.error({ err, participant: id }, 'media transport failed');
      participant.send({ type: 'error', code: 'internal', message: 'the media connection failed on the server; rejoin', fatal: true });
      const sink = participant.sink;
      this.leave(participant, 'failed');
      sink?.disconnect('media failed');
    });

    this.participants.set(id, participant);
    participant.producers = [transport.produce('audio'), transport.produce('video', { simulcast: CAMERA_SIMULCAST })];

    participant.send(this.joinedMessage(participant, false));
    if (isModerator(participant.role)) participant.send({ type: 'lobby', waiting: this.lobby.waiting });
    this.broadcast({ type: 'participant-joined', participant: participant.info() }, participant);
    this.deps.log.info({ room: this.logTag, participant: id, size: this.participants.size }, 'participant joined');
    return participant;
  }

  /** Re-attaches a participant whose socket dropped; replays what it may have missed. */
  resume(participant: Participant, sink: MessageSink, origin: string): void {
    if (participant.graceTimer !== null) clearTimeout(participant.graceTimer);
    participant.graceTimer = null;
    // A half-open old socket the server has not noticed yet must not keep speaking for this participant.
    const previous = participant.sink;
    participant.sink = sink;
    participant.origin = origin;
    if (previous !== null && previous !== sink) previous.disconnect('resumed on another connection');
    participant.send(this.joinedMessage(participant, true));
    // What changed while the socket was down: the room (settings, a rotated id) and a moderator's mute,
    // which the client must comply with or its next media-state would turn the kind back on.
    participant.send({ type: 'room-updated', room: this.info(participant) });
    const missed = participant.takeMissedForceMute();
    if (missed !== null) participant.send({ type: 'force-mute', kinds: missed.kinds, by: missed.by });
    if (isModerator(participant.role)) participant.send({ type: 'lobby', waiting: this.lobby.waiting });
    const offer = participant.transport.outstandingOffer;
    if (offer !== null) participant.send(this.offerMessage(offer));
    for (const c of participant.transport.candidatesToResend) participant.send({ type: 'candidate', candidate: c.candidate, mid: c.mid });
    // Source changes sent while the socket was down are lost; the current state replaces them.
    const sources = sourcesOf(participant.transport);
    if (sources.length > 0) participant.send({ type: 'slot-sources', sources });
    for (const { mid, rids } of participant.transport.sendLayers) participant.send({ type: 'send-layers', mid, rids });
    participant.send({ type: 'video-paused', participantIds: [...participant.transport.pausedVideo] });
    this.deps.log.info({ room: this.logTag, participant: participant.id }, 'participant resumed');
  }

  /** The socket dropped: keep the media session for a grace period, then treat it as leaving. */
  detach(participant: Participant, graceMs: number): void {
    if (this.participants.get(participant.id) !== participant) return;
    participant.sink = null;
    participant.graceTimer = setTimeout(() => this.leave(participant, 'timeout'), graceMs);
    participant.graceTimer.unref();
  }

  leave(participant: Participant, reason: 'left' | 'timeout' | 'closed' | 'failed' | 'removed'): void {
    if (this.participants.get(participant.id) !== participant) return;
    if (participant.graceTimer !== null) clearTimeout(participant.graceTimer);
    this.participants.delete(participant.id);
    participant.sink = null;
    // Closing the transport closes its producers, which closes every consumer of them in other transports
    // (each of those renegotiates the m-line to inactive).
    participant.transport.close();
    this.broadcast({ type: 'participant-left', participantId: participant.id });
    if (this.hands.lower(participant.id)) this.broadcast({ type: 'hands', queue: this.hands.queue });
    forgetDocRequests(this, participant.id);
    if (this.breakouts.assign(participant.id, null)) this.broadcast({ type: 'breakouts', state: this.breakouts.state() });
    this.deps.log.info({ room: this.logTag, participant: participant.id, reason, size: this.participants.size }, 'participant left');
    if (participant.role === 'host' && !this.closed) this.promoteIfHostless();
    this.emptied();
  }

  /** When the last host is gone, the longest-present participant becomes host (if the room wants that). */
  private promoteIfHostless(): void {
    if (!this.record.settings.autoPromote) return;
    const present = [...this.participants.values()];
    if (present.length === 0 || present.some((p) => p.role === 'host')) return;
    // Map order is join order (a resume keeps its entry), so the first is the longest present.
    const next = present.reduce((a, b) => (b.joinedAt < a.joinedAt ? b : a));
    this.deps.log.info({ room: this.logTag, participant: next.id }, 'last host left; promoted the longest-present participant');
    this.changeRole(next, 'host');
  }

  /** Gives a participant a role and tells everyone; a new moderator also learns the lobby and the link. */
  changeRole(participant: Participant, role: Participant['role']): void {
    if (participant.role === role) return;
    const wasModerator = isModerator(participant.role);
    participant.role = role;
    this.broadcast({ type: 'participant-updated', participant: participant.info() });
    if (wasModerator !== isModerator(role)) participant.send({ type: 'room-updated', room: this.info(participant) });
    if (!wasModerator && isModerator(role)) participant.send({ type: 'lobby', waiting: this.lobby.waiting });
    if (wasModerator && !isModerator(role)) afterDemotion(this, participant);
  }

  /**
   * Moves a participant to a breakout room (null: the main room) now: their transport's forwarding group
   * changes, so their receiving slots switch to that room's media without renegotiating. Everyone sees the
   * move; the mover learns the room's active speaker. A screen share belongs to the room it was shown in
   * and ends with the move (the room moved to may have its own).
   */
  moveToBreakout(participant: Participant, breakoutId: string | null): void {
    if (participant.breakout === breakoutId || this.participants.get(participant.id) !== participant) return;
    endScreenShare(this, participant);
    participant.breakout = breakoutId;
    this.router.setGroup(participant.transport.id, breakoutId);
    this.broadcast({ type: 'participant-updated', participant: participant.info() });
    participant.send({ type: 'active-speaker', participantId: this.activeSpeakerIn(breakoutId) });
  }

  /** The dominant speaker of a breakout room (null: the main room), if they are still here. */
  private activeSpeakerIn(breakoutId: string | null): string | null {
    const id = this.router.dominantSpeakerOf(breakoutId);
    return id !== null && this.participants.get(id)?.breakout === breakoutId ? id : null;
  }

  /** The tiles a participant shows; ids of people not (or no longer) here are ignored. */
  setVideoSubscriptions(participant: Participant, video: readonly VideoSubscription[]): void {
    const known = video.filter((v) => v.participantId !== participant.id && this.participants.has(v.participantId));
    this.router.setVideoSubscriptions(
      participant.transport.id,
      known.map((v) => ({ transportId: v.participantId, width: v.width, height: v.height })),
    );
  }

  /**
   * The participant's own media state. Turning a kind on is also what resumes forwarding after a
   * moderator's mute: only its owner can do that.
   */
  setMedia(participant: Participant, media: MediaState): void {
    participant.media = media;
    for (const kind of ['audio', 'video'] as const) if (media[kind]) participant.producer(kind)?.resume();
    this.broadcast({ type: 'participant-updated', participant: participant.info() });
  }

  /**
   * Locks the meeting now, and keeps it locked through every record it adopts until the returned function is
   * called: for a lock on its way to the storage, which everyone hears of once it is stored.
   */
  holdLock(): () => void {
    this.lockHolds++;
    this.record = { ...this.record, settings: { ...this.record.settings, locked: true } };
    return () => {
      this.lockHolds--;
    };
  }

  /** Takes a new stored record (settings changed, link rotated) and tells everyone. */
  adopt(stored: RoomRecord): void {
    const record = this.lockHolds > 0 && !stored.settings.locked ? { ...stored, settings: { ...stored.settings, locked: true } } : stored;
    const lobbyWasOn = this.record.settings.lobby;
    const formerId = this.record.id;
    this.record = record;
    if (record.id !== formerId) {
      this.formerIds.add(formerId);
      // Enough for anyone away during a few rotations; a host rotating in a loop does not grow this.
      for (const id of this.formerIds) if (this.formerIds.size > MAX_FORMER_IDS) this.formerIds.delete(id);
      this.emit('renamed');
    }
    this.logTag = roomLogTag(record.id);
    if (record.settings.requireE2ee) this.dropParticipantsWithoutE2ee();
    for (const participant of this.participants.values()) participant.send({ type: 'room-updated', room: this.info(participant) });
    if (record.settings.requireE2ee) this.refuseKnocksWithoutE2ee();
    // Turning the lobby off lets everyone waiting in.
    if (lobbyWasOn && !record.settings.lobby) {
      const all = this.lobby.take('all');
      if ('taken' in all) this.admitInBackground(all.taken);
    }
  }

  /** The room as `viewer` may see it: the link only for moderators, or for everyone with link sharing on. */
  info(viewer: { role: Participant['role']; origin: string }): RoomInfo {
    const showLink = isModerator(viewer.role) || this.record.settings.linkSharing;
    return {
      id: this.id,
      title: this.record.title,
      settings: publicRoomSettings(this.record),
      link: showLink ? `${viewer.origin}/r/${this.id}` : null,
    };
  }

  notifyLobby(): void {
    const waiting = this.lobby.waiting;
    for (const participant of this.participants.values()) if (isModerator(participant.role)) participant.send({ type: 'lobby', waiting });
  }

  /** Ends the meeting for everyone, the lobby included; the room's link stays valid. */
  end(reason: EndedReason, message: string): void {
    if (this.closed) return;
    this.closed = true;
    // Everyone is told before anything is torn down, so nobody sees the others leave one by one.
    const waiting = this.lobby.take('all');
    if ('taken' in waiting) for (const { ticket } of waiting.taken) endSession(ticket.sink, reason, message);
    for (const participant of this.participants.values()) if (participant.sink !== null) endSession(participant.sink, reason, message);
    this.deps.log.info({ room: this.logTag, reason }, 'meeting ended');
    this.teardown();
  }

  /** Closes the live meeting without a word (server shutdown, or nobody left). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = this.lobby.take('all');
    if ('taken' in waiting) for (const { ticket } of waiting.taken) ticket.sink.disconnect('server closing');
    this.teardown();
  }

  private teardown(): void {
    this.breakouts.stop();
    for (const participant of [...this.participants.values()]) this.leave(participant, 'closed');
    this.router.close();
    this.emit('closed');
  }

  broadcast(message: ServerMessage, except?: Participant): void {
    for (const participant of this.participants.values()) if (participant !== except) participant.send(message);
  }

  private emptied(): void {
    if (this.participants.size === 0 && this.lobby.size === 0 && !this.closed) this.emit('empty');
  }

  private joinedMessage(participant: Participant, resumed: boolean): ServerMessage {
    return {
      type: 'joined',
      v: PROTOCOL_VERSION,
      room: this.info(participant),
      self: participant.info(),
      participants: [...this.participants.values()].filter((p) => p !== participant).map((p) => p.info()),
      resumeToken: participant.resumeToken,
      resumed,
      activeSpeakerId: this.activeSpeakerIn(participant.breakout),
      chat: this.chat.visibleTo(participant.id, participant.breakout),
      hands: this.hands.queue,
      polls: this.polls.viewsFor(participant.id),
      sharedVideo: this.sharedVideo.current(),
      breakouts: this.breakouts.state(),
    };
  }

  private offerMessage(offer: Offer): ServerMessage {
    // High priority is what the room gives screen shares (screen-share.ts), and only them.
    const slots: Slot[] = offer.slots.map((slot) => {
      if (slot.carries === 'consumer') {
        const recv: Slot = { mid: slot.mid, kind: slot.kind, direction: 'recv', participantId: slot.consumer.producer?.transportId ?? null };
        return slot.consumer.priority === 'high' ? { ...recv, source: 'screen' } : recv;
      }
      const rids = slot.producer.layers.flatMap((l) => (l.rid === null ? [] : [l.rid]));
      const send: Slot = rids.length > 0 ? { mid: slot.mid, kind: slot.kind, direction: 'send', simulcast: rids } : { mid: slot.mid, kind: slot.kind, direction: 'send' };
      return slot.producer.priority === 'high' ? { ...send, source: 'screen' } : send;
    });
    return { type: 'offer', offerId: offer.offerId, sdp: offer.sdp, slots };
  }
}

/** Tells a client why its session ends, then closes its socket. */
export function endSession(sink: MessageSink, reason: EndedReason, message: string): void {
  sink.send({ type: 'ended', reason, message });
  sink.disconnect(reason);
}

/** A knock let in that may not come in after all: told why, as a refused join is, and disconnected. */
function refuse(sink: MessageSink, refusal: RoomError): void {
  sink.send({ type: 'error', code: refusal.code, message: refusal.message, fatal: true });
  sink.disconnect(refusal.code);
}

/** What each receiving slot carries now (participant ids are transport ids). */
function sourcesOf(transport: WebRtcTransport): { mid: string; participantId: string | null }[] {
  return transport.consumers.map((c) => ({ mid: c.mid, participantId: c.producer?.transportId ?? null }));
}
