import type { ClientMessage, DocName, ParticipantInfo, ServerMessage } from '@treff/protocol';
import { DOCS, LIMITS } from '@treff/protocol';
import * as Y from 'yjs';
import { fromBase64url } from './e2ee/base64url.js';
import type { E2eeSession } from './e2ee/e2ee-session.js';
import { Emitter } from './events.js';
import type { Timers } from './signal-client.js';

// The meeting's shared notes and whiteboard (docs/shared-docs.md): two Yjs documents that live in the
// participants' browsers only. Edits travel as `doc-update` to everyone, sealed with our sender key while the
// meeting is encrypted; a newcomer (or a resumed participant) asks the longest-present participant for the
// whole document, which comes sealed for it alone. The server relays and keeps nothing.

export type { DocName } from '@treff/protocol';
export type DocSync = 'syncing' | 'synced';

export type SharedDocsEvents = {
  sync: { doc: DocName; state: DocSync };
  /** A local edit was refused: it would have grown the document past `maxBytes`. It was undone. */
  full: { doc: DocName };
  /**
   * Everyone we asked for the whole document stayed silent: theirs may have grown too large for one message
   * (by others' concurrent edits: `maxBytes` holds back only local ones), or it held sealed content and the
   * meeting is in clear now. The document stays as it is (`syncing`, unless a resume), edits still merge, and
   * a whole document arriving later still syncs it.
   */
  unanswered: { doc: DocName };
};

export type DocMessage = Extract<ServerMessage, { type: 'doc-update' | 'doc-sync-request' | 'doc-state' }>;

export interface SharedDocsOptions {
  /** Sends over the room's signaling socket; false while not joined or the socket is down. */
  send(message: ClientMessage): boolean;
  /** Seals and opens documents (in clear while the meeting is not encrypted). */
  e2ee: E2eeSession;
  timers?: Timers;
  /** Monotonic milliseconds. */
  now?: () => number;
  /** In [0, 1): which of the longest present we ask first. */
  random?: () => number;
}

/** Local edits within this window go out as one `doc-update`. */
export const COALESCE_MS = 50;
/** How long we wait for one participant's whole document before asking the next. */
export const SYNC_TIMEOUT_MS = 3000;
/** How long a sealed update that does not open yet waits for its sender's key. */
export const HOLD_MS = 2000;
/** We send one participant a document at most this often, and ask one for it at most this often. */
export const ANSWER_EVERY_MS = 1000;
/** Sealed updates held at once; more than this and the oldest gives way (its sender is asked for the whole document). */
const HELD_MAX = 200;
/** A newcomer asks one of this many longest-present participants first, at random: not all the same one. */
export const FIRST_ASKED_AMONG = 3;
/** Bytes a seal adds: key id 6, nonce 12, tag 16. */
const SEAL_OVERHEAD = 34;

/**
 * The transactions this SDK applies from others. Every other origin is a local edit, sent to everyone.
 * A symbol, not a string, so no app can pick it by accident.
 */
const REMOTE: unique symbol = Symbol('treff remote doc update');
/** The SDK's undoing of a local edit that would make a document too large. */
const REVERT: unique symbol = Symbol('treff refused doc edit');

interface Held {
  doc: DocName;
  from: string;
  sealed: string;
  timer: unknown;
}

interface Syncing {
  /** Whom we still may ask, longest present first. */
  candidates: string[];
  asked: string | null;
  timer: unknown;
  /** Someone asked stayed silent (rather than leaving): running out of candidates is no proof of an empty document. */
  silent: boolean;
}

/** One Y.Doc and what this SDK keeps about it. */
class SharedDoc {
  readonly doc = new Y.Doc();
  /** Local updates not yet sent. */
  pending: Uint8Array[] = [];
  flushTimer: unknown = null;
  sync: DocSync = 'syncing';
  syncing: Syncing | null = null;
  /** Encoded size: exact when known, else null. */
  exactBytes: number | null = null;
  /** At least the encoded size (exact size plus every update since). */
  boundBytes = 0;
  /** The state vector before an edit being undone: what of ours others lack once the undo is done. */
  revertFrom: Map<number, number> | null = null;
  /** Set while the document waits for structs it has not got; checked again after HOLD_MS. */
  gapTimer: unknown = null;
  gapFrom: string | null = null;
  /** The clocks the waiting structs miss, and whom we asked for the whole document for exactly those. */
  gapMissing: string | null = null;
  readonly gapAsked = new Set<string>();
  /**
   * Sealed content got into this document (ours sent sealed, or others' opened). From then on it is never sent
   * whole in clear, even once the meeting falls back to clear: what was written under encryption stays so.
   */
  heldSealed = false;
}

