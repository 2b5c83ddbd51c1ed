// What a bot needs from the server's offer, per m-line: kind, direction, the payload types of the
// codecs it speaks (VP8, Opus), the audio-level extension id, and the SSRCs announced with a=ssrc
// (RFC 5576 §4.1) — the SSRCs the server promises to send on that mid.

import sdpTransform from 'sdp-transform';
import type { MediaKind } from '@treff/protocol';

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface OfferedMedia {
  mid: string;
  kind: MediaKind;
  /** Direction from the server's point of view. */
  direction: SdpDirection;
  /** Payload type of VP8 (video) or Opus (audio); null when the m-line lacks that codec. */
  payloadType: number | null;
  /** RFC 8285 id of the RFC 6464 audio level extension, 0 when absent. */
  audioLevelId: number;
  ssrcs: number[];
}

const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

export class OfferParseError extends Error {
  override name = 'OfferParseError';
}

export function parseOffer(sdp: string): OfferedMedia[] {
  let session: sdpTransform.SessionDescription;
  try {
    session = sdpTransform.parse(sdp);
  } catch (err) {
    throw new OfferParseError(`unparsable SDP: ${String(err)}`);
  }
  const result: OfferedMedia[] = [];
  for (const m of session.media ?? []) {
    if (m.type !== 'audio' && m.type !== 'video') continue; // e.g. an application (data channel) m-line
    if (m.mid === undefined) throw new OfferParseError(`m=${m.type} without a=mid`);
    const codec = m.type === 'video' ? 'vp8' : 'opus';
    const rtpmap = (m.rtp ?? []).find((r) => r.codec.toLowerCase() === codec);
    const ssrcs = new Set<number>();
    for (const s of m.ssrcs ?? []) ssrcs.add(Number(s.id) >>> 0);
    result.push({
      mid: String(m.mid),
      kind: m.type,
      direction: m.direction ?? 'sendrecv',
      payloadType: rtpmap ? rtpmap.payload : null,
      audioLevelId: (m.ext ?? []).find((e) => e.uri === AUDIO_LEVEL_URI)?.value ?? 0,
      ssrcs: [...ssrcs],
    });
  }
  return result;
}
