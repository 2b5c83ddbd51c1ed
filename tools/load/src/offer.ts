// What a bot needs from the server's offer, per m-line: kind, direction, the payload types of the
// codecs it speaks (VP8, Opus), the header extension ids it writes or reads (read from a=extmap,
// RFC 8285 §5 — never assumed), the rids offered for simulcast (RFC 8851/8853), and the SSRCs
// announced with a=ssrc (RFC 5576 §4.1) — the SSRCs the server promises to send on that mid.

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
  /** RFC 8285 id of the RFC 8852 RtpStreamId (rid) extension, 0 when absent. */
  ridId: number;
  /** RFC 8285 id of the transport-wide sequence number extension, 0 when absent. */
  transportCcId: number;
  /** Whether the codec's a=rtcp-fb lists transport-cc (feedback the server wants). */
  transportCcFeedback: boolean;
  /** Rids the server receives (`a=rid:<rid> recv`), in the order of `a=simulcast:recv`; empty without simulcast. */
  simulcastRids: string[];
  ssrcs: number[];
}

export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
export const RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
export const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

export class OfferParseError extends Error {
  override name = 'OfferParseError';
}

type MediaSection = sdpTransform.SessionDescription['media'][number];

function extensionId(m: MediaSection, uri: string): number {
  const id = (m.ext ?? []).find((e) => e.uri === uri)?.value ?? 0;
  return Number.isInteger(id) && id > 0 ? id : 0;
}

/** RFC 8853 §5.1: `a=simulcast:recv l;m;h` lists alternatives with `,`; the bot takes the first of each. */
function simulcastRids(m: MediaSection): string[] {
  const recv = new Set((m.rids ?? []).filter((r) => r.direction === 'recv').map((r) => String(r.id)));
  if (recv.size === 0) return [];
  const sim = m.simulcast;
  let list: string | undefined;
  if (sim?.dir1 === 'recv') list = sim.list1;
  else if (sim?.dir2 === 'recv') list = sim.list2;
  if (list === undefined) return [...recv];
  return list
    .split(';')
    .map((alternatives) => alternatives.split(',')[0]!.replace(/^~/, '')) // "~" marks a paused stream
    .filter((rid) => recv.has(rid));
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
    const payloadType = rtpmap ? rtpmap.payload : null;
    result.push({
      mid: String(m.mid),
      kind: m.type,
      direction: m.direction ?? 'sendrecv',
      payloadType,
      audioLevelId: extensionId(m, AUDIO_LEVEL_URI),
      ridId: extensionId(m, RID_URI),
      transportCcId: extensionId(m, TRANSPORT_CC_URI),
      transportCcFeedback: (m.rtcpFb ?? []).some((f) => f.type === 'transport-cc' && (f.payload === '*' || Number(f.payload) === payloadType)),
      simulcastRids: simulcastRids(m),
      ssrcs: [...ssrcs],
    });
  }
  return result;
}