/**
 * `room.docs`: the meeting's two shared documents. Edit them with Yjs (any transaction origin); the SDK sends
 * the edits, merges everyone else's, and brings the documents up to date on joining and after a resume.
 */
export class SharedDocs {
  readonly events = new Emitter<SharedDocsEvents>();
  /** The most a document may grow to: its whole state, sealed, must fit one `doc-state`. */
  readonly maxBytes = Math.floor((Math.min(LIMITS.docState, LIMITS.docUpdate) * 3) / 4) - SEAL_OVERHEAD;
  readonly #docs: Record<DocName, SharedDoc>;
  readonly #send: (message: ClientMessage) => boolean;
  readonly #e2ee: E2eeSession;
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #random: () => number;
  /** Others present, with when they joined (the longest present is asked first). */
  readonly #present = new Map<string, number>();
  #selfId: string | null = null;
  readonly #held: Held[] = [];
  /** When we last sent a peer a document, and last asked one for it, by `peer + doc`. */
  readonly #answeredAt = new Map<string, number>();
  readonly #recoveredAt = new Map<string, number>();
  /** Answers put off to the end of their second, by `peer + doc`. */
  readonly #deferred = new Map<string, unknown>();
  #closed = false;

  constructor(options: SharedDocsOptions) {
    this.#send = options.send;
    this.#e2ee = options.e2ee;
    this.#timers = options.timers ?? unrefTimers;
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
    this.#docs = { notes: new SharedDoc(), whiteboard: new SharedDoc() };
    for (const name of DOCS) this.#docs[name].doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => this.#onUpdate(name, update, origin, tr));
    this.#e2ee.events.on('key', ({ from }) => this.#retryHeld(from));
  }

  /** The document. Edit it with Yjs (any transaction origin but the SDK's own): the edit is sent to everyone. */
  doc(name: DocName): Y.Doc {
    return this.#docs[name].doc;
  }

  /** `doc('notes').getText('notes')`. */
  get notes(): Y.Text {
    return this.doc('notes').getText('notes');
  }

  /** `doc('whiteboard').getArray('strokes')`: entries are untrusted input — read them through whiteboard.ts. */
  get strokes(): Y.Array<unknown> {
    return this.doc('whiteboard').getArray('strokes');
  }

  /** `syncing` from joining until someone sent the whole document (or nobody else was there to ask). */
  sync(name: DocName): DocSync {
    return this.#docs[name].sync;
  }

  /** Encoded size of the document now (a state must fit one signaling frame: see `maxBytes`). */
  bytes(name: DocName): number {
    const shared = this.#docs[name];
    if (shared.exactBytes === null) {
      shared.exactBytes = Y.encodeStateAsUpdate(shared.doc).byteLength;
      shared.boundBytes = shared.exactBytes;
    }
    return shared.exactBytes;
  }

  /** Markdown file text of the notes (what "Export" downloads). */
  exportNotes(): string {
    const text = this.notes.toString();
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
  }

  // ---- for the Room: what it is told, in the order the messages arrive ----

  /**
   * `joined`: a fresh join or a resume. Either way we may lack edits (made before we came, or while the socket
   * was down): ask the longest-present participant for each document. A resume does not go back to `syncing`.
   */
  joined(self: ParticipantInfo, participants: readonly ParticipantInfo[], resumed: boolean): void {
    this.#selfId = self.id;
    this.#present.clear();
    for (const p of participants) if (p.id !== self.id) this.#present.set(p.id, p.joinedAt);
    for (const name of DOCS) {
      this.#flush(name);
      this.#startSync(name, resumed);
    }
  }

