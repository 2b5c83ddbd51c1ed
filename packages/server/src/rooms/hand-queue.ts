/** Raised hands in the order they were raised; raising again keeps one's place. */
export class HandQueue {
  private readonly raised: string[] = [];

  /** Whether the queue changed. */
  raise(participantId: string): boolean {
    if (this.raised.includes(participantId)) return false;
    this.raised.push(participantId);
    return true;
  }

  /** Whether the queue changed. */
  lower(participantId: string): boolean {
    const at = this.raised.indexOf(participantId);
    if (at < 0) return false;
    this.raised.splice(at, 1);
    return true;
  }

  get queue(): string[] {
    return [...this.raised];
  }
}
