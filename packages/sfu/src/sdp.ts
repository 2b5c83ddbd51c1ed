import { parse } from 'sdp-transform';
import type { MediaKind, SsrcAnnouncement } from './codecs.js';
import { TransportError } from './errors.js';

/** One media section of an offer, in order. */
export interface OfferedMedia {
  mid: string;
  kind: MediaKind;
}

export interface ParsedAnswer {
  /** The SSRC each m-line's sender announced (RFC 5576 a=ssrc), if it announced one. */
  ssrcByMid: Map<string, number>;
  /** Mids where the answer accepts simulcast (RFC 8853 a=simulcast). */
  simulcastMids: Set<string>;
}

/** Browsers answer a VP8/Opus section in 30–50 lines (codecs, feedback, extensions, SSRCs, simulcast); room to spare. */
const MAX_LINES_PER_SECTION = 150;

/**
 * Checks a client's answer before libdatachannel sees it, so a broken or hostile answer is refused with
 * a clear reason instead of leaving the PeerConnection half-configured.
 */
export function parseAnswer(sdp: string, offered: readonly OfferedMedia[]): ParsedAnswer {
  if (!/^v=0\r?\n/.test(sdp)) throw new TransportError('bad-sdp', 'answer is not an SDP session description (must start with v=0)');
  // Counted before parsing: the parser tries every grammar rule on every line, ~3 µs a line, so an answer of
  // 50 000 junk lines, sent again and again, would hold the event loop of every meeting in this process.
  const sections = sdp.match(/^m=/gm)?.length ?? 0;
  if (sections !== offered.length) throw new TransportError('bad-sdp', `answer has ${sections} media sections, the offer had ${offered.length}`);
  // One a=mid per section: libdatachannel reads the answer again itself, and must see the same sections.
  const mids = sdp.match(/^a=mid:/gm)?.length ?? 0;
  if (mids > sections) throw new TransportError('bad-sdp', `answer has ${mids} a=mid lines for ${sections} media sections`);
  const lines = sdp.match(/\n/g)?.length ?? 0;
  if (lines > MAX_LINES_PER_SECTION * (offered.length + 1)) throw new TransportError('bad-sdp', `answer has ${lines} lines, more than any browser sends for ${offered.length} media sections`);
  const session = parse(sdp);
  const media = session.media ?? [];
  // RFC 3264 §6: the answer has exactly the offer's media sections, in the same order.
  if (media.length !== offered.length) throw new TransportError('bad-sdp', `answer has ${media.length} media sections, the offer had ${offered.length}`);
  const ssrcByMid = new Map<string, number>();
  const simulcastMids = new Set<string>();
  for (const [i, m] of media.entries()) {
    const expected = offered[i]!;
    const mid = m.mid === undefined ? undefined : String(m.mid);
    if (mid !== expected.mid) throw new TransportError('bad-sdp', `media section ${i} has mid ${JSON.stringify(mid ?? null)}, the offer had ${JSON.stringify(expected.mid)}`);
    if (m.type !== expected.kind) throw new TransportError('bad-sdp', `media section ${mid} is ${m.type}, the offer had ${expected.kind}`);
    const ufrag = m.iceUfrag ?? session.iceUfrag;
    const fingerprint = m.fingerprint ?? session.fingerprint;
    if (m.port !== 0 && (!ufrag || !fingerprint)) throw new TransportError('bad-sdp', `media section ${mid} lacks ICE credentials or a DTLS fingerprint`);
    // With RTX or FEC groups the primary SSRC comes first in the FID group (RFC 5576 §4.2); without, the first a=ssrc.
    const fid = m.ssrcGroups?.find((g) => g.semantics === 'FID');
    const first = fid ? Number(String(fid.ssrcs).split(' ')[0]) : m.ssrcs?.[0]?.id;
    if (first !== undefined && Number.isInteger(Number(first)) && Number(first) > 0) ssrcByMid.set(mid, Number(first) >>> 0);
    if (m.simulcast !== undefined) simulcastMids.add(mid);
  }
  return { ssrcByMid, simulcastMids };
}

/**
 * Replaces the address of every ICE candidate (and connection line) with the announced one, as a
 * server behind NAT or a test confined to loopback needs.
 */
