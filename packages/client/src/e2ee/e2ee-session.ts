import type { ChatMessage, ClientMessage, DocName, E2eeIdentity, ParticipantInfo } from '@treff/protocol';
import { Emitter } from '../events.js';
import { SerialQueue } from '../serial-queue.js';
import { isPrivateSeal, openChat, openPrivateChat, sealChat, sealPrivateChat } from './chat-seal.js';
import { toBase64url } from './base64url.js';
import { openDocState, openDocUpdate, sealDocState, sealDocUpdate } from './doc-seal.js';
import type { FrameKeyEvent } from './frame-crypto.js';
import type { FrameMode } from './frame-messages.js';
import { IdentityKeyPair, openSenderKey, sealSenderKey, type PairwiseKey } from './identity.js';
import { kidOf, newKeyTag } from './key-id.js';
import { KeyRing } from './key-ring.js';
import { PeerIdentities } from './peer-identities.js';
import type { FrameKeys } from './media-encryption.js';
import { fingerprint, pairCode } from './safety-code.js';
import { newSenderKey, ratchet, rotate, type SenderKey } from './sender-key.js';

export interface E2eeState {
  /** Whether this browser can encrypt media end to end at all. */
  supported: boolean;
  /** 'encrypted': our media and chat are end-to-end encrypted now. 'not-encrypted': we or someone cannot. */
  status: 'encrypted' | 'not-encrypted';
  /** Participants (ids) whose clients cannot encrypt, which keep this meeting unencrypted (us too, when we cannot). */
  blockers: readonly string[];
  /** Our sender key's epoch; it changes when someone joins (ratchet) or leaves (rotation). */
  epoch: number;
  /** The room requires E2EE (settings.requireE2ee). Once seen in this Room it stays true for the Room's life. */
  required: boolean;
  /**
   * Participants (ids) for whom the server announced another identity key than the one they joined with.
   * Their first key stays in use (nobody else gets our keys in their name); the app should warn: the
   * server may be trying to listen in.
   */
  identityChanged: readonly string[];
}

/** A chat message as the app shows it. */
export type ChatEntry = Omit<ChatMessage, 'text' | 'sealed'> & {
  /** null: end-to-end encrypted with a key we never had (sent before we joined). */
  text: string | null;
  /** Whether it travelled end-to-end encrypted. */
  encrypted: boolean;
};

export type E2eeSessionEvents = {
  state: E2eeState;
  /** A sender key of `from` arrived: what could not be opened before may open now. */
  key: { from: string };
};

export interface E2eeSessionOptions {
  /** The frame transforms; null when this browser cannot encrypt frames. */
  frames: FrameKeys | null;
  /** Whether this browser could encrypt (true with `frames`; may be true without them when `enabled` is false). */
  supported?: boolean;
  /** False: never encrypt, and do not announce that we could. */
  enabled: boolean;
  /** Sends over the room's signaling socket; false when it is down. */
  send(message: ClientMessage): boolean;
  now?: () => number;
}

/** Fingerprints kept (each is 1024 hashes; the app asks for every participant's code at once). */
const FINGERPRINTS_KEPT = 500;
/** Opened chat messages kept (by id) so a resume's history still reads after our keys moved on. */
const OPENED_CHAT_KEPT = 1000;
export { DEPARTED_KEPT } from './peer-identities.js';
/** Everyone gets our key again after this many ratchets, so nobody falls more than MAX_RATCHET behind. */
export const RESEND_AFTER_RATCHETS = 4;
/** We ask one participant for its key at most this often. */
export const KEY_REQUEST_EVERY_MS = 3000;
/** We answer one participant's key requests at most this often. */
export const KEY_REPLY_EVERY_MS = 1000;

/**
 * The key schedule of one participant (docs/e2ee.md, "Key schedule"): our identity and sender key, the
 * keys others sent us, who must get ours when, and what that means for the meeting's state. The Room
 * feeds it the signaling messages; it answers through `send` and steers the frame transforms.
 */
