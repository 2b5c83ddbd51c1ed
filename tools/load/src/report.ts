// Aggregates what a set of bots saw into one report: per slot stream (loss, order, timestamps,
// first packet) and per publisher as each subscriber received it (loss, jitter, latency, time to
// first frame, simulcast layers and switches, bitrate).

import type { MediaKind } from '@treff/protocol';
import type { Bot } from './bot.js';
import { summarize, type LatencySummary } from './latency.js';
import type { SourceStats } from './source-stats.js';

/** Per publisher and subscriber pair, over a set of bots. */
export interface SourceReport {
  /** (subscriber, publisher) pairs with anything received. */
  pairs: number;
  packets: number;
  lost: number;
  lossPercent: number;
  /** Over pairs, milliseconds. */
  jitter: LatencySummary;
  latency: LatencySummary;
  /** Pairs that got a complete key frame, and the time to it (video). */
  firstFrames: number;
  timeToFirstFrame: LatencySummary;
  layerSwitches: number;
  /** How many pairs receive each simulcast layer now (index 0 = lowest; `none`: no layer info). */
  layers: number[];
  /** Sum of current receive bitrates, bits per second. */
  bitrateBps: number;
  bytes: number;
  /** Packets that arrived before `slot-sources` said their slot carries that publisher. */
  unannouncedPackets: number;
}

export function sourceReport(stats: readonly SourceStats[], latencySamples: readonly number[] = []): SourceReport {
  let packets = 0;
  let lost = 0;
  let switches = 0;
  let bitrate = 0;
  let bytes = 0;
  let unannounced = 0;
  const layers: number[] = [];
  const jitter: number[] = [];
  const ttff: number[] = [];
  for (const s of stats) {
    if (s.packets === 0) continue;
    packets += s.packets;
    lost += Math.max(0, s.lost);
    switches += s.layerSwitches;
    bitrate += s.bitrateBps;
    bytes += s.bytes;
    unannounced += s.unannouncedPackets;
    jitter.push(s.jitterMs);
    if (s.timeToFirstFrameMs >= 0) ttff.push(s.timeToFirstFrameMs);
    if (s.layer >= 0) layers[s.layer] = (layers[s.layer] ?? 0) + 1;
  }
  return {
    pairs: jitter.length,
    packets,
    lost,
    lossPercent: packets + lost > 0 ? (100 * lost) / (packets + lost) : 0,
    jitter: summarize(jitter),
    latency: summarize(latencySamples),
    firstFrames: ttff.length,
    timeToFirstFrame: summarize(ttff),
    layerSwitches: switches,
    layers: Array.from(layers, (n) => n ?? 0),
    bitrateBps: bitrate,
    bytes,
    unannouncedPackets: unannounced,
  };
}

export interface KindReport {
  sent: number;
  received: number;
  /** Missing sequence numbers over all incoming streams. */
  lost: number;
  /** lost / (received + lost), in percent. */
  lossPercent: number;
  duplicates: number;
  late: number;
  timestampRegressions: number;
  streams: number;
  /** Streams whose SSRC the offer did not announce for their mid. */
  unannouncedStreams: number;
  latency: LatencySummary;
  /** From the offer that brought a slot to its first packet. */
  firstPacket: LatencySummary;
}

export interface LoadReport {
  bots: number;
  audio: KindReport;
  video: KindReport;
  /** Per (subscriber, publisher) pair. */
  sources: Record<MediaKind, SourceReport>;
  /** `slot-sources` messages received, and source switches they announced. */
  slotSourceMessages: number;
  slotSwitches: number;
  /** Packets on slots announced as carrying nobody and without a probe naming a publisher. */
  unattributedPackets: number;
  /** Transport-cc feedback packets the bots sent (0 when not negotiated or no recorder). */
  transportFeedbackPackets: number;
  /** Video streams whose first packet was not the start of a key frame. */
  videoNotStartingWithKeyframe: number;
  keyframeRequestsReceived: number;
  nacksReceived: number;
  serverErrors: string[];
  localErrors: string[];
}

function kindReport(bots: readonly Bot[], kind: MediaKind): KindReport {
  let sent = 0;
  let received = 0;
  let lost = 0;
  let duplicates = 0;
  let late = 0;
  let regressions = 0;
  let streams = 0;
  let unannounced = 0;
  const firstPacket: number[] = [];
  const latency: number[] = [];
  for (const bot of bots) {
    for (const o of bot.outboundStats()) if (o.kind === kind) sent += o.packets;
    for (const s of bot.inboundStats()) {
      if (s.kind !== kind) continue;
      streams++;
      received += s.packets;
      lost += s.lost;
      duplicates += s.duplicates;
      late += s.late;
      regressions += s.timestampRegressions;
      if (!s.announced) unannounced++;
      firstPacket.push(s.firstPacketAfterOfferMs);
    }
    latency.push(...bot.latencySamples(kind));
  }
  return {
    sent,
    received,
    lost,
    lossPercent: received + lost > 0 ? (100 * lost) / (received + lost) : 0,
    duplicates,
    late,
    timestampRegressions: regressions,
    streams,
    unannouncedStreams: unannounced,
    latency: summarize(latency),
    firstPacket: summarize(firstPacket),
  };
}

