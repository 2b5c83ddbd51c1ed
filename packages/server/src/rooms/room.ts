import { EventEmitter } from 'node:events';
import type { MediaState, Role, ServerMessage, Slot, VideoSubscription } from '@treff/protocol';
import { PROTOCOL_VERSION } from '@treff/protocol';
import type { Offer, Router, WebRtcTransport } from '@treff/sfu';
import type { Logger } from 'pino';
import { newParticipantId, roomLogTag } from '../ids.js';
import type { RoomRecord } from '../storage/room-store.js';
import { Participant, type MessageSink } from './participant.js';

export class RoomFullError extends Error {}

interface RoomEvents {
  empty: [];
}

/** Simulcast encodings asked of every camera, lowest resolution first (RFC 8853). */
const CAMERA_SIMULCAST = ['l', 'm', 'h'];

/**
 * A live meeting: who is in it, and what each participant asked to see. The SFU's router decides which
 * media flows where from that (audio top-N, video by tile size, last-N, downlink estimates).
 */
export class Room extends EventEmitter<RoomEvents> {
  readonly participants = new Map<string, Participant>();
  private activeSpeakerId: string | null = null;
  private readonly logTag: string;
  private closed = false;

  constructor(
    readonly record: RoomRecord,
    private readonly router: Router,
    private readonly maxParticipants: number,
    private readonly log: Logger,
  ) {
    super();
    this.logTag = roomLogTag(record.id);
    router.on('dominant-speaker', (transportId) => {
      this.activeSpeakerId = transportId !== null && this.participants.has(transportId) ? transportId : null;
      this.broadcast({ type: 'active-speaker', participantId: this.activeSpeakerId });
    });
  }

  get size(): number {
    return this.participants.size;
  }

  join(name: string, role: Role, media: MediaState, sink: MessageSink): Participant {
    if (this.closed) throw new Error('room is closed');
    if (this.participants.size >= this.maxParticipants) throw new RoomFullError(`this meeting is full (${this.maxParticipants} participants)`);
    const id = newParticipantId();
    const transport = this.router.createTransport(id);
    const participant = new Participant(id, name, role, media, transport, sink);
    transport.on('offer', (offer) => participant.send(this.offerMessage(offer)));
    transport.on('sources', (changes) => {
      participant.send({ type: 'slot-sources', sources: changes.map((c) => ({ mid: c.mid, participantId: c.source })) });
    });
    transport.on('candidates', (candidates) => {
      for (const c of candidates) participant.send({ type: 'candidate', candidate: c.candidate, mid: c.mid });
    });
    transport.on('state', (state) => this.log.debug({ participant: id, state }, 'transport state'));
    transport.on('error', (err) => {
      this.log.error({ err, participant: id }, 'media transport failed');
      participant.send({ type: 'error', code: 'internal', message: 'the media connection failed on the server; rejoin', fatal: true });
      const sink = participant.sink;
      this.leave(participant, 'failed');
      sink?.disconnect('media failed');
    });

    this.participants.set(id, participant);
    participant.producers = [transport.produce('audio'), transport.produce('video', { simulcast: CAMERA_SIMULCAST })];

    participant.send(this.joinedMessage(participant, false));
    this.broadcast({ type: 'participant-joined', participant: participant.info() }, participant);
    this.log.info({ room: this.logTag, participant: id, size: this.participants.size }, 'participant joined');
    return participant;
  }

