// Keys of the other senders in a meeting, by key tag, and the encryptor of our own frames
// (design "Key schedule"). A receiver keeps each sender's newest key and the two epochs before it
// (frames in flight), and follows a sender's ratchet on demand: a frame up to 8 epochs ahead is tried
// with the ratcheted key and, when it authenticates, the ratchet is taken.

import { clearPrefixLength } from './clear-prefix.js';
import { TAG_BYTES } from './bytes.js';
import { checkTag, EPOCHS, epochOf, kidOf, tagOf } from './key-id.js';
import { BASE_KEY_BYTES, checkEpoch, MAX_EPOCH, hkdfSha256, own, ratchet, type SenderKey } from './sender-key.js';
import { decodeSFrameHeader, deriveSFrameKey, sframeDecrypt, sframeEncrypt, type SFrameKey } from './sframe.js';

/** How far ahead of the newest known epoch a frame may be for us to follow the ratchet. */
export const MAX_RATCHET = 8;
/** Epochs before the newest still accepted, for frames sent just before a change. */
export const PREVIOUS_EPOCHS = 2;
/** Past epochs whose chat keys are kept, so earlier chat stays readable to those who had the key. */
export const CHAT_EPOCHS = 64;
const CHAT_INFO = new TextEncoder().encode('Treff E2EE chat v1');

/**
 * `not-sframe`: no SFrame header where one belongs. `unknown-key`: we do not hold the key of that
 * sender and epoch (unknown sender, an epoch before we got its key, more than 8 ahead, or ahead by a
 * rotation whose key has not arrived: the ratcheted guess does not authenticate). `auth-failed`: we
 * hold the key of that epoch and the frame does not authenticate under it (tampered or forged).
 */
export type DecryptResult =
  | { ok: true; frame: Uint8Array; keyTag: number; epoch: number; /** The SFrame counter (for replay checks). */ ctr: number }
  | { ok: false; reason: 'not-sframe' | 'unknown-key' | 'auth-failed'; keyTag: number | null };

export type FrameKind = 'audio' | 'video';

