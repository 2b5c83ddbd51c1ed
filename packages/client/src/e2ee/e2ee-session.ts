import type { ChatMessage, ClientMessage, E2eeIdentity, ParticipantInfo } from '@treff/protocol';
import { Emitter } from '../events.js';
import { SerialQueue } from '../serial-queue.js';
import { isPrivateSeal, openChat, openPrivateChat, sealChat, sealPrivateChat } from './chat-seal.js';
import type { FrameMode } from './frame-messages.js';
import { IdentityKeyPair, openSenderKey, sealSenderKey, type PairwiseKey } from './identity.js';
import { KeyRing } from './key-ring.js';
import type { FrameKeys } from './media-encryption.js';
import { safetyCode } from './safety-code.js';
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
  /** The room requires E2EE (settings.requireE2ee). */
  required: boolean;
}

/** A chat message as the app shows it. */
export type ChatEntry = Omit<ChatMessage, 'text' | 'sealed'> & {
  /** null: end-to-end encrypted with a key we never had (sent before we joined). */
  text: string | null;
  /** Whether it travelled end-to-end encrypted. */
  encrypted: boolean;
};

export type E2eeSessionEvents = { state: E2eeState };

export interface E2eeSessionOptions {
  /** The frame transforms; null when this browser cannot encrypt frames. */
  frames: FrameKeys | null;
  /** Whether this browser could encrypt (true with `frames`; may be true without them when `enabled` is false). */
  supported?: boolean;
  /** False: never encrypt, and do not announce that we could. */
  enabled: boolean;
  /** Sends over the room's signaling socket; false when it is down. */
  send(message: ClientMessage): boolean;
}

interface Peer {
  identity: E2eeIdentity | null;
}

