import type { MediaKind, PacketTap, Sfu, TappedPacket } from '@treff/sfu';
import type { Logger } from 'pino';

/** A publisher's RTP packet as the SFU parsed it, named by participant (see `RunningServer.tapMedia`). */
export interface TappedMedia {
  participantId: string;
  kind: MediaKind;
  ssrc: number;
  payloadType: number;
  marker: boolean;
  /** The RTP payload, after header, extensions and padding; a copy. */
  payload: Uint8Array;
}

export type MediaTapListener = (packet: TappedMedia) => void;

/**
 * A diagnostic seam for tests: what the SFU sees of every participant's media. The SFU's tap is set only
 * while someone listens, so a server nobody taps copies nothing.
 */
export class MediaTap {
  private readonly listeners = new Set<MediaTapListener>();
  private readonly dispatch: PacketTap = (packet) => this.deliver(packet);

  constructor(
    private readonly sfu: Sfu,
    private readonly log: Logger,
  ) {}

  /** Returns the function that stops this listener. */
  add(listener: MediaTapListener): () => void {
    this.listeners.add(listener);
    this.sfu.setPacketTap(this.dispatch);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.sfu.setPacketTap(null);
    };
  }

  private deliver(packet: TappedPacket): void {
    // Rooms name each participant's transport by the participant's id.
    const media: TappedMedia = {
      participantId: packet.transportId,
      kind: packet.kind,
      ssrc: packet.ssrc,
      payloadType: packet.payloadType,
      marker: packet.marker,
      payload: packet.payload,
    };
    for (const listener of this.listeners) {
      try {
        listener(media);
      } catch (err) {
        // A listener's bug must not stop the media path it watches.
        this.log.error({ err }, 'media tap listener failed');
      }
    }
  }
}