  /** `participant-joined` / `participant-updated` of someone else. */
  participant(info: ParticipantInfo): void {
    if (info.id !== this.#selfId && !this.#present.has(info.id)) this.#present.set(info.id, info.joinedAt);
  }

  /** `participant-left`: whoever we were waiting for will not answer. */
  left(participantId: string): void {
    this.#present.delete(participantId);
    for (const name of DOCS) if (this.#docs[name].syncing?.asked === participantId) this.#askNext(name);
  }

  receive(message: DocMessage): void {
    if (this.#closed) return;
    switch (message.type) {
      case 'doc-update':
        return this.#onRemoteUpdate(message.doc, message.from, message.update, message.sealed);
      case 'doc-sync-request':
        return this.#answer(message.doc, message.from);
      case 'doc-state':
        return this.#onState(message.doc, message.from, message.state, message.sealed);
    }
  }

  /** The meeting is over for us: no more timers. The documents stay readable (and the notes exportable). */
  close(): void {
    this.#closed = true;
    for (const name of DOCS) {
      const shared = this.#docs[name];
      this.#timers.clearTimeout(shared.flushTimer);
      this.#timers.clearTimeout(shared.gapTimer);
      if (shared.syncing) this.#timers.clearTimeout(shared.syncing.timer);
      shared.syncing = null;
    }
    for (const held of this.#held.splice(0)) this.#timers.clearTimeout(held.timer);
    for (const timer of this.#deferred.values()) this.#timers.clearTimeout(timer);
    this.#deferred.clear();
  }

  // ---- local edits ----

  #onUpdate(name: DocName, update: Uint8Array, origin: unknown, tr: Y.Transaction): void {
    const shared = this.#docs[name];
    shared.exactBytes = null;
    shared.boundBytes += update.byteLength;
    if (origin === REMOTE || this.#closed) return;
    if (origin === REVERT) {
      // The undo of a refused edit. Others must still get our items of it, or every later edit of ours would wait
      // at theirs for them: now deleted (and garbage-collected to their length), they cost a few bytes.
      if (shared.revertFrom !== null) this.#queue(name, Y.encodeStateAsUpdate(shared.doc, Y.encodeStateVector(shared.revertFrom)));
      shared.revertFrom = null;
      return;
    }
    const client = shared.doc.clientID;
    const from = tr.beforeState.get(client) ?? 0;
    const to = tr.afterState.get(client) ?? 0;
    if (to > from && shared.boundBytes > this.maxBytes && this.bytes(name) > this.maxBytes) {
      shared.revertFrom = tr.beforeState;
      deleteInserted(shared.doc, client, from, to);
      this.events.emit('full', { doc: name });
      return;
    }
    this.#queue(name, update);
  }

  #queue(name: DocName, update: Uint8Array): void {
    const shared = this.#docs[name];
    shared.pending.push(update);
    if (shared.flushTimer === null && !this.#closed) shared.flushTimer = this.#timers.setTimeout(() => this.#flush(name), COALESCE_MS);
  }

  /** Sends what is pending as one update; kept for later while it cannot be sent. */
  #flush(name: DocName): void {
    const shared = this.#docs[name];
    this.#timers.clearTimeout(shared.flushTimer);
    shared.flushTimer = null;
    if (shared.pending.length === 0 || this.#selfId === null) return;
    const pending = shared.pending;
    shared.pending = [];
    const merged = pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending);
    // One update too large for a message (a long time offline): its parts go one by one.
    const parts = merged.byteLength > this.maxBytes && pending.length > 1 ? pending : [merged];
    void (async () => {
      const unsent: Uint8Array[] = [];
      for (const part of parts) {
        const body = await this.#e2ee.sealDocUpdate(name, part).catch(() => null);
        const size = body === null ? 0 : 'sealed' in body ? body.sealed.length : body.update.length;
        if (size > LIMITS.docUpdate) continue; // bigger than any edit this SDK lets through
        if (body !== null && 'sealed' in body) shared.heldSealed = true;
        if (body === null || this.#closed || !this.#send({ type: 'doc-update', doc: name, ...body })) unsent.push(part);
      }
      if (unsent.length > 0 && !this.#closed) shared.pending.unshift(...unsent);
    })();
  }

  // ---- others' edits ----

  #onRemoteUpdate(name: DocName, from: string, update: string | undefined, sealed: string | undefined): void {
    if (from === this.#selfId || this.#distrusted(from)) return;
    if (sealed === undefined) {
      // While we seal, nobody's edits come in clear: one would come from the server, not a participant. Edits
      // lost across a switch to encrypted come back through the gap recovery (later ones build on them).
      if (update !== undefined && !this.#refusesClear()) this.#apply(name, decode(update), from);
      return;
    }
    void this.#e2ee.openDocUpdate(name, from, sealed).then((opened) => {
      if (this.#closed) return;
      if (opened === null) this.#hold({ doc: name, from, sealed, timer: null });
      else if (this.#apply(name, opened, from)) this.#docs[name].heldSealed = true;
    });
  }

  /** A sealed update whose key has not come yet: retried when a key of its sender arrives, given up after HOLD_MS. */
  #hold(held: Held): void {
    held.timer = this.#timers.setTimeout(() => {
      const i = this.#held.indexOf(held);
      if (i < 0) return;
      this.#held.splice(i, 1);
      this.#recover(held.doc, held.from);
    }, HOLD_MS);
    this.#held.push(held);
    if (this.#held.length > HELD_MAX) {
      const oldest = this.#held.shift()!;
      this.#timers.clearTimeout(oldest.timer);
      this.#recover(oldest.doc, oldest.from);
    }
  }

  #retryHeld(from: string): void {
    for (const held of this.#held.filter((h) => h.from === from)) {
      void this.#e2ee.openDocUpdate(held.doc, held.from, held.sealed).then((opened) => {
        const i = this.#held.indexOf(held);
        if (opened === null || i < 0 || this.#closed) return;
        this.#held.splice(i, 1);
        this.#timers.clearTimeout(held.timer);
        if (this.#apply(held.doc, opened, held.from)) this.#docs[held.doc].heldSealed = true;
      });
    }
  }

  /** Asks `from` for the whole document: what we could not open (or are missing) is in it, sealed for us. */
  #recover(name: DocName, from: string): boolean {
    if (this.#closed || !this.#present.has(from) || !this.#due(this.#recoveredAt, from, name)) return false;
    return this.#send({ type: 'doc-sync-request', doc: name, to: from });
  }

  /** Merges an update or a state; false when it is not one (anyone can send anything: it must not throw). */
  #apply(name: DocName, bytes: Uint8Array | null, from: string): boolean {
    if (bytes === null) return false;
    const shared = this.#docs[name];
    try {
      Y.applyUpdate(shared.doc, bytes, REMOTE);
    } catch {
      return false;
    }
    // Structs that build on ones we never got (an update lost or refused on the way) wait in the store. If they
    // still wait a moment later, the sender's whole document fills the gap. Each participant is asked once for
    // the same missing clocks: an update pointing at clocks nobody has (anyone can send one) must not keep
    // everyone fetching whole documents.
    if (shared.doc.store.pendingStructs === null) {
      shared.gapMissing = null;
      shared.gapAsked.clear();
    } else if (shared.gapTimer === null && !this.#closed) {
      shared.gapFrom = from;
      shared.gapTimer = this.#timers.setTimeout(() => {
        shared.gapTimer = null;
        const pending = shared.doc.store.pendingStructs;
        if (pending === null || shared.gapFrom === null) return;
        const missing = missingKey(pending.missing);
        if (missing !== shared.gapMissing) {
          shared.gapMissing = missing;
          shared.gapAsked.clear();
        }
        if (!shared.gapAsked.has(shared.gapFrom) && this.#recover(name, shared.gapFrom)) shared.gapAsked.add(shared.gapFrom);
      }, HOLD_MS);
    }
    return true;
  }

  // ---- whole documents ----

  #startSync(name: DocName, resumed: boolean): void {
    const shared = this.#docs[name];
    if (shared.syncing) this.#timers.clearTimeout(shared.syncing.timer);
    const candidates = [...this.#present]
      .filter(([id]) => !this.#distrusted(id))
      .sort(([a, at], [b, bt]) => at - bt || (a < b ? -1 : 1))
      .map(([id]) => id);
    // Not always the longest present: it would answer every newcomer of a meeting filling up.
    const first = Math.min(Math.floor(this.#random() * Math.min(FIRST_ASKED_AMONG, candidates.length)), candidates.length - 1);
    if (first > 0) candidates.unshift(...candidates.splice(first, 1));
    shared.syncing = { candidates, asked: null, timer: null, silent: false };
    if (!resumed) this.#setSync(name, 'syncing');
    this.#askNext(name);
  }

  #askNext(name: DocName): void {
    const syncing = this.#docs[name].syncing;
    if (syncing === null) return;
    this.#timers.clearTimeout(syncing.timer);
    let next = syncing.candidates.shift();
    while (next !== undefined && !this.#present.has(next)) next = syncing.candidates.shift();
    if (next === undefined && syncing.silent && !this.#closed) return this.#unanswered(name);
    if (next === undefined || this.#closed) return this.#synced(name);
    syncing.asked = next;
    syncing.timer = this.#timers.setTimeout(() => {
      syncing.silent = true;
      this.#askNext(name);
    }, SYNC_TIMEOUT_MS);
    this.#recoveredAt.set(key(next, name), this.#now());
    this.#send({ type: 'doc-sync-request', doc: name, to: next });
  }

  #synced(name: DocName): void {
    const shared = this.#docs[name];
    if (shared.syncing) this.#timers.clearTimeout(shared.syncing.timer);
    shared.syncing = null;
    this.#setSync(name, 'synced');
  }

  /** Nobody we asked answered, and someone of them may well have had content: not `synced` (see `unanswered`). */
  #unanswered(name: DocName): void {
    this.#docs[name].syncing = null;
    this.events.emit('unanswered', { doc: name });
  }

  #setSync(name: DocName, state: DocSync): void {
    const shared = this.#docs[name];
    if (shared.sync === state) return;
    shared.sync = state;
    this.events.emit('sync', { doc: name, state });
  }

  /**
   * Someone asked us for a document: the whole state, sealed for them alone, at most once a second each. A
   * second ask within that second (a resume right after a join) is answered when the second is over.
   */
  #answer(name: DocName, from: string): void {
    if (from === this.#selfId || this.#closed) return;
    const at = this.#answeredAt.get(key(from, name));
    const wait = at === undefined ? 0 : at + ANSWER_EVERY_MS - this.#now();
    if (wait > 0) {
      if (!this.#deferred.has(key(from, name))) {
        this.#deferred.set(key(from, name), this.#timers.setTimeout(() => {
          this.#deferred.delete(key(from, name));
          if (this.#present.has(from)) this.#answer(name, from);
        }, wait));
      }
      return;
    }
    this.#due(this.#answeredAt, from, name);
    const shared = this.#docs[name];
    const state = Y.encodeStateAsUpdate(shared.doc);
    void this.#e2ee.sealDocState(name, from, state).then(
      (body) => {
        // What was written under encryption is never sent whole in clear (the meeting fell back to clear since).
        if ('state' in body && shared.heldSealed) return;
        const size = 'sealed' in body ? body.sealed.length : body.state.length;
        // Grown past what one message carries (by others' concurrent edits): they ask the next participant.
        if (size <= LIMITS.docState && !this.#closed) this.#send({ type: 'doc-state', doc: name, to: from, ...body });
      },
      () => undefined, // cannot be sealed for them (no longer here); never sent in clear instead
    );
  }

  #onState(name: DocName, from: string, state: string | undefined, sealed: string | undefined): void {
    if (this.#distrusted(from)) return;
    const opened = sealed !== undefined ? this.#e2ee.openDocState(name, from, sealed) : Promise.resolve(state === undefined || this.#refusesClear() ? null : decode(state));
    void opened.then((bytes) => {
      if (this.#closed || !this.#apply(name, bytes, from)) return;
      const shared = this.#docs[name];
      if (sealed !== undefined) shared.heldSealed = true;
      // Also after everyone asked stayed silent: this one came late, or through the gap recovery.
      if (shared.syncing !== null || shared.sync === 'syncing') this.#synced(name);
    });
  }

  /** While our edits go sealed (or the room requires it), content in clear is refused: the server made it. */
  #refusesClear(): boolean {
    return this.#e2ee.sealsChat || this.#e2ee.state.required;
  }

  /** Someone the server announced with another identity than they joined with: nothing of theirs is taken. */
  #distrusted(id: string): boolean {
    return this.#e2ee.state.identityChanged.includes(id);
  }

  #due(last: Map<string, number>, peer: string, name: DocName): boolean {
    const now = this.#now();
    const at = last.get(key(peer, name));
    if (at !== undefined && now - at < ANSWER_EVERY_MS) return false;
    last.set(key(peer, name), now);
    if (last.size > 1000) last.delete(last.keys().next().value as string);
    return true;
  }
}

