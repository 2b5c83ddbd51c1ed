/**
 * What one participant may send in end-to-end key exchange, counted in keys (`e2ee-keys` entries) and
 * participants asked (`e2ee-key-request` ids), since each is one message the server sends on. An honest
 * client's need grows with the room: it rotates its key once per departure and seals the new one for
 * everyone remaining, so when all of a full room leave at once it sends about seats²/2 keys in a moment.
 * The burst is seats² (at least 250), the refill 20 keys a second per seat.
 */
export const KEY_BUDGET = { perSecondPerSeat: 20, minBurst: 250 } as const;
/** A participant asks another for its key at most once in this long; more asks are dropped. */
export const KEY_ASK_INTERVAL_MS = 5000;

export function keyBurst(seats: number): number {
  return Math.max(KEY_BUDGET.minBurst, seats * seats);
}

export class KeyExchangeBudget {
  private tokens = Number.POSITIVE_INFINITY;
  private last: number;
  /**
   * Who asked this participant for its key, relayed when, and whether it answered since. Answers to them
   * are free: requests are throttled per pair, and an honest client must not lose its connection for
   * answering what others asked.
   */
  private readonly askedBy = new Map<string, { at: number; answered: boolean }>();

  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }

  /**
   * Spends `asked` participants asked, or the keys sent to `recipients` except one answer to each
   * unanswered ask; false (nothing spent) when that is more than is left.
   */
  spend(seats: number, what: { asked: number } | { recipients: readonly string[] }): boolean {
    const t = this.now();
    const burst = keyBurst(seats);
    this.tokens = Math.min(burst, this.tokens + ((t - this.last) / 1000) * KEY_BUDGET.perSecondPerSeat * seats);
    this.last = t;
    const answers = 'recipients' in what ? what.recipients.filter((id) => this.awaitsAnswer(id, t)) : [];
    const cost = 'asked' in what ? what.asked : what.recipients.length - answers.length;
    if (cost > this.tokens) return false;
    this.tokens -= cost;
    for (const id of answers) this.askedBy.get(id)!.answered = true;
    return true;
  }

  /** Records that `requester` asks for this participant's key; false when it asked too recently (drop it). */
  ask(requester: string): boolean {
    const t = this.now();
    for (const [id, ask] of this.askedBy) if (t - ask.at >= KEY_ASK_INTERVAL_MS) this.askedBy.delete(id);
    if (this.askedBy.has(requester)) return false;
    this.askedBy.set(requester, { at: t, answered: false });
    return true;
  }

  private awaitsAnswer(requester: string, t: number): boolean {
    const ask = this.askedBy.get(requester);
    return ask !== undefined && !ask.answered && t - ask.at < KEY_ASK_INTERVAL_MS;
  }
}