export function summarizeBots(bots: readonly Bot[]): LoadReport {
  let notKey = 0;
  let keyReqs = 0;
  let nacks = 0;
  let slotMessages = 0;
  let slotSwitches = 0;
  let unattributed = 0;
  let feedback = 0;
  const serverErrors: string[] = [];
  const localErrors: string[] = [];
  for (const bot of bots) {
    for (const s of bot.inboundStats()) if (s.kind === 'video' && s.firstPacketKeyframe === false) notKey++;
    for (const o of bot.outboundStats()) {
      keyReqs += o.plisReceived + o.firsReceived;
      nacks += o.nacksReceived;
    }
    slotMessages += bot.slotSourceMessages;
    slotSwitches += bot.slotSources.switches;
    unattributed += bot.unattributedPackets;
    feedback += bot.transportFeedbackStats()?.feedbackPackets ?? 0;
    for (const e of bot.errors) serverErrors.push(`${bot.name}: ${e.code}: ${e.message}`);
    for (const e of bot.localErrors) localErrors.push(`${bot.name}: ${e}`);
  }
  return {
    bots: bots.length,
    audio: kindReport(bots, 'audio'),
    video: kindReport(bots, 'video'),
    sources: {
      audio: sourceReport(bots.flatMap((b) => b.sourceStats('audio')), bots.flatMap((b) => b.latencySamples('audio'))),
      video: sourceReport(bots.flatMap((b) => b.sourceStats('video')), bots.flatMap((b) => b.latencySamples('video'))),
    },
    slotSourceMessages: slotMessages,
    slotSwitches,
    unattributedPackets: unattributed,
    transportFeedbackPackets: feedback,
    videoNotStartingWithKeyframe: notKey,
    keyframeRequestsReceived: keyReqs,
    nacksReceived: nacks,
    serverErrors,
    localErrors,
  };
}

const ms = (x: number): string => x.toFixed(1).padStart(7);

export function formatReport(r: LoadReport): string {
  const lines: string[] = [];
  lines.push(`bots: ${r.bots}`);
  lines.push('kind   streams      sent  received     lost  loss%   dup  late  ts-back  unannounced | latency ms p50    p95    p99    max | first packet ms p50    p95    max');
  for (const kind of ['audio', 'video'] as const) {
    const k = r[kind];
    lines.push(
      `${kind.padEnd(6)} ${String(k.streams).padStart(7)} ${String(k.sent).padStart(9)} ${String(k.received).padStart(9)} ${String(k.lost).padStart(8)} ${k.lossPercent.toFixed(2).padStart(6)} ${String(k.duplicates).padStart(5)} ${String(k.late).padStart(5)} ${String(k.timestampRegressions).padStart(8)} ${String(k.unannouncedStreams).padStart(12)} |        ${ms(k.latency.p50Ms)}${ms(k.latency.p95Ms)}${ms(k.latency.p99Ms)}${ms(k.latency.maxMs)} |             ${ms(k.firstPacket.p50Ms)}${ms(k.firstPacket.p95Ms)}${ms(k.firstPacket.maxMs)}`,
    );
  }
  lines.push('per publisher  pairs  loss%  jitter ms p50  p95 | latency ms p50  p95 | first frame ms p50   p95  (n) | layer switches | pairs per layer (low→high) | kbit/s');
  for (const kind of ['audio', 'video'] as const) {
    const s = r.sources[kind];
    const firstFrame = kind === 'video' ? `${ms(s.timeToFirstFrame.p50Ms)}${ms(s.timeToFirstFrame.p95Ms)} ${`(${s.firstFrames})`.padStart(5)}` : ' '.repeat(20);
    const layers = kind === 'video' ? (s.layers.length ? s.layers.join('/') : '-') : '';
    lines.push(
      `${kind.padEnd(13)} ${String(s.pairs).padStart(6)} ${s.lossPercent.toFixed(2).padStart(6)}     ${ms(s.jitter.p50Ms)}${ms(s.jitter.p95Ms)} |    ${ms(s.latency.p50Ms)}${ms(s.latency.p95Ms)} |    ${firstFrame} | ${String(kind === 'video' ? s.layerSwitches : '').padStart(14)} | ${layers.padStart(26)} | ${(s.bitrateBps / 1000).toFixed(0).padStart(6)}`,
    );
  }
  lines.push(`slot-sources: ${r.slotSourceMessages} messages, ${r.slotSwitches} switches; packets before their slot's announcement: ${r.sources.video.unannouncedPackets + r.sources.audio.unannouncedPackets}; unattributed: ${r.unattributedPackets}; transport-cc feedback sent: ${r.transportFeedbackPackets}`);
  lines.push(`video streams not starting with a key frame: ${r.videoNotStartingWithKeyframe}; keyframe requests at publishers: ${r.keyframeRequestsReceived}; NACKs at publishers: ${r.nacksReceived}`);
  if (r.serverErrors.length) lines.push(`server errors (${r.serverErrors.length}):\n  ${r.serverErrors.slice(0, 20).join('\n  ')}`);
  if (r.localErrors.length) lines.push(`bot errors (${r.localErrors.length}):\n  ${r.localErrors.slice(0, 20).join('\n  ')}`);
  return lines.join('\n');
}
