/**
 * Counts events per key (a client address, a room) over a sliding window, e.g. wrong password guesses.
 * Synchronous on purpose: a throttled guess is refused before any scrypt work starts, and a count
 * cannot change between the check and the record. Memory stays bounded: keys whose events all left
 * the window are dropped, and beyond `maxKeys` the oldest key goes first.
 */
export class AttemptLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `key` has used up its attempts for now. */
  blocked(key: string): boolean {
    return this.recent(key).length >= this.limit;
  }

  record(key: string): void {
    const times = this.recent(key);
    times.push(this.now());
    // Re-inserting moves the key to the end, so the first key is always the least recently used.
    this.events.delete(key);
    this.events.set(key, times);
    if (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value!);
  }

  /**
   * Takes back the latest attempt of `key`: a guess is recorded before it is checked (so that parallel
   * guesses cannot all pass the check at once) and refunded when it was right.
   */
  release(key: string): void {
    const times = this.events.get(key);
    times?.pop();
    if (times?.length === 0) this.events.delete(key);
  }

  /** Records an attempt unless blocked; false when blocked. */
  take(key: string): boolean {
    if (this.blocked(key)) return false;
    this.record(key);
    return true;
  }

  /** Milliseconds until `key` may try again (0: now). */
  retryAfterMs(key: string): number {
    const times = this.recent(key);
    if (times.length < this.limit) return 0;
    return Math.max(0, times[times.length - this.limit]! + this.windowMs - this.now());
  }

  private recent(key: string): number[] {
    const times = this.events.get(key);
    if (times === undefined) return [];
    const since = this.now() - this.windowMs;
    while (times.length > 0 && times[0]! <= since) times.shift();
    if (times.length === 0) this.events.delete(key);
    return times;
  }
}
