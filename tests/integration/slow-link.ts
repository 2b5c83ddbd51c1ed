// The slow downlink the bandwidth tests put a subscriber behind, and the bot options that route one
// through a relay.

import type { BotOptions } from '@treff/load';
import { UdpLossRelay } from './udp-loss-relay.js';

/** 800 kbps towards the subscriber, as a poor home connection. */
export const SLOW_LINK_BPS = 800_000;
/** A drop-tail queue of 300 ms of the link's rate, as at a home router. */
const SLOW_LINK_QUEUE_BYTES = (SLOW_LINK_BPS / 8) * 0.3;

/** A relay that loses nothing but limits what reaches the client to the slow link. */
export function startSlowLinkRelay(): Promise<UdpLossRelay> {
  return UdpLossRelay.start({ lossRate: 0, seed: 1, toClientRate: { bitsPerSecond: SLOW_LINK_BPS, queueBytes: SLOW_LINK_QUEUE_BYTES } });
}

/** Options for a bot that only subscribes, with all its media going through `relay`. */
export function subscriberThrough(relay: UdpLossRelay): Partial<BotOptions> {
  return {
    publish: { audio: false, video: false },
    rewriteRemoteCandidate: relay.rewriteServerCandidate,
    rewriteLocalCandidate: relay.rewriteClientCandidate,
  };
}