/** Opened chat messages kept (by id) so a resume's history still reads after our keys moved on. */
const OPENED_CHAT_KEPT = 1000;

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
  readonly #peers = new Map<string, Peer>();
  /** Identities ever seen, by participant id: private messages in the history stay readable after their sender left. */
  readonly #identities = new Map<string, E2eeIdentity>();
  readonly #pairwise = new Map<string, Promise<PairwiseKey | null>>();
  readonly #opened = new Map<string, ChatEntry>();
  readonly #ready: Promise<void>;
  #canEncrypt: boolean;
  #identity: IdentityKeyPair | null = null;
  #keyTag = 0;
  #own: SenderKey | null = null;
  #selfId: string | null = null;
  #required = false;
  #state: E2eeState;
  #mode: FrameMode = 'clear';

  constructor(options: E2eeSessionOptions) {
    this.#frames = options.frames;
    this.#supported = options.supported ?? options.frames !== null;
    this.#send = options.send;
    this.#canEncrypt = options.frames !== null && options.enabled;
    this.#state = this.#computeState();
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
    this.#required = requireE2ee;
    const before = new Set(this.#peers.keys());
    const departed = [...before].filter((id) => !participants.some((p) => p.id === id));
    const arrived = participants.filter((p) => !before.has(p.id));
    for (const id of departed) this.#drop(id);
    for (const info of participants) this.#setPeer(info);
    this.#update();
    this.#run(async () => {
      if (!this.#own) return;
      // On a resume we may have missed leaves (rotate) or joins (ratchet): the same rules as if we had seen them.
      if (resumed && departed.length > 0) await this.#setOwn(rotate(this.#own));
      else if (resumed && arrived.length > 0) await this.#setOwn(await ratchet(this.#own));
      await this.#sendKey(this.#encryptingPeers());
      if (resumed) {
        const from = this.#encryptingPeers();
        if (from.length > 0) this.#send({ type: 'e2ee-key-request', from });
      }
    });
  }

  /** `participant-joined` or `participant-updated` of someone else. */
  participant(info: ParticipantInfo): void {
    const previous = this.#peers.get(info.id);
    this.#setPeer(info);
    this.#update();
    const identity = info.e2ee;
    if (!identity) return;
    const isNew = previous === undefined;
    if (!isNew && previous.identity?.publicKey === identity.publicKey && previous.identity.keyTag === identity.keyTag) return;
    this.#run(async () => {
      if (!this.#own) return;
      // A newcomer gets the next key only: what we sent before they came stays unreadable to them.
      if (isNew) await this.#setOwn(await ratchet(this.#own));
      await this.#sendKey([info.id]);
    });
  }

  /** `participant-left`: a fresh key for everyone still here, one the departed never gets. */
  left(participantId: string): void {
    if (!this.#peers.has(participantId)) return;
    this.#drop(participantId);
    this.#update();
    this.#run(async () => {
      if (!this.#own) return;
      await this.#setOwn(rotate(this.#own));
      await this.#sendKey(this.#encryptingPeers());
    });
  }

  requireE2ee(required: boolean): void {
    this.#required = required;
    this.#update();
  }

  /** The session starts over with a fresh join (new participant id): forget everyone, and use a fresh key. */
  reset(): void {
    for (const id of [...this.#peers.keys()]) this.#drop(id);
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
      const identity = this.#peers.get(from)?.identity;
      if (!identity || !this.#own || this.#tagTaken(from, identity.keyTag)) return;
      const pairwise = await this.#pairwiseWith(from);
      const key = pairwise ? await openSenderKey(pairwise, sealed) : null;
      // Re-check: they may have left while we opened it.
      if (!key || this.#peers.get(from)?.identity?.publicKey !== identity.publicKey) return;
      const newest = this.#ring.newestEpoch(identity.keyTag);
      if (newest !== null && key.epoch < newest) return;
      await this.#ring.set(identity.keyTag, key);
      this.#frames?.setKey(identity.keyTag, key);
    });
  }

  /** `e2ee-key-request`: someone present lost our key (e.g. after their resume). */
  keyRequested(from: string): void {
    if (!this.#peers.get(from)?.identity) return;
    this.#run(() => this.#sendKey([from]));
  }

  // ---- verification and chat ----

  /** The code both sides see for our pair of identity keys; null when they or we have none. */
  async safetyCode(participantId: string): Promise<string | null> {
    await this.#ready;
    const theirs = this.#peers.get(participantId)?.identity;
    if (!this.#identity || !theirs) return null;
    return safetyCode(this.#identity.publicKey, theirs.publicKey);
  }

  /**
   * What `chat` carries for `text`: sealed while the meeting is encrypted (or required to be), to `to`
   * with our pairwise key, else with our sender key.
   */
  sealChat(text: string, to: string | undefined): Promise<{ text: string } | { sealed: string }> {
    return this.#queue.run(async () => {
      if (this.#mode !== 'encrypt' || !this.#own) return { text };
      const pairwise = to === undefined ? null : await this.#pairwiseWith(to);
      // A private message to someone without a pairwise key (gone, or no e2ee) is still never sent in
      // clear: sealed with our sender key it reads only for participants, and the server refuses it anyway.
      return { sealed: pairwise ? await sealPrivateChat(pairwise, text) : await sealChat(this.#own, this.#keyTag, text) };
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

  async #open(message: ChatMessage, sealed: string): Promise<string | null> {
    try {
      if (!isPrivateSeal(sealed)) return await openChat(this.#ring, sealed);
      const other = message.from === this.#selfId ? message.to : message.from;
      const pairwise = other === null ? null : await this.#pairwiseWith(other);
      return pairwise ? await openPrivateChat(pairwise, sealed) : null;
    } catch {
      return null;
    }
  }

  #remember(entry: ChatEntry): void {
    this.#opened.set(entry.id, entry);
    if (this.#opened.size > OPENED_CHAT_KEPT) this.#opened.delete(this.#opened.keys().next().value as string);
  }

  // ---- internals ----

  async #init(): Promise<void> {
    try {
      this.#identity = await IdentityKeyPair.generate();
      this.#keyTag = crypto.getRandomValues(new Uint32Array(1))[0]!;
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

  async #sendKey(ids: readonly string[]): Promise<void> {
    const own = this.#own;
    if (!own || ids.length === 0) return;
    const keys: { to: string; sealed: string }[] = [];
    for (const id of ids) {
      const pairwise = await this.#pairwiseWith(id);
      if (pairwise) keys.push({ to: id, sealed: await sealSenderKey(pairwise, own) });
    }
    // Someone who left while we sealed must not get it (the server would skip them anyway).
    const present = keys.filter((k) => this.#peers.has(k.to));
    if (present.length > 0) this.#send({ type: 'e2ee-keys', keys: present });
  }

  #pairwiseWith(id: string): Promise<PairwiseKey | null> {
    const identity = this.#identities.get(id);
    if (!identity || !this.#identity) return Promise.resolve(null);
    const cacheKey = `${id} ${identity.publicKey}`;
    let pairwise = this.#pairwise.get(cacheKey);
    if (!pairwise) {
      pairwise = this.#identity.pairwise(identity.publicKey).catch(() => null);
      this.#pairwise.set(cacheKey, pairwise);
    }
    return pairwise;
  }

  #setPeer(info: ParticipantInfo): void {
    if (info.id === this.#selfId) return;
    this.#peers.set(info.id, { identity: info.e2ee });
    if (info.e2ee) this.#identities.set(info.id, info.e2ee);
  }

  #drop(id: string): void {
    const tag = this.#peers.get(id)?.identity?.keyTag;
    this.#peers.delete(id);
    // The chat ring keeps their key (their earlier messages stay readable); frames from them end here.
    if (tag !== undefined && !this.#tagTaken(id, tag)) this.#frames?.forget(tag);
  }

  /** A key tag someone else (or we) also uses: frames could not tell the two apart, so neither's key is taken from them. */
  #tagTaken(id: string, tag: number): boolean {
    if (this.#identity && tag === this.#keyTag) return true;
    for (const [other, peer] of this.#peers) if (other !== id && peer.identity?.keyTag === tag) return true;
    return false;
  }

  #encryptingPeers(): string[] {
    return [...this.#peers].filter(([, peer]) => peer.identity !== null).map(([id]) => id);
  }

  #run(task: () => Promise<void>): void {
    // A failing step (e.g. a malformed key) must not stop the schedule; the state stays as it was.
    this.#queue.run(task).catch(() => undefined);
  }

  #computeState(): E2eeState {
    const blockers = [...this.#peers].filter(([, peer]) => peer.identity === null).map(([id]) => id);
    if (!this.#canEncrypt && this.#selfId !== null) blockers.unshift(this.#selfId);
    const encrypted = this.#canEncrypt && this.#own !== null && blockers.length === 0;
    return {
      supported: this.#supported,
      status: encrypted ? 'encrypted' : 'not-encrypted',
      blockers,
      epoch: this.#own?.epoch ?? 0,
      required: this.#required,
    };
  }

  #update(): void {
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
    && a.blockers.length === b.blockers.length && a.blockers.every((id, i) => id === b.blockers[i]);
}
