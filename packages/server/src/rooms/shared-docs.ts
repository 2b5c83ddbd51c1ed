import type { ClientMessage, DocName, MessageOf } from '@treff/protocol';
import { TokenBucket } from '../signaling/token-bucket.js';
import { checkDocContent } from './e2ee-policy.js';
import { authorize } from './moderation.js';
import type { Participant } from './participant.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// The meeting's shared notes and whiteboard (docs/shared-docs.md) pass through here and nowhere else: the
// server relays edits to everyone else and whole documents from one participant to another who asked for
// them. It keeps none of it (sealed content it could not read anyway); it remembers only who asked whom.

/**
 * What one participant may send. A client coalesces edits to one update per document every 50 ms (40 a
 * second for both), so typing and drawing stay well inside; a pasted page is one large update.
 */
export const DOC_RATE = {
  updates: { perSecond: 50, burst: 100 },
  /**
   * Characters (base64url) of updates: a full-size update (LIMITS.docUpdate) fits the burst four times, so a
   * large paste passes; sustained, each sender's characters go to everyone else (N times over), so it is ten
   * times what fast typing and drawing need, not a stream of pastes.
   */
  updateChars: { perSecond: 50_000, burst: 1_000_000 },
  /** A join asks once per document, a retry every 3 s, and an update that did not open asks its sender. */
  syncRequests: { perSecond: 10, burst: 40 },
  /**
   * Answers (`doc-state`). Each needs an open request (the asker's own budget bounds those), so this only
   * keeps them off the socket's general budget: the longest present answers every newcomer, two documents
   * each, and a meeting filling up at once must not cost it its connection.
   */
  states: { perSecond: 20, burst: 120 },
} as const;

/** An answer (`doc-state`) is let through this long after the question. */
export const DOC_REQUEST_TTL_MS = 30_000;

type DocMessage = MessageOf<ClientMessage, 'doc-update'> | MessageOf<ClientMessage, 'doc-sync-request'> | MessageOf<ClientMessage, 'doc-state'>;

/** One participant's allowance for shared documents, instead of the socket's general message budget. */
export class DocBudget {
  private readonly updates: TokenBucket;
  /** Its tokens are characters: each update costs its length. */
  private readonly chars: TokenBucket;
  private readonly syncRequests: TokenBucket;
  private readonly states: TokenBucket;

  constructor(now: () => number = () => performance.now()) {
    this.updates = new TokenBucket(DOC_RATE.updates.perSecond, DOC_RATE.updates.burst, now);
    this.chars = new TokenBucket(DOC_RATE.updateChars.perSecond, DOC_RATE.updateChars.burst, now);
    this.syncRequests = new TokenBucket(DOC_RATE.syncRequests.perSecond, DOC_RATE.syncRequests.burst, now);
    this.states = new TokenBucket(DOC_RATE.states.perSecond, DOC_RATE.states.burst, now);
  }

  /** False: over budget, refuse it (`rate-limited`). */
  spend(message: DocMessage): boolean {
    if (message.type === 'doc-sync-request') return this.syncRequests.take();
    if (message.type === 'doc-state') return this.states.take();
    // A refused update still costs its count: a flood of large ones runs out of both.
    return this.updates.take() && this.chars.take((message.update ?? message.sealed ?? '').length);
  }
}

export function docBudgetExceeded(): string {
  const { updates, updateChars, syncRequests, states } = DOC_RATE;
  return `too many shared document messages: at most ${updates.perSecond} updates (${updateChars.perSecond} characters), ${syncRequests.perSecond} sync requests and ${states.perSecond} states per second`;
}

/** Who asked whom for which document, until answered, DOC_REQUEST_TTL_MS passed, or either left. */
export class OpenDocRequests {
  /** In order of asking (a repeated ask moves to the end), so the expired are always at the front. */
  private readonly open = new Map<string, { asker: string; answerer: string; until: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  get size(): number {
    this.expire();
    return this.open.size;
  }

  ask(asker: string, answerer: string, doc: DocName): void {
    this.expire();
    const key = requestKey(asker, answerer, doc);
    this.open.delete(key);
    this.open.set(key, { asker, answerer, until: this.now() + DOC_REQUEST_TTL_MS });
  }

  /** Whether `asker` waits for `answerer`'s `doc`; an answer closes the request. */
  answer(asker: string, answerer: string, doc: DocName): boolean {
    this.expire();
    return this.open.delete(requestKey(asker, answerer, doc));
  }

  forget(participantId: string): void {
    for (const [key, r] of this.open) if (r.asker === participantId || r.answerer === participantId) this.open.delete(key);
  }

  private expire(): void {
    const now = this.now();
    for (const [key, r] of this.open) {
      if (r.until > now) return;
      this.open.delete(key);
    }
  }
}

/** JSON of the triple: ids are strings the server made, but nothing here depends on what they contain. */
const requestKey = (asker: string, answerer: string, doc: DocName) => JSON.stringify([asker, answerer, doc]);

const requestsOf = new WeakMap<Room, OpenDocRequests>();

function requests(room: Room): OpenDocRequests {
  let open = requestsOf.get(room);
  if (open === undefined) requestsOf.set(room, (open = new OpenDocRequests()));
  return open;
}

/** The room's hook for a participant leaving: nobody waits for their answer, nor may answer them. */
export function forgetDocRequests(room: Room, participantId: string): void {
  requestsOf.get(room)?.forget(participantId);
}

/** Clear (`update`, `state`) or sealed end to end; the schema lets exactly one through. */
export type DocContent<Clear extends string> = { [K in Clear]: string } | { sealed: string };

/** An edit goes to everyone else in the meeting, in every breakout room (the documents are the meeting's), as it came. */
export function relayDocUpdate(room: Room, sender: Participant, doc: DocName, content: DocContent<'update'>): void {
  authorize(room, sender, 'edit-docs');
  checkDocContent(room, !('sealed' in content));
  const event = { type: 'doc-update', doc, from: sender.id, ...content } as const;
  for (const participant of room.participants.values()) if (participant !== sender) participant.send(event);
}

/** Asks `to` for its whole `doc`; `to` may answer once, within DOC_REQUEST_TTL_MS. */
export function relayDocSyncRequest(room: Room, asker: Participant, doc: DocName, to: string): void {
  authorize(room, asker, 'edit-docs');
  const answerer = recipient(room, asker, to);
  requests(room).ask(asker.id, answerer.id, doc);
  answerer.send({ type: 'doc-sync-request', doc, from: asker.id });
}

/** The whole `doc` for `to`, which must have asked this participant for it and not had its answer yet. */
export function relayDocState(room: Room, answerer: Participant, doc: DocName, to: string, content: DocContent<'state'>): void {
  authorize(room, answerer, 'edit-docs');
  checkDocContent(room, !('sealed' in content));
  const asker = recipient(room, answerer, to);
  if (!requests(room).answer(asker.id, answerer.id, doc)) throw new RoomError('bad-request', `that participant did not ask you for the ${doc} (or already has your answer)`);
  asker.send({ type: 'doc-state', doc, from: answerer.id, ...content });
}

function recipient(room: Room, sender: Participant, to: string): Participant {
  const participant = room.participants.get(to);
  if (participant === undefined) throw new RoomError('not-found', 'that participant is not in this meeting');
  if (participant === sender) throw new RoomError('bad-request', 'you cannot send a shared document to yourself');
  return participant;
}
