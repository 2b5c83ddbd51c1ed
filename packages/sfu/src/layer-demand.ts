/**
 * Which simulcast layers of one camera anybody needs. A layer nobody receives still costs its publisher
 * encoder time and uplink, and the server a decryption per packet, so the publisher is asked to pause it
 * (LiveKit calls this dynacast). The lowest layer always stays on: it is cheap, and a new subscriber or
 * a shrunken tile can then switch to it at once instead of waiting for an encoder to restart.
 *
 * More layers are asked for at once — a tile that grows should sharpen within a keyframe — but fewer
 * only after the demand stayed lower for `holdMs`: tiles resize and speakers alternate, and every layer
 * switched back on costs a keyframe.
 */
export class LayerDemand {
  /** Number of layers the publisher was last asked to send; 0 before the first announcement. */
  private announced = 0;
  private lowerSinceMs: number | null = null;

  constructor(
    private readonly layerCount: number,
    private readonly holdMs = 5000,
  ) {}

  /** Layers the publisher should send now (the lowest `count`); `layerCount` until first lowered. */
  get count(): number {
    return this.announced === 0 ? this.layerCount : this.announced;
  }

  /**
   * `highest` is the highest layer index any subscriber's tile wants (-1: nobody watches). Returns the
   * number of layers to announce when it changed, else null.
   */
  update(highest: number, nowMs: number): number | null {
    const wanted = Math.min(this.layerCount, Math.max(1, highest + 1));
    const current = this.count;
    if (wanted > current) return this.announce(wanted);
    if (wanted === current) {
      this.lowerSinceMs = null;
      return null;
    }
    this.lowerSinceMs ??= nowMs;
    return nowMs - this.lowerSinceMs >= this.holdMs ? this.announce(wanted) : null;
  }

  private announce(count: number): number {
    this.announced = count;
    this.lowerSinceMs = null;
    return count;
  }
}
