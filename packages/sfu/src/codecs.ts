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
export const CLOCK_RATE: Record<MediaKind, number> = { audio: 48_000, video: 90_000 };
export const PAYLOAD_TYPE: Record<MediaKind, number> = { audio: OPUS_PAYLOAD_TYPE, video: VP8_PAYLOAD_TYPE };

export interface SsrcAnnouncement {
  ssrc: number;
  cname: string;
  streamId: string;
  trackId: string;
}

export function describeMedia(kind: MediaKind, mid: string, direction: Direction, ssrc?: SsrcAnnouncement): Audio | Video {
  if (kind === 'audio') {
    const audio = new Audio(mid, direction);
    audio.addOpusCodec(OPUS_PAYLOAD_TYPE);
    // RFC 6464 audio level drives active-speaker detection without decoding audio.
    audio.parseSdpLine(`a=extmap:${AUDIO_LEVEL_EXTENSION_ID} urn:ietf:params:rtp-hdrext:ssrc-audio-level`);
    if (ssrc) audio.addSSRC(ssrc.ssrc, ssrc.cname, ssrc.streamId, ssrc.trackId);
    return audio;
  }
  const video = new Video(mid, direction);
  // addVP8Codec adds nack, nack pli and goog-remb feedback; FIR (RFC 5104) is added for senders that prefer it.
  video.addVP8Codec(VP8_PAYLOAD_TYPE);
  video.parseSdpLine(`a=rtcp-fb:${VP8_PAYLOAD_TYPE} ccm fir`);
  if (ssrc) video.addSSRC(ssrc.ssrc, ssrc.cname, ssrc.streamId, ssrc.trackId);
  return video;
}