/** AES-GCM-128 key for chat: HKDF-SHA256(baseKey, info "Treff E2EE chat v1"), apart from the frame keys. */
export async function deriveChatKey(baseKey: Uint8Array): Promise<CryptoKey> {
  const raw = await hkdfSha256(baseKey, CHAT_INFO, 16);
  return crypto.subtle.importKey('raw', own(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** One sender key with its derived keys, derived once on first use. */
class EpochKey {
  #frame: Promise<SFrameKey> | null = null;
  #chat: Promise<CryptoKey> | null = null;

  constructor(
    readonly keyTag: number,
    readonly key: SenderKey,
  ) {}

  get epoch(): number {
    return this.key.epoch;
  }

  frameKey(): Promise<SFrameKey> {
    return (this.#frame ??= deriveSFrameKey(this.key.baseKey, kidOf(this.keyTag, this.key.epoch)));
  }

  chatKey(): Promise<CryptoKey> {
    return (this.#chat ??= deriveChatKey(this.key.baseKey));
  }
}

/** Ratcheted guesses ahead of one newest key; replaced whenever a key is set from outside. */
type Chain = Map<number, Promise<EpochKey>>;

interface Sender {
  newest: number;
  /** The newest key and up to PREVIOUS_EPOCHS before it, by full epoch. */
  held: Map<number, EpochKey>;
  chain: Chain;
  /** Every key we held, newest CHAT_EPOCHS of them, for chat. */
  past: Map<number, EpochKey>;
}

export class KeyRing {
  readonly #senders = new Map<number, Sender>();

  /**
   * Installs `keyTag`'s key. An epoch older than the newest we know is ignored (a replayed or late
   * key must not roll a sender back); the same epoch replaces what we had (the sender's word over our
   * ratcheted guess). Resolves once the frame key is derived.
   */
  async set(keyTag: number, key: SenderKey): Promise<void> {
    checkTag(keyTag);
    checkEpoch(key.epoch);
    if (key.baseKey.length !== BASE_KEY_BYTES) throw new RangeError(`base key must be ${BASE_KEY_BYTES} bytes`);
    const sender = this.#senders.get(keyTag);
    if (sender && key.epoch < sender.newest) return;
    const current = sender?.held.get(key.epoch);
    if (current && equalBytes(current.key.baseKey, key.baseKey)) return;
    const entry = new EpochKey(keyTag, { epoch: key.epoch, baseKey: key.baseKey.slice() });
    if (sender) {
      sender.held.set(key.epoch, entry);
      sender.newest = key.epoch;
      sender.chain = new Map();
      prune(sender);
      remember(sender, entry);
    } else {
      const fresh: Sender = { newest: key.epoch, held: new Map([[key.epoch, entry]]), chain: new Map(), past: new Map() };
      remember(fresh, entry);
      this.#senders.set(keyTag, fresh);
    }
    await entry.frameKey();
  }

  forget(keyTag: number): void {
    this.#senders.delete(keyTag);
  }

  has(keyTag: number): boolean {
    return this.#senders.has(keyTag);
  }

  newestEpoch(keyTag: number): number | null {
    return this.#senders.get(keyTag)?.newest ?? null;
  }

  /**
   * Whether something sealed under `kid` may still become readable once a key arrives: we hold no key
   * of its sender, or its epoch is ahead of the newest we hold (a rotation on its way, or a gap beyond
   * the ratchet). False for the newest epoch and those before it — `set` never goes back — so a
   * receiver holding frames for a key can tell which will never be released.
   */
  awaitsKey(kid: number): boolean {
    const sender = this.#senders.get(tagOf(kid));
    if (!sender) return true;
    const ahead = epochsAhead(sender.newest, epochOf(kid));
    return ahead > 0 && ahead < EPOCHS / 2;
  }

  /** Decrypts a frame as it arrives: clearPrefix || SFrame header || ciphertext+tag. */
  async decryptFrame(kind: FrameKind, data: Uint8Array): Promise<DecryptResult> {
    let refused: DecryptResult = { ok: false, reason: 'not-sframe', keyTag: null };
    for (const [i, split] of headerSplits(kind, data).entries()) {
      const result = await this.#decryptAt(data, split);
      if (result.ok) return result;
      // Report why the usual split failed; the short-frame splits are only second guesses.
      if (i === 0) refused = result;
    }
    return refused;
  }

  /**
   * The chat key of `kid`'s sender and epoch: one we hold (or held, up to CHAT_EPOCHS back), or the
   * ratcheted key up to 8 epochs ahead. Null when we never had it. A ratcheted key is not taken here:
   * only an authenticated frame moves a sender on.
   */
  async chatKey(kid: number): Promise<CryptoKey | null> {
    if (!Number.isSafeInteger(kid) || kid < 0) return null;
    const sender = this.#senders.get(tagOf(kid));
    if (!sender) return null;
    const ahead = epochsAhead(sender.newest, epochOf(kid));
    if (ahead > 0 && ahead <= MAX_RATCHET) {
      const entry = await this.#guess(tagOf(kid), sender, sender.newest + ahead);
      return entry ? entry.chatKey() : null;
    }
    let found: EpochKey | null = null;
    for (const entry of sender.past.values()) {
      if (entry.epoch % EPOCHS === epochOf(kid) && (found === null || entry.epoch > found.epoch)) found = entry;
    }
    return found ? found.chatKey() : null;
  }

  async #decryptAt(data: Uint8Array, { clearBytes, kid, ctr }: HeaderSplit): Promise<DecryptResult> {
    const keyTag = tagOf(kid);
    const sender = this.#senders.get(keyTag);
    if (!sender) return { ok: false, reason: 'unknown-key', keyTag };
    const ahead = epochsAhead(sender.newest, epochOf(kid));
    if (ahead > 0 && ahead <= MAX_RATCHET) return this.#decryptAhead(data, clearBytes, ctr, keyTag, sender, sender.newest + ahead);
    const epoch = sender.newest - (ahead === 0 ? 0 : EPOCHS - ahead);
    const entry = sender.held.get(epoch);
    if (!entry) return { ok: false, reason: 'unknown-key', keyTag };
    const frame = await sframeDecrypt(await entry.frameKey(), data, clearBytes);
    return frame ? { ok: true, frame, keyTag, epoch, ctr } : { ok: false, reason: 'auth-failed', keyTag };
  }

  async #decryptAhead(data: Uint8Array, clearBytes: number, ctr: number, keyTag: number, sender: Sender, epoch: number): Promise<DecryptResult> {
    const chain = sender.chain;
    const entry = await this.#guess(keyTag, sender, epoch);
    const frame = entry ? await sframeDecrypt(await entry.frameKey(), data, clearBytes) : null;
    if (!entry || !frame) return { ok: false, reason: 'unknown-key', keyTag };
    const steps: EpochKey[] = [];
    for (let e = sender.newest + 1; e < epoch; e++) {
      const step = await chain.get(e);
      if (step) steps.push(step);
    }
    steps.push(entry);
    this.#take(keyTag, sender, chain, epoch, steps);
    return { ok: true, frame, keyTag, epoch, ctr };
  }

  /**
   * Moves `kid`'s sender on to `kid`'s epoch by ratchet, up to 8 ahead — only for something that
   * authenticated under that epoch's key (a chat message, or a frame the worker decrypted).
   */
  async follow(kid: number): Promise<void> {
    if (!Number.isSafeInteger(kid) || kid < 0) return;
    const keyTag = tagOf(kid);
    const sender = this.#senders.get(keyTag);
    if (!sender) return;
    const ahead = epochsAhead(sender.newest, epochOf(kid));
    if (ahead === 0 || ahead > MAX_RATCHET) return;
    const chain = sender.chain;
    const epoch = sender.newest + ahead;
    const steps: EpochKey[] = [];
    for (let e = sender.newest + 1; e <= epoch; e++) {
      const step = await this.#guess(keyTag, sender, e);
      if (!step) return;
      steps.push(step);
    }
    this.#take(keyTag, sender, chain, epoch, steps);
  }

  /**
   * Takes the ratchet unless the sender was forgotten, given a key from outside, or moved on meanwhile
   * (callers check nothing after their last await; this has none).
   */
  #take(keyTag: number, sender: Sender, chain: Chain, epoch: number, steps: readonly EpochKey[]): void {
    if (this.#senders.get(keyTag) !== sender || sender.chain !== chain || epoch <= sender.newest) return;
    sender.newest = epoch;
    for (const step of steps) {
      chain.delete(step.epoch);
      sender.held.set(step.epoch, step);
      remember(sender, step);
    }
    prune(sender);
  }

  /** The key of `epoch` by ratcheting the sender's newest key forward, shared by concurrent callers. */
  #guess(keyTag: number, sender: Sender, epoch: number): Promise<EpochKey | null> {
    if (epoch > MAX_EPOCH) return Promise.resolve(null);
    const chain = sender.chain;
    const cached = chain.get(epoch);
    if (cached) return cached;
    const previous: Promise<EpochKey | null> =
      epoch - 1 === sender.newest ? Promise.resolve(sender.held.get(sender.newest) ?? null) : this.#guess(keyTag, sender, epoch - 1);
    const next = previous.then(async (from) => (from ? new EpochKey(keyTag, await ratchet(from.key)) : null));
    chain.set(epoch, next as Promise<EpochKey>);
    return next;
  }
}

/**
 * Our own frames. One counter for all of our keys, only ever counting up, so no key ever sees a nonce
 * twice — even if the same key is set again (e.g. re-sent after a reconnect).
 */
export class FrameEncryptor {
  readonly #keyTag: number;
  #current: { epoch: number; key: SFrameKey } | null = null;
  #counter = 0;
  #setting = 0;

  constructor(keyTag: number) {
    checkTag(keyTag);
    this.#keyTag = keyTag;
  }

  get epoch(): number | null {
    return this.#current?.epoch ?? null;
  }

  /** Starts using `key` once derived; of overlapping calls the last one wins. */
  async setKey(key: SenderKey): Promise<void> {
    const call = ++this.#setting;
    const derived = await deriveSFrameKey(key.baseKey, kidOf(this.#keyTag, key.epoch));
    if (call === this.#setting) this.#current = { epoch: key.epoch, key: derived };
  }

  async encryptFrame(kind: FrameKind, frame: Uint8Array): Promise<Uint8Array> {
    const current = this.#current;
    if (!current) throw new Error('no sender key set');
    // Taken before any await, so concurrent frames get distinct counters.
    const ctr = this.#counter++;
    return sframeEncrypt(current.key, ctr, frame, clearPrefixLength(kind, frame));
  }
}

interface HeaderSplit {
  clearBytes: number;
  kid: number;
  ctr: number;
}

/**
 * Where the SFrame header may start. Normally after the clear prefix the frame's first bytes call for;
 * a frame that was shorter than its prefix went out whole in clear with an empty ciphertext, so the
 * header sits earlier and the data ends right after header and tag.
 */
function headerSplits(kind: FrameKind, data: Uint8Array): HeaderSplit[] {
  const splits: HeaderSplit[] = [];
  const prefix = clearPrefixLength(kind, data);
  const nominal = decodeSFrameHeader(data, prefix);
  if (nominal && prefix + nominal.length + TAG_BYTES <= data.length) splits.push({ clearBytes: prefix, kid: nominal.kid, ctr: nominal.ctr });
  for (let clearBytes = Math.min(prefix, data.length) - 1; clearBytes >= 0; clearBytes--) {
    const header = decodeSFrameHeader(data, clearBytes);
    if (header && clearBytes + header.length + TAG_BYTES === data.length) splits.push({ clearBytes, kid: header.kid, ctr: header.ctr });
  }
  return splits;
}

/** How many epochs `epochMod` (an epoch modulo EPOCHS) is ahead of `newest`, in 0..EPOCHS-1. */
function epochsAhead(newest: number, epochMod: number): number {
  return (epochMod - (newest % EPOCHS) + EPOCHS) % EPOCHS;
}

function prune(sender: Sender): void {
  for (const epoch of sender.held.keys()) if (epoch < sender.newest - PREVIOUS_EPOCHS || epoch > sender.newest) sender.held.delete(epoch);
}

function remember(sender: Sender, entry: EpochKey): void {
  sender.past.set(entry.epoch, entry);
  for (const epoch of sender.past.keys()) if (epoch <= sender.newest - CHAT_EPOCHS || epoch > sender.newest) sender.past.delete(epoch);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
