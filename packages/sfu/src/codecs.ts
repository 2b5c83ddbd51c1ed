import { Audio, Video } from 'node-datachannel';
import type { Direction } from 'node-datachannel';

export type MediaKind = 'audio' | 'video';

/**
 * The one codec set every m-line is offered with. Because the server always makes the offer,
 * every browser uses these payload types and extension ids, so forwarding never rewrites them.
 */
export const OPUS_PAYLOAD_TYPE = 111;
export const VP8_PAYLOAD_TYPE = 96;
export const AUDIO_LEVEL_EXTENSION_ID = 1;
/** RFC 8852 RtpStreamId: which simulcast encoding a packet belongs to. */
export const RID_EXTENSION_ID = 2;
export const RID_EXTENSION_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
/** Transport-wide sequence numbers (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2), on every m-line. */
export const TRANSPORT_CC_EXTENSION_ID = 3;
export const TRANSPORT_CC_EXTENSION_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
/** Where a browser's upload estimate starts (kbps): two simulcast layers at once. */
const START_BITRATE_KBPS = 1000;
export const CLOCK_RATE: Record<MediaKind, number> = { audio: 48_000, video: 90_000 };
export const PAYLOAD_TYPE: Record<MediaKind, number> = { audio: OPUS_PAYLOAD_TYPE, video: VP8_PAYLOAD_TYPE };

export interface SsrcAnnouncement {
  ssrc: number;
  cname: string;
  streamId: string;
  trackId: string;
}

export interface MediaOptions {
  /** The stream this side sends on the m-line (RFC 5576 a=ssrc, with RFC 8830 msid). */
  ssrc?: SsrcAnnouncement;
  /** The m-line receives RFC 8853 simulcast, with the RFC 8852 rid header extension. */
  simulcast?: boolean;
  /**
   * SSRCs the peer sends on this receiving m-line. Only for libdatachannel's routing (it looks incoming
   * SSRCs up in both descriptions); they are removed from the SDP the client sees.
   */
  receiveSsrcs?: readonly number[];
}

export function describeMedia(kind: MediaKind, mid: string, direction: Direction, options: MediaOptions = {}): Audio | Video {
  const media = kind === 'audio' ? new Audio(mid, direction) : new Video(mid, direction);
  if (media instanceof Audio) {
    media.addOpusCodec(OPUS_PAYLOAD_TYPE);
    // RFC 6464 audio level drives active-speaker detection and audio top-N without decoding audio.
    media.parseSdpLine(`a=extmap:${AUDIO_LEVEL_EXTENSION_ID} urn:ietf:params:rtp-hdrext:ssrc-audio-level`);
    media.parseSdpLine(`a=rtcp-fb:${OPUS_PAYLOAD_TYPE} transport-cc`);
  } else {
    // addVP8Codec adds nack, nack pli and goog-remb feedback; FIR (RFC 5104) is added for senders that prefer it.
    media.addVP8Codec(VP8_PAYLOAD_TYPE);
    media.parseSdpLine(`a=rtcp-fb:${VP8_PAYLOAD_TYPE} ccm fir`);
    media.parseSdpLine(`a=rtcp-fb:${VP8_PAYLOAD_TYPE} transport-cc`);
    // Chromium starts its bandwidth estimate at 300 kbps and lifts it with probes sent the moment media
    // starts; simulcast packets are dropped until the client has reported their SSRCs, so those probes
    // can be lost, leaving a slow ramp (about 25 s to the top layer). A higher start avoids that.
    if (direction === 'RecvOnly') media.parseSdpLine(`a=fmtp:${VP8_PAYLOAD_TYPE} x-google-start-bitrate=${START_BITRATE_KBPS}`);
    if (options.simulcast) media.parseSdpLine(`a=extmap:${RID_EXTENSION_ID} ${RID_EXTENSION_URI}`);
  }
  // Congestion control both ways: browsers adapt their upload to the server's feedback, and the server
  // estimates each subscriber's downlink from theirs.
  media.parseSdpLine(`a=extmap:${TRANSPORT_CC_EXTENSION_ID} ${TRANSPORT_CC_EXTENSION_URI}`);
  const { ssrc } = options;
  if (ssrc) media.addSSRC(ssrc.ssrc, ssrc.cname, ssrc.streamId, ssrc.trackId);
  for (const receive of options.receiveSsrcs ?? []) media.addSSRC(receive);
  return media;
}
