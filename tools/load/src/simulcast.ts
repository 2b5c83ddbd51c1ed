// What a bot publishes as simulcast (RFC 8853): one encoding per rid the offer lists, lowest
// resolution first, with the sizes and bitrates a browser's camera encoder typically uses for
// 720p in three layers (scaleResolutionDownBy 4, 2, 1).

import { MAX_PACKET_BYTES } from './rtp-extensions.js';
import type { VideoSourceOptions } from './synthetic.js';

export interface LayerSpec {
  width: number;
  height: number;
  bitrateBps: number;
}

/** Layers from the lowest: 320×180 at 150 kbps, 640×360 at 500 kbps, 1280×720 at 1.5 Mbps. */
export const SIMULCAST_LAYERS: readonly LayerSpec[] = [
  { width: 320, height: 180, bitrateBps: 150_000 },
  { width: 640, height: 360, bitrateBps: 500_000 },
  { width: 1280, height: 720, bitrateBps: 1_500_000 },
];

export type VideoLayers = 1 | 2 | 3;

/** Room for the RTP fixed header and the bots' extension block (rid + transport-wide sequence). */
const HEADER_ALLOWANCE = 40;
/** Payload a bot puts in one packet at most, so packets stay within MAX_PACKET_BYTES. */
export const MAX_VIDEO_PAYLOAD = 1100;

/**
 * Pacing and packet size for one layer: whole frames at `framesPerSecond`, each split into the
 * fewest packets of at most MAX_VIDEO_PAYLOAD bytes, so that the layer's bitrate comes out as `spec`
 * says (RTP payload bits; headers add 2–4 %).
 */
export function layerSourceOptions(spec: LayerSpec, framesPerSecond: number, keyframeIntervalMs: number): VideoSourceOptions {
  const bytesPerFrame = spec.bitrateBps / 8 / framesPerSecond;
  const packetsPerFrame = Math.max(1, Math.ceil(bytesPerFrame / MAX_VIDEO_PAYLOAD));
  const payloadBytes = Math.min(MAX_PACKET_BYTES - HEADER_ALLOWANCE, Math.round(bytesPerFrame / packetsPerFrame));
  return { packetsPerSecond: packetsPerFrame * framesPerSecond, framesPerSecond, payloadBytes, keyframeIntervalMs, width: spec.width, height: spec.height };
}

/**
 * The rids a bot sends, given what the offer asks for: the lowest `videoLayers` of them, as a
 * browser whose camera or uplink cannot feed the top layers (RFC 8853 §5.3 lets the answer drop
 * rids). Empty means no simulcast: one stream, as a client without simulcast would answer.
 */
export function chooseRids(offered: readonly string[], videoLayers: VideoLayers): string[] {
  if (videoLayers <= 1 || offered.length < 2) return [];
  return offered.slice(0, videoLayers);
}

/** The spec of layer `index` (0 = lowest); beyond the table, the largest. */
export function layerSpec(index: number): LayerSpec {
  return SIMULCAST_LAYERS[Math.max(0, Math.min(index, SIMULCAST_LAYERS.length - 1))]!;
}
