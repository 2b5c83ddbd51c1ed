// SFrame key ids (RFC 9605 §4.3) for Treff: one id names a sender (its key tag) and the epoch of its key,
// so a receiver finds the right key from the frame alone.

/** Epochs a KID can tell apart; receivers map `epoch mod EPOCHS` back to the nearby full epoch. */
export const EPOCHS = 65536;

const MAX_TAG = 0xffff_ffff;

/** KID of `keyTag`'s key of `epoch`: keyTag * 65536 + epoch mod 65536, below 2^48 (a safe integer). */
export function kidOf(keyTag: number, epoch: number): number {
  checkTag(keyTag);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
  return keyTag * EPOCHS + (epoch % EPOCHS);
}

export function checkTag(keyTag: number): void {
  if (!Number.isInteger(keyTag) || keyTag < 0 || keyTag > MAX_TAG) throw new RangeError(`key tag must be a uint32, got ${keyTag}`);
}

export function tagOf(kid: number): number {
  return Math.floor(kid / EPOCHS);
}

/** The epoch modulo EPOCHS that `kid` carries. */
export function epochOf(kid: number): number {
  return kid % EPOCHS;
}

/**
 * A random key tag for a participant. Never 0: chat seals use KID 0 to mark pairwise (private)
 * messages, so a sender tag 0 at epoch 0 would be taken for one.
 */
export function newKeyTag(): number {
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while (word[0] === 0);
  return word[0] as number;
}