export class E2eeSession {
  readonly events = new Emitter<E2eeSessionEvents>();
  readonly #frames: FrameKeys | null;
  readonly #supported: boolean;
  readonly #send: (message: ClientMessage) => boolean;
  readonly #queue = new SerialQueue();
  /** Others' keys, for chat (the frame worker keeps its own copy for frames). Our own keys too, to read our echoes. */
  readonly #ring = new KeyRing();
  readonly #peers = new PeerIdentities(() => (this.#identity ? this.#keyTag : null));
  readonly #pairwise = new Map<string, Promise<PairwiseKey | null>>();
  readonly #opened = new Map<string, ChatEntry>();
  readonly #fingerprints = new Map<string, Promise<string>>();
  /** Newcomers who still need our next key (several joins in a row share one ratchet). */
  readonly #newcomers = new Set<string>();
  readonly #requestedAt = new Map<string, number>();
  readonly #repliedAt = new Map<string, number>();
  readonly #now: () => number;
  readonly #ready: Promise<void>;
  /** The epoch of our key as last sent to everyone. */
  #epochAllHave = 0;
  /** The key tags last told to the frame transforms (null: not yet, they wait for any tag). */
  #senderTags: string | null = null;
  /** Whose track each receiving m-line carries (offer slots and slot-sources), by mid. */
  readonly #slots = new Map<string, string | null>();
  #trackSenders: string | null = null;
  #canEncrypt: boolean;
  #identity: IdentityKeyPair | null = null;
  #keyTag = 0;
  #own: SenderKey | null = null;
  #selfId: string | null = null;
  /** Our ids before a fresh join in this Room: our messages under them stay ours. */
  readonly #pastSelfIds = new Set<string>();
  #required = false;
  #state: E2eeState;
  #mode: FrameMode = 'clear';

