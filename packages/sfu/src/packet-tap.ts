import type { MediaKind } from './codecs.js';

/**
 * One RTP packet as a publisher sent it, after the SFU parsed it: a diagnostic copy, e.g. for tests that
 * check what the SFU can see of the media (with end-to-end encryption: nothing of the frames).
 */
export interface TappedPacket {
  /** The publishing transport. */
  transportId: string;
  kind: MediaKind;
  ssrc: number;
  payloadType: number;
  marker: boolean;
  /** The RTP payload (after header, extensions and padding removed), copied: the tap may keep it. */
  payload: Uint8Array;
}

/**
 * Sees every parsed RTP packet of every publisher while set. It is called synchronously, before the packet
 * is forwarded, so it must return quickly (keep the copy, look at it later): its time is added to every
 * packet's path through the SFU.
 */
export type PacketTap = (packet: TappedPacket) => void;
