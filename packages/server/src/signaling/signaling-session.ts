import type { ClientMessage, ErrorCode, MessageOf, ServerMessage } from '@treff/protocol';
import { decodeClientMessage, encodeMessage, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '@treff/protocol';
import { TransportError } from '@treff/sfu';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { secretEquals } from '../ids.js';
import type { Admission } from '../rooms/admission.js';
import {
  admitFromLobby,
  denyFromLobby,
  endMeeting,
  muteParticipants,
  removeParticipant,
  reportRoom,
  requestUnmute,
  setRole,
  UNBOUND_BAN_MESSAGE,
  updateSettings,
} from '../rooms/moderation.js';
import type { Participant } from '../rooms/participant.js';
import type { Room } from '../rooms/room.js';
import { RoomError } from '../rooms/room-error.js';
import { chargeKeyMessage, keyBudgetExceeded, relayKeyRequest, relayKeys } from '../rooms/e2ee-relay.js';
import { lowerHand, raiseHand, react, sendChat, type ChatContent } from '../rooms/together.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { closePoll, createPoll, votePoll } from '../rooms/poll-actions.js';
import { endScreenShare, startScreenShare, stopScreenShareOf } from '../rooms/screen-share.js';
import { setSharedVideo } from '../rooms/shared-video.js';
import { docBudgetExceeded, relayDocState, relayDocSyncRequest, relayDocUpdate } from '../rooms/shared-docs.js';
import { assignBreakout, broadcastToBreakouts, closeBreakouts, joinBreakout, openBreakouts } from '../rooms/breakouts.js';
import { TokenBucket } from './token-bucket.js';

export interface SessionOptions {
  reconnectGraceMs: number;
}

/** Where the client reached the server from, as the upgrade request says. */
export interface ClientInfo {
  /** For rate limits only; never stored or logged. */
  address: string;
  /** Origin of the links this client is shown, e.g. https://meet.example.org. */
  origin: string;
  /**
   * The room named in the socket's URL (`/ws?room=<id>`), null when none is. With several worker processes
   * the socket was sent to that room's worker, so a join or resume for another room is refused.
   */
  roomId: string | null;
}

/** A frame decoded, or why it is refused (`version`: the join or resume spoke another protocol version). */
type Decoded = { ok: true; message: ClientMessage } | { ok: false; code: ErrorCode; error: string; version: number | null };

/** Messages per second a client may send, and the burst it may save up (a join trickles a dozen candidates). */
const MESSAGE_RATE = 20;
const MESSAGE_BURST = 60;
/** A client that keeps flooding after being told is disconnected. */
const MAX_RATE_VIOLATIONS = 20;
/**
 * Bytes sent to a client that it has not read yet, beyond which its connection is dropped: a client that
 * stops reading must not make the server hold ever more for it (others' keys, chat, updates). Far above
 * the largest honest message, a `joined` with a full history of sealed chat (about 6 MB).
 */
export const MAX_SEND_BACKLOG_BYTES = 16 * 1024 * 1024;

/**
 * One WebSocket's conversation with the server. Every failure is answered to this client only;
 * nothing a client sends can throw out of here and disturb other participants.
 */
export class SignalingSession {
  private room: Room | null = null;
  private participant: Participant | null = null;
  /** Waiting in a room's lobby (between `lobby-waiting` and `joined` or `ended`). */
  private knock: { room: Room; id: string } | null = null;
  /** A join being checked (credential, password): no second join meanwhile. */
  private admitting = false;
  private readonly bucket = new TokenBucket(MESSAGE_RATE, MESSAGE_BURST);
  private rateViolations = 0;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly rooms: RoomRegistry,
    private readonly admission: Admission,
    private readonly client: ClientInfo,
    private readonly options: SessionOptions,
    private readonly log: Logger,
  ) {
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => this.onClose());
    socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
  }

  send(message: ServerMessage): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_SEND_BACKLOG_BYTES) {
      // Like a dropped connection (a closing handshake would queue behind the backlog): the participant may
      // resume within the grace period, and its client then asks for the keys it missed.
      this.log.info({ backlog: this.socket.bufferedAmount }, 'client stopped reading; dropping its connection');
      this.socket.terminate();
      return;
    }
    this.socket.send(encodeMessage(message));
  }

  disconnect(reason: string): void {
    this.room = null;
    this.participant = null;
    this.knock = null;
    this.closed = true;
    this.socket.close(4000, reason);
  }

  private receive(data: import('ws').RawData, isBinary: boolean): void {
    if (this.closed) return;
    // Decoded before the budget is checked, so key exchange can spend its own; the size limit bounds what a
    // flood costs before it is disconnected.
    const decoded = isBinary ? null : this.decode(data);
    const budget = this.budgetFor(decoded);
    if (!budget.take()) {
      if (++this.rateViolations >= MAX_RATE_VIOLATIONS) this.fail('rate-limited', 'too many messages; disconnected', true);
      else this.fail('rate-limited', budget.refusal);
      return;
    }
    if (decoded === null) return this.fail('bad-message', 'binary frames are not part of the protocol; send JSON text');
    if (!decoded.ok) {
      if (decoded.version !== null) return this.fail('unsupported-version', `protocol version ${decoded.version} is not supported; this server speaks version ${PROTOCOL_VERSION}`, true);
      return this.fail(decoded.code, decoded.error);
    }
    try {
      const pending = this.handle(decoded.message);
      if (pending !== undefined) pending.catch((err: unknown) => this.failed(err, decoded.message.type));
    } catch (err) {
      this.failed(err, decoded.message.type);
    }
  }

  private decode(data: import('ws').RawData): Decoded {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (size > MAX_MESSAGE_BYTES) return { ok: false, code: 'too-large', error: `message of ${size} bytes exceeds the limit of ${MAX_MESSAGE_BYTES} bytes`, version: null };
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    const decoded = decodeClientMessage(text);
    if (decoded.ok) return decoded;
    return { ok: false, code: decoded.tooLarge ? 'too-large' : 'bad-message', error: decoded.error, version: versionMismatch(text) };
  }

  /**
   * Which budget a message spends. Key exchange has its own, per participant: a client rotates its key
   * once per departure, and many departures at once must not cost it its connection (see key-exchange-budget.ts).
   */
  private budgetFor(decoded: Decoded | null): { take(): boolean; refusal: string } {
    const message = decoded?.ok === true ? decoded.message : null;
    const { room, participant } = this;
    if ((message?.type === 'e2ee-keys' || message?.type === 'e2ee-key-request') && room !== null && participant !== null) {
      return { take: () => chargeKeyMessage(room, participant, message), refusal: keyBudgetExceeded(room) };
    }
    // Shared documents, likewise: typing sends up to 20 updates a second per document, and the longest present
    // answers every newcomer's `doc-sync-request` with a `doc-state`.
    if ((message?.type === 'doc-update' || message?.type === 'doc-sync-request' || message?.type === 'doc-state') && participant !== null) {
      return { take: () => participant.docBudget.spend(message), refusal: docBudgetExceeded() };
    }
    return { take: () => this.bucket.take(), refusal: `too many messages: at most ${MESSAGE_RATE} per second` };
  }

  private failed(err: unknown, type: ClientMessage['type']): void {
    if (err instanceof TransportError) return this.fail(err.code === 'bad-candidate' ? 'bad-message' : err.code, err.message);
    if (err instanceof RoomError) return this.fail(err.code, err.message);
    this.log.error({ err, type }, 'failed to handle message');
    this.fail('internal', 'the server could not handle this message');
  }

  /** Returns a promise for work that finishes later (its failure is answered like any other). */
  private handle(message: ClientMessage): Promise<void> | void {
    switch (message.type) {
      case 'join':
        return this.join(message);
      case 'resume':
        return this.resume(message);
      case 'answer':
        return this.joined().transport.applyAnswer(message.offerId, message.sdp);
      case 'candidate':
        return this.joined().transport.addRemoteCandidate(message.candidate, message.mid);
      case 'subscribe':
        return this.requireRoom().setVideoSubscriptions(this.joined(), message.video);
      case 'simulcast-streams':
        return this.joined().transport.announceSimulcastStreams(message.mid, message.streams);
      case 'media-state':
        return this.requireRoom().setMedia(this.joined(), message.media);
      case 'lobby-admit':
        return admitFromLobby(this.requireRoom(), this.joined(), message.ids);
      case 'lobby-deny':
        return denyFromLobby(this.requireRoom(), this.joined(), message.ids);
      case 'remove':
        return removeParticipant(this.requireRoom(), this.joined(), message.participantId, message.ban === true).then((removal) => {
          if (message.ban === true && !removal.banned) this.fail('bad-request', UNBOUND_BAN_MESSAGE);
        });
      case 'mute':
        return muteParticipants(this.requireRoom(), this.joined(), message.participantId, message.kinds);
      case 'request-unmute':
        return requestUnmute(this.requireRoom(), this.joined(), message.participantId, message.kind);
      case 'set-role':
        return setRole(this.requireRoom(), this.joined(), message.participantId, message.role, message.handOver === true);
      case 'update-settings': {
        const room = this.requireRoom();
        const key = room.record.key;
        return updateSettings(room.deps.storage, room.record, () => this.rooms.getByKey(key), this.joined(), message.settings, room.deps.maxParticipants).then(
          () => undefined,
        );
      }
      case 'end-meeting':
        return endMeeting(this.requireRoom(), this.joined());
      case 'report':
        return reportRoom(this.requireRoom(), this.joined(), message.reason, message.text);
      case 'chat':
        return sendChat(this.requireRoom(), this.joined(), chatContent(message), message.to);
      case 'raise-hand':
        return raiseHand(this.requireRoom(), this.joined(), message.raised);
      case 'lower-hand':
        return lowerHand(this.requireRoom(), this.joined(), message.participantId);
      case 'reaction':
        return react(this.requireRoom(), this.joined(), message.emoji);
      case 'e2ee-keys':
        return relayKeys(this.requireRoom(), this.joined(), message.keys);
      case 'e2ee-key-request':
        return relayKeyRequest(this.requireRoom(), this.joined(), message.from);
      case 'screen-share': {
        const room = this.requireRoom();
        if (message.on) return startScreenShare(room, this.joined(), message.audio === true);
        return endScreenShare(room, this.joined());
      }
      case 'stop-screen-share':
        return stopScreenShareOf(this.requireRoom(), this.joined(), message.participantId);
      case 'poll-create':
        return createPoll(this.requireRoom(), this.joined(), message);
      case 'poll-vote':
        return votePoll(this.requireRoom(), this.joined(), message.pollId, message.choices);
      case 'poll-close':
        return closePoll(this.requireRoom(), this.joined(), message.pollId);
      case 'shared-video':
        return setSharedVideo(this.requireRoom(), this.joined(), message);
      case 'doc-update':
        return relayDocUpdate(this.requireRoom(), this.joined(), message.doc, message.sealed !== undefined ? { sealed: message.sealed } : { update: message.update ?? '' });
      case 'doc-sync-request':
        return relayDocSyncRequest(this.requireRoom(), this.joined(), message.doc, message.to);
      case 'doc-state':
        return relayDocState(this.requireRoom(), this.joined(), message.doc, message.to, message.sealed !== undefined ? { sealed: message.sealed } : { state: message.state ?? '' });
      case 'breakout-open':
        return openBreakouts(this.requireRoom(), this.joined(), message);
      case 'breakout-assign':
        return assignBreakout(this.requireRoom(), this.joined(), message.participantId, message.breakoutId);
      case 'breakout-join':
        return joinBreakout(this.requireRoom(), this.joined(), message.breakoutId);
      case 'breakout-broadcast':
        return broadcastToBreakouts(this.requireRoom(), this.joined(), message.text);
      case 'breakout-close':
        return closeBreakouts(this.requireRoom(), this.joined());
      case 'leave':
        this.leave();
        this.closed = true;
        this.socket.close(1000, 'left');
        return;
    }
  }

  private async join(message: MessageOf<ClientMessage, 'join'>): Promise<void> {
    if (this.participant !== null || this.knock !== null || this.admitting) return this.fail('wrong-state', 'already joined');
    if (!this.forThisSocket(message.roomId)) return;
    this.admitting = true;
    try {
      const admitted = await this.admission.check(message, this.client.address, () => this.closed);
      if (admitted === null || this.closed) return;
      const record = await this.rooms.mayOpen(admitted.record);
      if (record === null) {
        // Another worker runs this meeting (the socket came here before it started there): the client's
        // reconnect goes through the front again, which now sends it to that worker.
        this.closed = true;
        this.socket.close(1013, 'the meeting runs in another process; reconnect');
        return;
      }
      if (this.closed) return;
      if (record.blockedAt !== null) throw new RoomError('room-blocked', 'this meeting was closed by the server’s operator');
      const room = this.rooms.open(record);
      const entered = room.enter({
        name: message.name,
        role: admitted.role,
        media: message.media,
        sink: this,
        identity: admitted.identity,
        origin: this.client.origin,
        address: this.client.address,
        e2ee: message.e2ee ?? null,
        onAdmitted: (participant) => {
          // Admitting waits on the storage: the socket may have closed meanwhile, and nobody else would take them out.
          if (this.closed) return room.leave(participant, 'left');
          this.knock = null;
          this.room = room;
          this.participant = participant;
        },
      });
      if ('participant' in entered) {
        this.room = room;
        this.participant = entered.participant;
      } else {
        this.knock = { room, id: entered.knock.entry.id };
      }
    } catch (err) {
      // Every refusal of a join ends this connection: the client must change something before trying again.
      if (err instanceof RoomError) return this.fail(err.code, err.message, true);
      throw err;
    } finally {
      this.admitting = false;
    }
  }

  private resume(message: MessageOf<ClientMessage, 'resume'>): void {
    if (this.participant !== null || this.knock !== null || this.admitting) return this.fail('wrong-state', 'already joined');
    if (!this.forThisSocket(message.roomId)) return;
    const room = this.rooms.resumable(message.roomId, message.participantId);
    const participant = room?.participants.get(message.participantId);
    if (room === undefined || participant === undefined || !secretEquals(participant.resumeToken, message.resumeToken)) {
      return this.fail('resume-failed', 'that session has ended; join again', true);
    }
    this.room = room;
    this.participant = participant;
    room.resume(participant, this, this.client.origin);
  }

  private forThisSocket(roomId: string): boolean {
    if (this.client.roomId === null || this.client.roomId === roomId) return true;
    this.fail('bad-request', 'this connection was opened for another room (the "room" in its URL)', true);
    return false;
  }

  private joined(): Participant {
    if (this.participant === null) {
      throw new TransportError('wrong-state', this.knock !== null ? 'wait until a host lets you in' : 'join a room first');
    }
    return this.participant;
  }

  private requireRoom(): Room {
    if (this.room === null) throw new TransportError('wrong-state', this.knock !== null ? 'wait until a host lets you in' : 'join a room first');
    return this.room;
  }

  private leave(): void {
    if (this.room && this.participant) this.room.leave(this.participant, 'left');
    if (this.knock) this.knock.room.leaveLobby(this.knock.id);
    this.room = null;
    this.participant = null;
    this.knock = null;
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    // A knock ends with its socket; nobody can be let in without one.
    if (this.knock) this.knock.room.leaveLobby(this.knock.id);
    this.knock = null;
    // A socket can drop on a flaky network while media still flows: keep the session for a while.
    if (this.room && this.participant && this.participant.sink === this) this.room.detach(this.participant, this.options.reconnectGraceMs);
  }

  private fail(code: ErrorCode, message: string, fatal = false): void {
    this.send({ type: 'error', code, message, fatal });
    if (fatal) {
      this.closed = true;
      this.leave();
      this.socket.close(1008, code);
    }
  }
}

/** The schema lets exactly one of `text` and `sealed` through. */
function chatContent(message: MessageOf<ClientMessage, 'chat'>): ChatContent {
  if (message.sealed !== undefined) return { sealed: message.sealed };
  return { text: message.text ?? '' };
}

/** The version of a join/resume that failed validation, if that is why it failed. */
function versionMismatch(text: string): number | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'v' in value && 'type' in value) {
      const { v, type } = value as { v: unknown; type: unknown };
      if ((type === 'join' || type === 'resume') && typeof v === 'number' && v !== PROTOCOL_VERSION) return v;
    }
  } catch {
    // not JSON: reported as bad-message by the caller
  }
  return null;
}