/**
 * Deletes what one transaction of `client` inserted (its clocks `from` to `to`), as a transaction of its own: run
 * from inside the first one's `update` event, Yjs runs it right after. What that transaction deleted stays deleted
 * (it only made the document smaller). Not a Y.UndoManager: one tracking every edit would keep all deleted
 * content from garbage collection for as long as the meeting lasts.
 */
function deleteInserted(doc: Y.Doc, client: number, from: number, to: number): void {
  doc.transact((t) => {
    for (let clock = from; clock < to; ) {
      // Splits an item that began earlier (Yjs merges consecutive insertions of one client).
      const struct = Y.getItemCleanStart(t, Y.createID(client, clock));
      if (struct instanceof Y.Item && !struct.deleted) struct.delete(t);
      clock = struct.id.clock + struct.length;
    }
  }, REVERT);
}

/** Global timers that never keep a Node process (a bot, a test) alive on their own; browsers have no unref. */
const unrefTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = globalThis.setTimeout(callback, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};

const key = (peer: string, name: DocName) => `${peer}\u0000${name}`;

/** The clocks waiting structs miss, by client, in a stable order. */
const missingKey = (missing: Map<number, number>) => JSON.stringify([...missing].sort(([a], [b]) => a - b));

function decode(text: string): Uint8Array | null {
  try {
    return fromBase64url(text);
  } catch {
    return null;
  }
}
