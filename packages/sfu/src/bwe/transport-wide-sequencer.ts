// Send side of transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-
// extensions-01): one per subscriber transport. Every outgoing RTP packet gets the next 16-bit
// transport-wide sequence number (§2, to be written into its header extension), and its send
// time and size are remembered; when the receiver's feedback (§3.1) names the packet, the
// sequencer turns the entry into a packet result for the bandwidth estimator.
//
// Sequence numbers are counted internally as an ever-growing "extended" number so that the
// 16-bit wrap never confuses old entries with new ones. History lives in typed-array rings
// (8192 entries by default: ~8 s at 1000 packets/s, more than any feedback delay worth acting
// on). Feedback may be duplicated, reordered, name packets long gone or never sent, or report
// a packet lost and later received: each packet yields at most one "received" result, and at
// most one "lost" result before it.

import { TWCC_NOT_RECEIVED, type RtcpTransportFeedback } from '../rtp/rtcp-types.js';

/** Results of one feedback message, in sequence order. Arrays are reused: read before the next call. */
export interface PacketResults {
  /** Number of valid entries in the arrays below. */
  count: number;
  /** Extended transport-wide sequence number (counts past 65535). */
  sequence: Float64Array;
  /** Send time in ms, as given to `next`. */
  sendTimeMs: Float64Array;
  sizeBytes: Uint32Array;
  /** 1 when received, 0 when reported lost. */
  received: Uint8Array;
  /** Arrival time in ms in the receiver's clock (arbitrary origin, 24-bit wrap undone); 0 when lost. */
  arrivalTimeMs: Float64Array;
  /** How many of the received entries had been reported lost by earlier feedback. */
  recovered: number;
}

/** Default ring size; a power of two. */
export const SEQUENCER_HISTORY_SIZE = 8192;

const SLOT_EMPTY = -1;
const STATE_UNREPORTED = 0;
const STATE_LOST = 1;
const STATE_RECEIVED = 2;
/** The reference time field is 24 bits of 64 ms (§3.1): its wrap period in µs. */
const REFERENCE_WRAP_US = 0x1000000 * 64_000;

export class TransportWideSequencer {
  private readonly mask: number;
  private readonly slotSequence: Float64Array;
  private readonly slotSendTime: Float64Array;
  private readonly slotSize: Uint32Array;
  private readonly slotState: Uint8Array;
  /** Extended sequence number the next packet gets. */
  private nextSequence = 0;
  // Unwrapping of the 24-bit reference time: the last one seen and the wraps counted so far.
  private lastReferenceTime = -1;
  private referenceWraps = 0;
  private readonly results: PacketResults;
  /** Sender time of the last `onFeedback` call; -1 before any. */
  lastFeedbackMs = -1;

  /** @param capacity packets remembered; rounded up to a power of two. */
  constructor(capacity = SEQUENCER_HISTORY_SIZE) {
    let size = 1;
    while (size < capacity) size *= 2;
    this.mask = size - 1;
    this.slotSequence = new Float64Array(size).fill(SLOT_EMPTY);
    this.slotSendTime = new Float64Array(size);
    this.slotSize = new Uint32Array(size);
    this.slotState = new Uint8Array(size);
    this.results = {
      count: 0,
      sequence: new Float64Array(size),
      sendTimeMs: new Float64Array(size),
      sizeBytes: new Uint32Array(size),
      received: new Uint8Array(size),
      arrivalTimeMs: new Float64Array(size),
      recovered: 0,
    };
  }

  /** Packets numbered so far. */
  get sent(): number {
    return this.nextSequence;
  }

  /**
   * Allocates the transport-wide sequence number (0..65535) of a packet about to be sent now,
   * and remembers its size (the whole RTP packet, in bytes) and send time. No allocation.
   */
  next(sizeBytes: number, nowMs: number): number {
    const seq = this.nextSequence++;
    const slot = seq & this.mask;
    this.slotSequence[slot] = seq;
    this.slotSendTime[slot] = nowMs;
    this.slotSize[slot] = sizeBytes;
    this.slotState[slot] = STATE_UNREPORTED;
    return seq & 0xffff;
  }

  /**
   * Matches a feedback message against the history. Returns the results (a reused object)
   * for packets reported for the first time, or received after being reported lost; packets
   * unknown, too old, or already reported are skipped. `nowMs` (sender clock) is kept as
   * `lastFeedbackMs`, so the owner can tell when feedback stopped coming.
   */
  onFeedback(feedback: RtcpTransportFeedback, nowMs: number): PacketResults {
    this.lastFeedbackMs = nowMs;
    const r = this.results;
    r.count = 0;
    r.recovered = 0;
    if (this.nextSequence === 0) return r;
    const last = this.nextSequence - 1;
    // Feedback reports packets already sent, so its base is at or behind the last sent
    // number: unwrap it as the nearest such extended number.
    const base = last - ((last - feedback.baseSequence) & 0xffff);
    const oldest = Math.max(0, last - this.mask);

    // §3.1: "reference time … in multiples of 64ms", 24 bits: count its wraps, tolerating
    // feedback slightly out of order (a backward step of less than half the range is not a wrap).
    const ref = feedback.referenceTime;
    if (this.lastReferenceTime >= 0) {
      const step = ref - this.lastReferenceTime;
      if (step < -0x800000) this.referenceWraps++;
      else if (step > 0x800000 && this.referenceWraps > 0) this.referenceWraps--;
    }
    this.lastReferenceTime = ref;
    const offsetUs = this.referenceWraps * REFERENCE_WRAP_US;

    const n = feedback.packetStatusCount;
    for (let i = 0; i < n; i++) {
      const seq = base + i;
      if (seq < oldest) continue;
      if (seq > last) break;
      const slot = seq & this.mask;
      if (this.slotSequence[slot] !== seq) continue;
      const state = this.slotState[slot]!;
      const received = feedback.status[i] !== TWCC_NOT_RECEIVED;
      if (state === STATE_RECEIVED || (state === STATE_LOST && !received)) continue;
      const k = r.count++;
      r.sequence[k] = seq;
      r.sendTimeMs[k] = this.slotSendTime[slot]!;
      r.sizeBytes[k] = this.slotSize[slot]!;
      if (received) {
        r.received[k] = 1;
        r.arrivalTimeMs[k] = (feedback.receiveTimeUs[i]! + offsetUs) / 1000;
        if (state === STATE_LOST) r.recovered++;
        this.slotState[slot] = STATE_RECEIVED;
      } else {
        r.received[k] = 0;
        r.arrivalTimeMs[k] = 0;
        this.slotState[slot] = STATE_LOST;
      }
    }
    return r;
  }
}
