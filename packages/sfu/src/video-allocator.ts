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
}

/** A picture slightly smaller than its tile is upscaled without visible loss. */
const FIT_TOLERANCE = 0.75;
/** Heights assumed for layers whose keyframe has not been seen: the usual 1/4, 1/2, 1 ladder of 720p. */
const ASSUMED_HEIGHTS = [180, 360, 720];
/** Budget kept free, so that a small rise in the layers' bitrates does not oversubscribe the link. */
const HEADROOM = 0.9;

/**
 * Chooses a layer for each requested video, in priority order (the order of `requests`): the layer that
 * fits its tile, unless the subscriber's downlink cannot carry it. Everyone first gets their lowest
 * active layer while the budget lasts (a small picture of more people beats a sharp picture of one),
 * then videos are upgraded toward their fitting layer in priority order. Returns a layer index per
 * request, or -1 where nothing is sent (no active layer, or no budget left).
 */
export function allocateVideo(requests: readonly VideoRequest[], budgetBps: number): number[] {
  let budget = budgetBps * HEADROOM;
  const chosen = requests.map((request) => {
    const lowest = request.layers.findIndex((l) => l.active);
    if (lowest < 0) return -1;
    const cost = request.layers[lowest]!.bitrateBps;
    if (cost > budget) return -1;
    budget -= cost;
    return lowest;
  });
  for (const [i, request] of requests.entries()) {
    const current = chosen[i]!;
    if (current < 0) continue;
    const wanted = fittingLayer(request);
    for (let layer = wanted; layer > current; layer--) {
      const info = request.layers[layer]!;
      if (!info.active) continue;
      const extra = info.bitrateBps - request.layers[current]!.bitrateBps;
      if (extra <= budget) {
        budget -= extra;
        chosen[i] = layer;
        break;
      }
    }
  }
  return chosen;
}

/** The lowest active layer tall enough for the tile; the highest allowed one if none is. */
export function fittingLayer(request: VideoRequest): number {
  const top = request.topLayerAllowed ? request.layers.length - 1 : Math.max(0, request.layers.length - 2);
  let best = -1;
  for (let i = 0; i <= top; i++) {
    const layer = request.layers[i]!;
    if (!layer.active) continue;
    best = i;
    const height = layer.height > 0 ? layer.height : (ASSUMED_HEIGHTS[i] ?? 720);
    if (height >= request.tileHeight * FIT_TOLERANCE) return i;
  }
  return best;
}
