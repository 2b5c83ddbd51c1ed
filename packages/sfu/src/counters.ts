/** Plain counters the hot path increments; the server exports them as metrics. */
export interface SfuCounters {
  packetsReceived: number;
  packetsForwarded: number;
  bytesForwarded: number;
  malformedPackets: number;
  keyframeRequests: number;
  nacksReceived: number;
  /** NACK packets sent to publishers about their lost packets. */
  nacksSent: number;
  retransmissions: number;
  sendErrors: number;
  /** A receiving slot moved to another simulcast layer of the same publisher. */
  layerSwitches: number;
  /** A receiving slot moved to another publisher (or started carrying one). */
  sourceSwitches: number;
  /** Video packets that waited in a subscriber's pacer, and those dropped there after waiting too long. */
  packetsPaced: number;
  pacerDrops: number;
}

export function createCounters(): SfuCounters {
  return { packetsReceived: 0, packetsForwarded: 0, bytesForwarded: 0, malformedPackets: 0, keyframeRequests: 0, nacksReceived: 0, nacksSent: 0, retransmissions: 0, sendErrors: 0, layerSwitches: 0, sourceSwitches: 0, packetsPaced: 0, pacerDrops: 0 };
}
