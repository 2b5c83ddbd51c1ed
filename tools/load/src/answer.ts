// The bot's side of each m-line, as libdatachannel should answer it. libdatachannel answers with
// the descriptions of tracks added before setLocalDescription('answer') instead of echoing the
// offer, so the bot describes exactly what it speaks: VP8 or Opus at the offered payload type, the
// offered header extensions it writes (audio level, rid, transport-wide sequence), transport-cc
// feedback, and on a send slot its SSRCs (RFC 5576) and, with simulcast, `a=rid:<rid> send` and
// `a=simulcast:send …` (RFC 8853 §5.3).

import { Audio, Video, type Direction } from 'node-datachannel';
import { AUDIO_LEVEL_URI, RID_URI, TRANSPORT_CC_URI, type OfferedMedia } from './offer.js';

export interface LocalMedia {
  direction: Direction;
  /** SSRCs the bot sends on this m-line (one per simulcast encoding); empty unless sending. */
  ssrcs: readonly number[];
  /** Rids sent (lowest first), empty without simulcast; must match `ssrcs` one to one. */
  rids: readonly string[];
  cname: string;
}

export function describeLocalMedia(m: OfferedMedia, local: LocalMedia): Video | Audio {
  const payloadType = m.payloadType ?? (m.kind === 'video' ? 96 : 111);
  let description: Video | Audio;
  if (m.kind === 'video') {
    const video = new Video(m.mid, local.direction);
    video.addVP8Codec(payloadType); // with nack, nack pli, goog-remb
    if (local.rids.length > 0 && m.ridId > 0) video.parseSdpLine(`a=extmap:${m.ridId} ${RID_URI}`);
    for (const rid of local.rids) video.parseSdpLine(`a=rid:${rid} send`);
    // libdatachannel writes the a=rid lines but not a=simulcast, without which the server takes the
    // answer as declining simulcast (RFC 8853 §5.3).
    if (local.rids.length > 0) video.parseSdpLine(`a=simulcast:send ${local.rids.join(';')}`);
    description = video;
  } else {
    const audio = new Audio(m.mid, local.direction);
    audio.addOpusCodec(payloadType);
    if (m.audioLevelId > 0) audio.parseSdpLine(`a=extmap:${m.audioLevelId} ${AUDIO_LEVEL_URI}`);
    description = audio;
  }
  if (m.transportCcId > 0) {
    description.parseSdpLine(`a=extmap:${m.transportCcId} ${TRANSPORT_CC_URI}`);
    description.parseSdpLine(`a=rtcp-fb:${payloadType} transport-cc`);
  }
  for (const ssrc of local.ssrcs) description.addSSRC(ssrc, local.cname, `treff-bot-${local.cname}`, `${m.kind}-${local.cname}`);
  return description;
}

/**
 * The answer as a browser would send it: on simulcast m-lines (`simulcastMids`) without the
 * encodings' a=ssrc lines (browsers leave them out, and the server must learn them from
 * `simulcast-streams`). The bot's own description keeps them: libdatachannel delivers incoming RTCP
 * (PLI, FIR, NACK for a layer) only to the track whose description lists the SSRC it names.
 */
export function answerAsBrowser(sdp: string, simulcastMids: ReadonlySet<string>): string {
  if (simulcastMids.size === 0) return sdp;
  return sdp
    .split(/(?=^m=)/m)
    .map((section) => {
      const mid = /^a=mid:(\S+)\r?$/m.exec(section)?.[1];
      if (mid === undefined || !simulcastMids.has(mid)) return section;
      const seen = new Set<string>();
      return section
        .split(/(?<=\n)/)
        .filter((line) => {
          if (/^a=(ssrc|ssrc-group):/.test(line)) return false;
          if (!line.startsWith('a=msid:')) return true;
          if (seen.has(line)) return false; // libdatachannel writes a=msid once per SSRC
          seen.add(line);
          return true;
        })
        .join('');
    })
    .join('');
}
