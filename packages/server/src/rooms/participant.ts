import type { E2eeIdentity, MediaKind, MediaState, ParticipantInfo, Role, ServerMessage } from '@treff/protocol';
import type { Producer, WebRtcTransport } from '@treff/sfu';
import { newSecret } from '../ids.js';
import { TokenBucket } from '../signaling/token-bucket.js';
import { KeyExchangeBudget } from './key-exchange-budget.js';
import { CHAT_RATE, REACTION_RATE } from './together.js';
import { SCREEN_SHARE_RATE } from './screen-share.js';
import { BREAKOUT_BROADCAST_RATE, BREAKOUT_JOIN_RATE } from './breakouts.js';
import { DocBudget } from './shared-docs.js';

/** Where a participant's server messages go; the signaling session implements it. */
export interface MessageSink {
  send(message: ServerMessage): void;
  /** Stop acting for this participant and close the connection (another took over, or the session ended). */
  disconnect(reason: string): void;
}

/**
 * What identified someone when they came in: what a ban binds, and what lets them past a lock. Hashes
 * only; no secret is kept.
 */
export interface Identity {
  /** Came with the host link (host secret). */
  hostLink: boolean;
  /** Admin of the room's group (member credential). */
  groupAdmin: boolean;
  memberId: string | null;
  inviteId: string | null;
  /** SHA-256 of the browser's device id. */
  deviceHash: string | null;
}

/** A person in a live meeting: identity, role, media state, their transport, and their (replaceable) signaling link. */
export class Participant {
  readonly resumeToken = newSecret();
  readonly joinedAt = Date.now();
  media: MediaState;
  role: Role;
  /** Null while the socket is gone and the participant waits, within the grace period, to resume. */
  sink: MessageSink | null;
  graceTimer: NodeJS.Timeout | null = null;
  producers: Producer[] = [];
  /** The screen share's producers (video, then audio if any); empty while not sharing. */
  screenProducers: Producer[] = [];
  /** The breakout room this participant is in now; null: the main room (see Room.moveToBreakout). */
  breakout: string | null = null;
  /** Per participant, not per socket: a resume must not refill them. */
  readonly chatBucket = new TokenBucket(CHAT_RATE.perSecond, CHAT_RATE.burst);
  readonly reactionBucket = new TokenBucket(REACTION_RATE.perSecond, REACTION_RATE.burst);
  readonly screenShareBucket = new TokenBucket(SCREEN_SHARE_RATE.perSecond, SCREEN_SHARE_RATE.burst);
  readonly breakoutJoinBucket = new TokenBucket(BREAKOUT_JOIN_RATE.perSecond, BREAKOUT_JOIN_RATE.burst);
  readonly breakoutBroadcastBucket = new TokenBucket(BREAKOUT_BROADCAST_RATE.perSecond, BREAKOUT_BROADCAST_RATE.burst);
  /** For `e2ee-keys` and `e2ee-key-request`, instead of the socket's general message budget. */
  readonly keyExchange = new KeyExchangeBudget();
  /** For `doc-update`, `doc-sync-request` and `doc-state`: typing and answering must not spend the socket's general budget. */
  readonly docBudget = new DocBudget();
  /** A moderator's mute sent while the socket was down (nobody got it), repeated on resume. */
  private missedForceMute: { kinds: MediaKind[]; by: string | null } | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    role: Role,
    media: MediaState,
    readonly transport: WebRtcTransport,
    sink: MessageSink,
    readonly identity: Identity,
    /** Origin of the links this participant is shown (the address it reached the server by). */
    public origin: string,
    /** As announced in `join`; kept across resumes. Null: this client does not encrypt end to end. */
    readonly e2ee: E2eeIdentity | null,
  ) {
    this.role = role;
    this.media = media;
    this.sink = sink;
  }

  info(): ParticipantInfo {
    return {
      id: this.id,
      name: this.name,
      role: this.role,
      media: { ...this.media },
      joinedAt: this.joinedAt,
      e2ee: this.e2ee === null ? null : { ...this.e2ee },
      screen: this.sharingScreen,
      ...(this.breakout === null ? {} : { breakout: this.breakout }),
    };
  }

  get sharingScreen(): boolean {
    return this.screenProducers.length > 0;
  }

  producer(kind: MediaKind): Producer | undefined {
    return this.producers.find((p) => p.kind === kind);
  }

  send(message: ServerMessage): void {
    this.sink?.send(message);
  }

  /** Tells the participant a moderator muted them; without a socket now, on resume. */
  forceMute(kinds: readonly MediaKind[], by: string | null): void {
    if (this.sink !== null) {
      this.sink.send({ type: 'force-mute', kinds: [...kinds], by });
      return;
    }
    const earlier = this.missedForceMute?.kinds ?? [];
    this.missedForceMute = { kinds: [...new Set([...earlier, ...kinds])], by };
  }

  takeMissedForceMute(): { kinds: MediaKind[]; by: string | null } | null {
    const missed = this.missedForceMute;
    this.missedForceMute = null;
    return missed;
  }
}