export function rewriteCandidates(sdp: string, announcedAddress: string | null): string {
  if (announcedAddress === null) return sdp;
  const family = announcedAddress.includes(':') ? 'IP6' : 'IP4';
  return sdp
    .replace(/^(a=candidate:\S+ \d+ \S+ \d+ )(\S+)( \d+ typ host.*)$/gm, `$1${announcedAddress}$3`)
    .replace(/^c=IN IP[46] \S+$/gm, `c=IN ${family} ${announcedAddress}`);
}

export interface IceCandidate {
  /** The attribute value, `candidate:…` (RFC 8839 §5.1). */
  candidate: string;
  mid: string;
}

/**
 * Takes the ICE candidates out of a local description, so they can be trickled (RFC 8838) once the peer
 * is ready for them. Returns the description without candidates and the candidates tagged with the
 * first m-line's mid (all m-lines share one BUNDLE transport).
 */
export function extractCandidates(sdp: string): { sdp: string; candidates: IceCandidate[] } {
  const mid = /^a=mid:(\S+)$/m.exec(sdp)?.[1] ?? '0';
  const seen = new Set<string>();
  const candidates: IceCandidate[] = [];
  for (const match of sdp.matchAll(/^a=(candidate:.+?)\r?$/gm)) {
    const candidate = match[1];
    if (candidate === undefined || seen.has(candidate)) continue;
    seen.add(candidate);
    candidates.push({ candidate, mid });
  }
  return { sdp: sdp.replace(/^a=(candidate:.*|end-of-candidates)\r?\n/gm, ''), candidates };
}

export interface ClientView {
  /** Mids where the client sends: this side's SSRC lines there are the client's own, for routing only. */
  receiving: readonly string[];
  /** RFC 8853 rids of the simulcast m-lines, lowest resolution first. */
  simulcastRids: ReadonlyMap<string, readonly string[]>;
  /** The stream this side sends on each of these mids (RFC 5576 a=ssrc with RFC 8830 msid). */
  sending: ReadonlyMap<string, SsrcAnnouncement>;
}

/**
 * Turns this side's local description into the offer the client sees. On the m-lines where the client
 * sends, SSRC lines are removed: they are the client's own SSRCs or the RTCP sink's list, put there only
 * for libdatachannel's routing, and a browser would take them for a remote sender's. The m-lines this
 * side sends on get their SSRC here, which libdatachannel's description leaves out for the same routing
 * reason. Simulcast m-lines get their RFC 8853 attributes here too, because libdatachannel writes
 * `a=rid:… send` for any rid it knows.
 */
export function describeForClient(sdp: string, view: ClientView): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/(?=^m=)/m)
    .map((section) => {
      const mid = /^a=mid:(\S+)\r?$/m.exec(section)?.[1];
      if (mid === undefined) return section;
      let out = section;
      if (view.receiving.includes(mid)) out = out.replace(/^a=(ssrc|ssrc-group|msid):.*\r?\n/gm, '');
      const rids = view.simulcastRids.get(mid);
      if (rids !== undefined && rids.length > 0) {
        out = out.replace(/^a=(rid|simulcast):.*\r?\n/gm, '');
        out += rids.map((rid) => `a=rid:${rid} recv${eol}`).join('') + `a=simulcast:recv ${rids.join(';')}${eol}`;
      }
      const send = view.sending.get(mid);
      if (send !== undefined) {
        const msid = `${send.streamId} ${send.trackId}`;
        out += `a=msid:${msid}${eol}a=ssrc:${send.ssrc} cname:${send.cname}${eol}a=ssrc:${send.ssrc} msid:${msid}${eol}`;
      }
      return out;
    })
    .join('');
}

/**
 * Removes SSRC lines from the answer's m-lines where the client only receives. A browser never writes
 * them there, but a client that echoes the offer's SSRCs would make libdatachannel route the feedback
 * about those streams to their own m-lines instead of to the transport's RTCP sink, where it is read.
 */
export function withoutReceiverSsrcs(sdp: string, receivingMids: readonly string[]): string {
  if (receivingMids.length === 0) return sdp;
  return sdp
    .split(/(?=^m=)/m)
    .map((section) => {
      const mid = /^a=mid:(\S+)\r?$/m.exec(section)?.[1];
      return mid !== undefined && receivingMids.includes(mid) ? section.replace(/^a=(ssrc|ssrc-group):.*\r?\n/gm, '') : section;
    })
    .join('');
}
