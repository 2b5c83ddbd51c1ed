/** What the allocator knows of one simulcast layer of a publisher's video. */
export interface LayerInfo {
  /** The publisher sends this layer now (senders switch the high layers off when their uplink is short). */
  active: boolean;
  /** Picture height from the layer's last keyframe; 0 when not yet known. */
  height: number;
  /** Measured bitrate, bits per second. */
  bitrateBps: number;
}

export interface VideoRequest {
  /** The publisher's layers, lowest resolution first. */
  layers: readonly LayerInfo[];
  /** Height of the tile it is shown in, in device pixels (0: as small as possible). */
  tileHeight: number;
  /** Whether this video may use its top layer (last-N: recent speakers only, in large rooms). */
  topLayerAllowed: boolean;
  /** The layer the subscriber gets now (or is switching to), -1 when none. */
  current?: number;
}

/** A picture slightly smaller than its tile is upscaled without visible loss. */
const FIT_TOLERANCE = 0.75;
/** Heights assumed for layers whose keyframe has not been seen: the usual 1/4, 1/2, 1 ladder of 720p. */
const ASSUMED_HEIGHTS = [180, 360, 720];
/**
 * An upgrade beyond what a subscriber gets now, and the start of a video it does not get, must leave this
 * share of the budget free: there is no probing, so an upgrade is itself the probe, and one that only just
 * fits is the likeliest to fail; a start costs a keyframe, so it must not follow every small rise.
 */
const UPGRADE_SPARE = 0.15;

/**
 * Chooses a layer for each requested video, in priority order (the order of `requests`): the layer that
 * fits its tile, unless the subscriber's downlink cannot carry it. Everyone first gets their lowest
 * active layer while the budget lasts (a small picture of more people beats a sharp picture of one),
 * then videos get back the layer they have now, then — if `upgrades` — are upgraded toward their fitting
 * layer while 15% of the budget stays spare. A video that is not sent now (new, or stopped for
 * bandwidth) starts only if that spare is left after it too: starting one costs a keyframe, so a tile
 * dropped at a dip of the estimate must not come back at the next small rise, and go again. Returns a
 * layer index per request, or -1 where nothing is sent (no active layer, or no budget left).
 */
export function allocateVideo(requests: readonly VideoRequest[], budgetBps: number, upgrades = true): number[] {
  let budget = budgetBps;
  const spare = Number.isFinite(budgetBps) ? budgetBps * UPGRADE_SPARE : 0;
  const chosen = requests.map((request) => {
    const lowest = request.layers.findIndex((l) => l.active);
    if (lowest < 0) return -1;
    const cost = request.layers[lowest]!.bitrateBps;
    if (cost + ((request.current ?? -1) < 0 ? spare : 0) > budget) return -1;
    budget -= cost;
    return lowest;
  });
  const raise = (ceiling: (request: VideoRequest) => number, spare: number): void => {
    for (const [i, request] of requests.entries()) {
      const from = chosen[i]!;
      if (from < 0) continue;
      for (let layer = ceiling(request); layer > from; layer--) {
        const info = request.layers[layer]!;
        if (!info.active) continue;
        const extra = info.bitrateBps - request.layers[from]!.bitrateBps;
        if (extra <= budget - spare) {
          budget -= extra;
          chosen[i] = layer;
          break;
        }
      }
    }
  };
  // Keep what flows now as long as the estimate carries it, then upgrade with margin.
  raise((r) => Math.min(r.current ?? -1, fittingLayer(r)), 0);
  if (upgrades) raise(fittingLayer, spare);
  return chosen;
}

/**
 * After an upgrade had to be taken back for lack of bandwidth, the next attempt waits: 4 s, then twice as
 * long after each further failure (at most a minute), until the allocation has been stable for 30 s.
 * Without it a subscriber on a slow link oscillates between a layer its link carries and one it does not.
 */
export class UpgradeBackoff {
  private holdMs = 0;
  private blockedUntil = 0;
  private lastSetbackMs = -Infinity;

  allowed(nowMs: number): boolean {
    if (this.holdMs > 0 && nowMs - this.lastSetbackMs > 30_000) this.holdMs = 0;
    return nowMs >= this.blockedUntil;
  }

  /** The allocation gave a video a lower layer than it had although its tile wants at least that one. */
  setback(nowMs: number): void {
    this.holdMs = this.holdMs === 0 ? 4000 : Math.min(60_000, this.holdMs * 2);
    this.blockedUntil = nowMs + this.holdMs;
    this.lastSetbackMs = nowMs;
  }
}

/**
 * The lowest active layer tall enough for the tile; the highest allowed one if none is. With
 * `includeInactive`, layers the publisher does not send now count too: what the tile would need.
 */
export function fittingLayer(request: VideoRequest, includeInactive = false): number {
  const top = request.topLayerAllowed ? request.layers.length - 1 : Math.max(0, request.layers.length - 2);
  let best = -1;
  for (let i = 0; i <= top; i++) {
    const layer = request.layers[i]!;
    if (!layer.active && !includeInactive) continue;
    best = i;
    const height = layer.height > 0 ? layer.height : (ASSUMED_HEIGHTS[i] ?? 720);
    if (height >= request.tileHeight * FIT_TOLERANCE) return i;
  }
  return best;
}
