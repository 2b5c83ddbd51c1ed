// Aggregates what a set of bots saw into one loss/latency/first-packet report.

import type { MediaKind } from '@treff/protocol';
import type { Bot } from './bot.js';
import { summarize, type LatencySummary } from './latency.js';

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
  const serverErrors: string[] = [];
  const localErrors: string[] = [];
  for (const bot of bots) {
    for (const s of bot.inboundStats()) if (s.kind === 'video' && s.firstPacketKeyframe === false) notKey++;
    for (const o of bot.outboundStats()) {
      keyReqs += o.plisReceived + o.firsReceived;
      nacks += o.nacksReceived;
    }
    for (const e of bot.errors) serverErrors.push(`${bot.name}: ${e.code}: ${e.message}`);
    for (const e of bot.localErrors) localErrors.push(`${bot.name}: ${e}`);
  }
  return {
    bots: bots.length,
    audio: kindReport(bots, 'audio'),
    video: kindReport(bots, 'video'),
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
  lines.push(`video streams not starting with a key frame: ${r.videoNotStartingWithKeyframe}; keyframe requests at publishers: ${r.keyframeRequestsReceived}; NACKs at publishers: ${r.nacksReceived}`);
  if (r.serverErrors.length) lines.push(`server errors (${r.serverErrors.length}):\n  ${r.serverErrors.slice(0, 20).join('\n  ')}`);
  if (r.localErrors.length) lines.push(`bot errors (${r.localErrors.length}):\n  ${r.localErrors.slice(0, 20).join('\n  ')}`);
  return lines.join('\n');
}