  /** Re-attaches a participant whose socket dropped; replays what it may have missed. */
  resume(participant: Participant, sink: MessageSink): void {
    if (participant.graceTimer !== null) clearTimeout(participant.graceTimer);
    participant.graceTimer = null;
    // A half-open old socket the server has not noticed yet must not keep speaking for this participant.
    const previous = participant.sink;
    participant.sink = sink;
    if (previous !== null && previous !== sink) previous.disconnect('resumed on another connection');
    participant.send(this.joinedMessage(participant, true));
    const offer = participant.transport.outstandingOffer;
    if (offer !== null) participant.send(this.offerMessage(offer));
    for (const c of participant.transport.candidatesToResend) participant.send({ type: 'candidate', candidate: c.candidate, mid: c.mid });
    // Source changes sent while the socket was down are lost; the current state replaces them.
    const sources = sourcesOf(participant.transport);
    if (sources.length > 0) participant.send({ type: 'slot-sources', sources });
    this.log.info({ room: this.logTag, participant: participant.id }, 'participant resumed');
  }

  /** The socket dropped: keep the media session for a grace period, then treat it as leaving. */
  detach(participant: Participant, graceMs: number): void {
    if (this.participants.get(participant.id) !== participant) return;
    participant.sink = null;
    participant.graceTimer = setTimeout(() => this.leave(participant, 'timeout'), graceMs);
    participant.graceTimer.unref();
  }

  leave(participant: Participant, reason: 'left' | 'timeout' | 'closed' | 'failed'): void {
    if (this.participants.get(participant.id) !== participant) return;
    if (participant.graceTimer !== null) clearTimeout(participant.graceTimer);
    this.participants.delete(participant.id);
    participant.sink = null;
    // Closing the transport closes its producers, which closes every consumer of them in other transports
    // (each of those renegotiates the m-line to inactive).
    participant.transport.close();
    this.broadcast({ type: 'participant-left', participantId: participant.id });
    this.log.info({ room: this.logTag, participant: participant.id, reason, size: this.participants.size }, 'participant left');
    if (this.participants.size === 0 && !this.closed) this.emit('empty');
  }

  /** The tiles a participant shows; ids of people not (or no longer) here are ignored. */
  setVideoSubscriptions(participant: Participant, video: readonly VideoSubscription[]): void {
    const known = video.filter((v) => v.participantId !== participant.id && this.participants.has(v.participantId));
    this.router.setVideoSubscriptions(
      participant.transport.id,
      known.map((v) => ({ transportId: v.participantId, width: v.width, height: v.height })),
    );
  }

  setMedia(participant: Participant, media: MediaState): void {
    participant.media = media;
    this.broadcast({ type: 'participant-updated', participant: participant.info() });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const participant of [...this.participants.values()]) this.leave(participant, 'closed');
    this.router.close();
  }

  private broadcast(message: ServerMessage, except?: Participant): void {
    for (const participant of this.participants.values()) if (participant !== except) participant.send(message);
  }

  private joinedMessage(participant: Participant, resumed: boolean): ServerMessage {
    return {
      type: 'joined',
      v: PROTOCOL_VERSION,
      room: { id: this.record.id, title: this.record.title },
      self: participant.info(),
      participants: [...this.participants.values()].filter((p) => p !== participant).map((p) => p.info()),
      resumeToken: participant.resumeToken,
      resumed,
      activeSpeakerId: this.activeSpeakerId,
    };
  }

  private offerMessage(offer: Offer): ServerMessage {
    const slots: Slot[] = offer.slots.map((slot) => {
      if (slot.carries === 'consumer') return { mid: slot.mid, kind: slot.kind, direction: 'recv', participantId: slot.consumer.producer?.transportId ?? null };
      const rids = slot.producer.layers.flatMap((l) => (l.rid === null ? [] : [l.rid]));
      return rids.length > 0 ? { mid: slot.mid, kind: slot.kind, direction: 'send', simulcast: rids } : { mid: slot.mid, kind: slot.kind, direction: 'send' };
    });
    return { type: 'offer', offerId: offer.offerId, sdp: offer.sdp, slots };
  }
}

/** What each receiving slot carries now (participant ids are transport ids). */
function sourcesOf(transport: WebRtcTransport): { mid: string; participantId: string | null }[] {
  return transport.consumers.map((c) => ({ mid: c.mid, participantId: c.producer?.transportId ?? null }));
}