  constructor(options: E2eeSessionOptions) {
    this.#frames = options.frames;
    this.#supported = options.supported ?? options.frames !== null;
    this.#send = options.send;
    this.#canEncrypt = options.frames !== null && options.enabled;
    this.#now = options.now ?? (() => Date.now());
    if (this.#frames) this.#frames.onKeyEvent = (event) => this.#onKeyEvent(event);
    this.#state = this.#computeState();
    // Tells the transforms there is nobody yet whose frames could wait for a key.
    this.#update();
    this.#ready = this.#canEncrypt ? this.#queue.run(() => this.#init()) : Promise.resolve();
  }

  get state(): E2eeState {
    return this.#state;
  }

  /** Whether `join` must wait for `identity()` (it resolves at once otherwise). */
  get announces(): boolean {
    return this.#canEncrypt;
  }

  /** Whether chat is sealed now (`sealChat` gives `{ sealed }`): while encrypted, or required to be. */
  get sealsChat(): boolean {
    return this.#mode === 'encrypt';
  }

  /** What `join.e2ee` carries; null when we do not encrypt. */
  async identity(): Promise<E2eeIdentity | null> {
    await this.#ready;
    return this.#identity ? { publicKey: this.#identity.publicKey, keyTag: this.#keyTag } : null;
  }

  /** Resolves when every message handed in so far has been dealt with. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  // ---- membership (call in the order the messages arrive) ----

  /** `joined`: everyone present now. A resume also asks everyone for their key and re-keys if people came or went meanwhile. */
  joined(self: ParticipantInfo, participants: readonly ParticipantInfo[], requireE2ee: boolean, resumed: boolean): void {
    this.#selfId = self.id;
    this.#required ||= requireE2ee;
    const before = new Set(this.#peers.ids());
    const departed = [...before].filter((id) => !participants.some((p) => p.id === id));
    const arrived = participants.filter((p) => !before.has(p.id) && p.id !== self.id);
    for (const id of departed) this.#drop(id);
    for (const info of participants) this.#setPeer(info);
    this.#update();
    this.#run(async () => {
      if (!this.#own) return;
      // On a resume we may have missed leaves (rotate: whoever is not in the list any more must not keep
      // reading) or joins (ratchet): the same rules as if we had seen them.
      if (resumed && departed.length > 0) await this.#setOwn(rotate(this.#own));
      else if (resumed && arrived.length > 0) await this.#setOwn(await ratchet(this.#own));
      await this.#sendKeyToAll();
      if (resumed) {
        const from = this.#encryptingPeers();
        if (from.length > 0) this.#send({ type: 'e2ee-key-request', from });
      }
    });
  }

  /** `participant-joined` or `participant-updated` of someone else. */
  participant(info: ParticipantInfo): void {
    if (info.id === this.#selfId) return;
    const isNew = !this.#peers.isPresent(info.id);
    this.#setPeer(info);
    this.#update();
    // An update never sends our key: the identity of a known id is pinned, so there is nobody new to send it to.
    if (!isNew || !this.#peers.identity(info.id)) return;
    this.#newcomers.add(info.id);
    this.#run(() => this.#welcome());
  }

  /** `participant-left`: a fresh key for everyone still here, one the departed never gets. */
  left(participantId: string): void {
    if (!this.#peers.isPresent(participantId)) return;
    this.#drop(participantId);
    this.#update();
    this.#run(async () => {
      if (!this.#own) return;
      await this.#setOwn(rotate(this.#own));
      await this.#sendKeyToAll();
    });
  }

  /**
   * The receiving slots of an `offer`, and `slot-sources`: whose track each receiving m-line carries.
   * The frame transforms drop frames of another sender's key there (the server cannot put one
   * participant's picture in another's tile).
   */
  slotSources(sources: readonly { mid: string; participantId: string | null }[]): void {
    for (const { mid, participantId } of sources) this.#slots.set(mid, participantId);
    this.#update();
  }

  /**
   * `room-updated`. Latches: once a Room has seen requireE2ee it never sends in clear again, even if a
   * (possibly forged) update says the requirement is off — a server could otherwise add a participant
   * without e2ee and read the meeting. Leave and join again to drop it.
   */
  requireE2ee(required: boolean): void {
    this.#required ||= required;
    this.#update();
  }

  /** The session starts over with a fresh join (new participant id): forget everyone, and use a fresh key. */
  reset(): void {
    for (const id of this.#peers.ids()) this.#drop(id);
    this.#slots.clear();
    if (this.#selfId !== null) this.#pastSelfIds.add(this.#selfId);
    this.#selfId = null;
    this.#update();
    this.#run(async () => {
      if (this.#own) await this.#setOwn(rotate(this.#own));
    });
  }

  // ---- keys from the others ----

  /** `e2ee-key`: ignored unless it comes from someone present with e2ee, opens, and is not older than what we have. */
  keyReceived(from: string, sealed: string): void {
    this.#run(async () => {
      const identity = this.#peers.identity(from);
      if (!identity || !this.#own || !this.#identity || this.#peers.tagOf(from) !== identity.keyTag) return;
      const pairwise = await this.#pairwiseWith(from);
      const context = { sender: identity.publicKey, recipient: this.#identity.publicKey, keyTag: identity.keyTag };
      const key = pairwise ? await openSenderKey(pairwise, sealed, context) : null;
      // Re-check: they may have left while we opened it.
      if (!key || this.#peers.identity(from)?.publicKey !== identity.publicKey) return;
      const newest = this.#ring.newestEpoch(identity.keyTag);
      if (newest !== null && key.epoch < newest) return;
      await this.#ring.set(identity.keyTag, key);
      this.#frames?.setKey(identity.keyTag, key);
      this.events.emit('key', { from });
    });
  }

  /** `e2ee-key-request`: someone present lost our key (e.g. after their resume). */
  keyRequested(from: string): void {
    if (!this.#peers.identity(from)) return;
    // Bounded work however often the server asks: each answer is an ECDH-keyed seal and a message.
    const last = this.#repliedAt.get(from);
    const now = this.#now();
    if (last !== undefined && now - last < KEY_REPLY_EVERY_MS) return;
    this.#repliedAt.set(from, now);
    this.#run(() => this.#sendKey([from]));
  }

  // ---- verification and chat ----

  /** The code both sides see for our pair of identity keys; null when they or we have none. */
  async safetyCode(participantId: string): Promise<string | null> {
    await this.#ready;
    const theirs = this.#peers.identity(participantId);
    if (!this.#identity || !theirs) return null;
    return pairCode(await this.#fingerprint(this.#identity.publicKey), await this.#fingerprint(theirs.publicKey));
  }

  #fingerprint(publicKey: string): Promise<string> {
    let known = this.#fingerprints.get(publicKey);
    if (!known) {
      known = fingerprint(publicKey);
      // A failure (a malformed key) is not kept: the caller sees it, and the next call tries again.
      known.catch(() => this.#fingerprints.delete(publicKey));
      this.#fingerprints.set(publicKey, known);
      if (this.#fingerprints.size > FINGERPRINTS_KEPT) this.#fingerprints.delete(this.#fingerprints.keys().next().value as string);
    }
    return known;
  }

  /**
   * What `chat` carries for `text`: sealed while the meeting is encrypted (or required to be), to `to`
   * with our pairwise key, else with our sender key.
   */
  sealChat(text: string, to: string | undefined): Promise<{ text: string } | { sealed: string }> {
    return this.#queue.run(async () => {
      if (this.#mode !== 'encrypt' || !this.#own || !this.#identity) return { text };
      if (to === undefined) return { sealed: await sealChat(this.#own, this.#keyTag, text) };
      // A private message to someone without a pairwise key (gone, or no e2ee) is refused: sealed with
      // the group key it would be readable by everyone present, never sent in clear either.
      const theirs = this.#peers.identity(to);
      const pairwise = theirs ? await this.#pairwiseWith(to) : null;
      if (!theirs || !pairwise) throw new Error('cannot encrypt a private message to someone who is not here with end-to-end encryption');
      return { sealed: await sealPrivateChat(pairwise, this.#identity.publicKey, theirs.publicKey, text) };
    });
  }

  /** The readable form of a chat message, in arrival order behind the keys that came before it. */
  openChat(message: ChatMessage): Promise<ChatEntry> {
    const { text, sealed, ...rest } = message;
    if (sealed === undefined) return Promise.resolve({ ...rest, text: text ?? '', encrypted: false });
    return this.#queue.run(async () => {
      const earlier = this.#opened.get(message.id);
      if (earlier) return earlier;
      const entry: ChatEntry = { ...rest, text: await this.#open(message, sealed), encrypted: true };
      if (entry.text !== null) this.#remember(entry);
      return entry;
    });
  }

  /**
   * Opens `sealed` as coming from `message.from`: a public seal only under that participant's key tag, a
   * private one only in the direction from → to, with us at one end.
   */
  async #open(message: ChatMessage, sealed: string): Promise<string | null> {
    try {
      const isSelf = (id: string | null): boolean => id !== null && (id === this.#selfId || this.#pastSelfIds.has(id));
      const fromSelf = isSelf(message.from);
      if (!this.#identity) return null;
      if (!isPrivateSeal(sealed)) {
        const senderTag = fromSelf ? this.#keyTag : this.#peers.tagOf(message.from);
        return senderTag === undefined ? null : await openChat(this.#ring, sealed, senderTag);
      }
      const other = fromSelf ? message.to : isSelf(message.to) ? message.from : null;
      const theirs = other === null ? undefined : this.#peers.pinned(other);
      const pairwise = other === null || !theirs ? null : await this.#pairwiseWith(other);
      if (!pairwise || !theirs) return null;
      const ours = this.#identity.publicKey;
      return fromSelf
        ? await openPrivateChat(pairwise, ours, theirs.publicKey, sealed)
        : await openPrivateChat(pairwise, theirs.publicKey, ours, sealed);
    } catch {
      return null;
    }
  }

  // ---- shared documents (docs/shared-docs.md) ----

  /** What `doc-update` carries for `update`: sealed with our sender key while chat is sealed, in clear otherwise. */
  sealDocUpdate(doc: DocName, update: Uint8Array): Promise<{ update: string } | { sealed: string }> {
    return this.#queue.run(async () => {
      if (this.#mode !== 'encrypt' || !this.#own) return { update: toBase64url(update) };
      return { sealed: await sealDocUpdate(this.#own, this.#keyTag, doc, update) };
    });
  }

  /**
   * The update `from` sealed, or null when it does not open (yet: its key may still be on its way). Whether
   * `from` is present, and their key tag, are settled when it arrives (call this in arrival order), not when the
   * queue gets to it: a leave seen meanwhile must not lose their last edits, which everyone else applied. The
   * ring keeps a departed sender's keys.
   */
  openDocUpdate(doc: DocName, from: string, sealed: string): Promise<Uint8Array | null> {
    const senderTag = this.#peers.isPresent(from) ? this.#peers.tagOf(from) : undefined;
    if (senderTag === undefined) return Promise.resolve(null);
    return this.#queue.run(() => openDocUpdate(this.#ring, sealed, senderTag, doc).catch(() => null));
  }

  /**
   * What `doc-state` to `to` carries for `state`: sealed pairwise while chat is sealed. Throws when it must be
   * sealed and cannot (`to` is not here with end-to-end encryption): a state is never sent in clear then.
   */
  sealDocState(doc: DocName, to: string, state: Uint8Array): Promise<{ state: string } | { sealed: string }> {
    return this.#queue.run(async () => {
      if (this.#mode !== 'encrypt' || !this.#own || !this.#identity) return { state: toBase64url(state) };
      const theirs = this.#peers.identity(to);
      const pairwise = theirs ? await this.#pairwiseWith(to) : null;
      if (!theirs || !pairwise) throw new Error('cannot encrypt a document for someone who is not here with end-to-end encryption');
      return { sealed: await sealDocState(pairwise, this.#identity.publicKey, theirs.publicKey, doc, state) };
    });
  }

  /** The state `from` sealed for us, or null when it does not open. `from` must be present when it arrives, as for updates. */
  openDocState(doc: DocName, from: string, sealed: string): Promise<Uint8Array | null> {
    const theirs = this.#peers.identity(from);
    return this.#queue.run(async () => {
      const pairwise = theirs ? await this.#pairwiseWith(from) : null;
      if (!this.#identity || !theirs || !pairwise) return null;
      return openDocState(pairwise, theirs.publicKey, this.#identity.publicKey, doc, sealed).catch(() => null);
    });
  }

  #remember(entry: ChatEntry): void {
    this.#opened.set(entry.id, entry);
    if (this.#opened.size > OPENED_CHAT_KEPT) this.#opened.delete(this.#opened.keys().next().value as string);
  }

  // ---- internals ----

  async #init(): Promise<void> {
    try {
      this.#identity = await IdentityKeyPair.generate();
      this.#keyTag = newKeyTag();
      await this.#setOwn(newSenderKey(0));
    } catch {
      // No WebCrypto ECDH here (e.g. an insecure origin): we cannot encrypt, and say so.
      this.#identity = null;
      this.#canEncrypt = false;
      this.#update();
    }
  }

  /** Starts using `key` at once (frames and chat), before anyone has it: receivers hold frames until it arrives. */
  async #setOwn(key: SenderKey): Promise<void> {
    this.#own = key;
    this.#frames?.setOwnKey(this.#keyTag, key);
    await this.#ring.set(this.#keyTag, key);
    this.#update();
  }

  /** Newcomers get our next key only: what we sent before they came stays unreadable to them. */
  async #welcome(): Promise<void> {
    const ids = [...this.#newcomers].filter((id) => this.#peers.identity(id));
    this.#newcomers.clear();
    if (!this.#own || ids.length === 0) return;
    await this.#setOwn(await ratchet(this.#own));
    // Those present follow our ratchets from frames and chat, but only up to MAX_RATCHET epochs, and
    // a muted participant sends no frames to follow: re-send to everyone every few ratchets.
    if (this.#own.epoch - this.#epochAllHave >= RESEND_AFTER_RATCHETS) await this.#sendKeyToAll();
    else await this.#sendKey(ids);
  }

  async #sendKeyToAll(): Promise<void> {
    if (!this.#own) return;
    this.#epochAllHave = this.#own.epoch;
    await this.#sendKey(this.#encryptingPeers());
  }

  async #sendKey(ids: readonly string[]): Promise<void> {
    const own = this.#own;
    if (!own || !this.#identity || ids.length === 0) return;
    const keys: { to: string; sealed: string }[] = [];
    for (const id of ids) {
      const theirs = this.#peers.identity(id);
      const pairwise = theirs ? await this.#pairwiseWith(id) : null;
      if (!theirs || !pairwise) continue;
      const context = { sender: this.#identity.publicKey, recipient: theirs.publicKey, keyTag: this.#keyTag };
      keys.push({ to: id, sealed: await sealSenderKey(pairwise, own, context) });
    }
    // Someone who left while we sealed must not get it (the server would skip them anyway).
    const present = keys.filter((k) => this.#peers.isPresent(k.to));
    if (present.length > 0) this.#send({ type: 'e2ee-keys', keys: present });
  }

  /** The pairwise key with the pinned identity of `id` (one per id: the pin never changes). */
  #pairwiseWith(id: string): Promise<PairwiseKey | null> {
    const identity = this.#peers.pinned(id);
    if (!identity || !this.#identity) return Promise.resolve(null);
    let pairwise = this.#pairwise.get(id);
    if (!pairwise) {
      pairwise = this.#identity.pairwise(identity.publicKey).catch(() => null);
      this.#pairwise.set(id, pairwise);
    }
    return pairwise;
  }

  #setPeer(info: ParticipantInfo): void {
    if (info.id !== this.#selfId) this.#peers.set(info);
  }

  #drop(id: string): void {
    const { tag, forgotten } = this.#peers.drop(id);
    this.#newcomers.delete(id);
    this.#requestedAt.delete(id);
    this.#repliedAt.delete(id);
    this.#pairwise.delete(id);
    // The chat ring keeps their key (their earlier messages stay readable) until they are long gone;
    // frames from them end here.
    if (tag !== undefined) this.#frames?.forget(tag);
    for (const old of forgotten) this.#ring.forget(old);
  }

  #onKeyEvent(event: FrameKeyEvent): void {
    const id = this.#peers.ownerOf(event.keyTag);
    if (id === undefined) return;
    if (event.type === 'ratcheted') {
      // The frame authenticated under the ratcheted key: the chat ring follows, as it cannot see frames.
      this.#run(() => this.#ring.follow(kidOf(event.keyTag, event.epoch)));
      return;
    }
    // Frames of a present participant wait for a key we lack (e.g. more joins than we can ratchet over).
    const now = this.#now();
    const last = this.#requestedAt.get(id);
    if (last !== undefined && now - last < KEY_REQUEST_EVERY_MS) return;
    this.#requestedAt.set(id, now);
    this.#send({ type: 'e2ee-key-request', from: [id] });
  }

  #encryptingPeers(): string[] {
    return this.#peers.encrypting();
  }

  #run(task: () => Promise<void>): void {
    // A failing step (e.g. a malformed key) must not stop the schedule; the state stays as it was.
    this.#queue.run(task).catch(() => undefined);
  }

  #computeState(): E2eeState {
    const blockers = this.#peers.withoutIdentity();
    const identityChanged = this.#peers.changed();
    if (!this.#canEncrypt && this.#selfId !== null) blockers.unshift(this.#selfId);
    const encrypted = this.#canEncrypt && this.#own !== null && blockers.length === 0;
    return {
      supported: this.#supported,
      status: encrypted ? 'encrypted' : 'not-encrypted',
      blockers,
      epoch: this.#own?.epoch ?? 0,
      required: this.#required,
      identityChanged,
    };
  }

  #update(): void {
    const senders = this.#peers.presentTags();
    const key = senders.join(',');
    if (this.#frames && key !== this.#senderTags) {
      this.#senderTags = key;
      this.#frames.setSenders(senders);
    }
    const tracks: Record<string, number | null> = {};
    for (const [mid, id] of this.#slots) tracks[mid] = id !== null && this.#peers.isPresent(id) ? (this.#peers.tagOf(id) ?? null) : null;
    const trackKey = JSON.stringify(tracks);
    if (this.#frames && trackKey !== this.#trackSenders) {
      this.#trackSenders = trackKey;
      this.#frames.setTrackSenders(tracks);
    }
    const next = this.#computeState();
    const mode: FrameMode = this.#canEncrypt && this.#own !== null && (next.status === 'encrypted' || next.required) ? 'encrypt' : 'clear';
    if (mode !== this.#mode) {
      this.#mode = mode;
      this.#frames?.setMode(mode);
    }
    if (sameState(next, this.#state)) return;
    this.#state = next;
    this.events.emit('state', next);
  }
}

function sameState(a: E2eeState, b: E2eeState): boolean {
  return a.supported === b.supported && a.status === b.status && a.epoch === b.epoch && a.required === b.required
    && sameIds(a.blockers, b.blockers) && sameIds(a.identityChanged, b.identityChanged);
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
