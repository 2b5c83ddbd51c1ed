// A subscriber's transport-wide congestion control feedback, as a browser sends it: every received
// RTP packet's transport-wide sequence number and arrival time go to a recorder, and about every
// 50 ms the recorder's feedback packets (RTPFB FMT 15, draft-holmer-rmcat-transport-wide-cc-
// extensions-01 §3.1) go back to the server over the PeerConnection.

import { TwccRecorder } from '../../../packages/sfu/src/bwe/twcc-recorder.js';

/** What the bot needs of a recorder (the SFU's `bwe/twcc-recorder.ts` has this shape). */
export interface TransportFeedbackRecorder {
  onPacket(transportSeq: number, arrivalMs: number): void;
  buildFeedback(senderSsrc: number, mediaSsrc: number, nowMs: number): Buffer[];
}

export type TransportFeedbackRecorderFactory = () => TransportFeedbackRecorder;

/** Chromium sends transport feedback about every 50 ms (more often at high rates). */
export const FEEDBACK_INTERVAL_MS = 50;

export interface TransportFeedbackStats {
  /** Packets whose transport-wide sequence number was recorded. */
  recorded: number;
  /** Feedback RTCP packets sent. */
  feedbackPackets: number;
  /** Sends that failed (track not open, PeerConnection closing). */
  failedSends: number;
}

export class TransportFeedbackSender {
  private readonly recorder: TransportFeedbackRecorder;
  private readonly senderSsrc: number;
  private readonly send: (packet: Buffer) => boolean;
  /** SSRC of the latest received media packet: the feedback's "media source" (as libwebrtc does). */
  private mediaSsrc = 0;
  private pending = 0;
  private lastSentAt = -Infinity;
  readonly stats: TransportFeedbackStats = { recorded: 0, feedbackPackets: 0, failedSends: 0 };

  constructor(recorder: TransportFeedbackRecorder, senderSsrc: number, send: (packet: Buffer) => boolean) {
    this.recorder = recorder;
    this.senderSsrc = senderSsrc;
    this.send = send;
  }

  onPacket(transportSeq: number, arrivalMs: number, mediaSsrc: number): void {
    this.recorder.onPacket(transportSeq, arrivalMs);
    this.mediaSsrc = mediaSsrc;
    this.pending++;
    this.stats.recorded++;
  }

  /** Sends feedback when the interval has passed and packets arrived since the last feedback. */
  tick(nowMs: number): void {
    if (this.pending === 0 || nowMs - this.lastSentAt < FEEDBACK_INTERVAL_MS) return;
    this.pending = 0;
    this.lastSentAt = nowMs;
    for (const packet of this.recorder.buildFeedback(this.senderSsrc, this.mediaSsrc, nowMs)) {
      if (this.send(packet)) this.stats.feedbackPackets++;
      else this.stats.failedSends++;
    }
  }
}

/**
 * The recorder bots use unless told otherwise: the SFU's own (one per bot PeerConnection). Imported
 * by path because `@treff/sfu` does not export its `bwe` folder (yet); switch to the package export
 * when it does.
 */
export const defaultTransportFeedbackRecorder: TransportFeedbackRecorderFactory | null = () => new TwccRecorder();
