import type { SendSlot } from './slot-map.js';
import type { Timers } from './signal-client.js';

/** One simulcast encoding as the server needs to know it: its rid and the SSRC the browser chose for it. */
export interface SimulcastStream {
  rid: string;
  ssrc: number;
}

export interface SimulcastEncoding {
  rid: string;
  scaleResolutionDownBy: number;
  maxBitrate: number;
}

/** Bitrate caps from the highest layer down (full, 1/2, 1/4, 1/8 resolution), in bits per second. */
const LAYER_BITRATES = [1_500_000, 500_000, 150_000, 60_000] as const;

/**
 * The encoding parameters for the rids of a simulcast send slot, listed lowest resolution first
 * (docs/signaling.md): each layer halves the resolution of the one above it, so three layers are
 * scaled down 4, 2 and 1 times and capped at about 150 kbps, 500 kbps and 1.5 Mbps.
 */
export function simulcastEncodings(rids: readonly string[]): SimulcastEncoding[] {
  return rids.map((rid, i) => {
    const fromTop = rids.length - 1 - i;
    return { rid, scaleResolutionDownBy: 2 ** fromTop, maxBitrate: LAYER_BITRATES[Math.min(fromTop, LAYER_BITRATES.length - 1)]! };
  });
}

/**
 * Browsers answering a simulcast offer (RFC 8853) create one encoding per offered rid, but with their own
 * scaling and bitrates; this sets ours. Encodings the offer did not name are left alone. Resolves with
 * whether `setParameters` was called.
 */
export async function configureSimulcast(sender: RTCRtpSender, rids: readonly string[]): Promise<boolean> {
  const parameters = sender.getParameters();
  const wanted = new Map(simulcastEncodings(rids).map((e) => [e.rid, e]));
  let changed = false;
  for (const encoding of parameters.encodings ?? []) {
    const target = encoding.rid === undefined ? undefined : wanted.get(encoding.rid);
    if (!target) continue;
    if (encoding.scaleResolutionDownBy !== target.scaleResolutionDownBy || encoding.maxBitrate !== target.maxBitrate) {
      encoding.scaleResolutionDownBy = target.scaleResolutionDownBy;
      encoding.maxBitrate = target.maxBitrate;
      changed = true;
    }
  }
  if (changed) await sender.setParameters(parameters);
  return changed;
}

/**
 * Sends only the encodings the server says somebody receives (`send-layers`): the others are paused with
 * `active = false` (the encoder stops them; the browser restarts one with a key frame when it is resumed).
 * Encodings without a rid are left alone. Resolves with whether `setParameters` was called.
 */
export async function setActiveEncodings(sender: RTCRtpSender, rids: readonly string[]): Promise<boolean> {
  const parameters = sender.getParameters();
  const wanted = new Set(rids);
  let changed = false;
  for (const encoding of parameters.encodings ?? []) {
    if (encoding.rid === undefined) continue;
    const active = wanted.has(encoding.rid);
    if ((encoding.active ?? true) !== active) {
      encoding.active = active;
      changed = true;
    }
  }
  if (changed) await sender.setParameters(parameters);
  return changed;
}

/** The few fields of an `outbound-rtp` statistics entry this reads (getStats values are untyped). */
interface OutboundStat {
  type: string;
  kind?: unknown;
  mediaType?: unknown;
  mid?: unknown;
  rid?: unknown;
  ssrc?: unknown;
}

/**
 * The SSRC of each of `rids` on the sender of `mid`, from `outbound-rtp` statistics, in the order of
 * `rids`. Entries without a mid (older browsers) count if they are video. Rids not (yet) reported are
 * missing from the result.
 */
export function readSimulcastStreams(stats: Iterable<OutboundStat>, mid: string, rids: readonly string[]): SimulcastStream[] {
  const byRid = new Map<string, number>();
  for (const stat of stats) {
    if (stat.type !== 'outbound-rtp' || typeof stat.rid !== 'string' || !rids.includes(stat.rid)) continue;
    if (typeof stat.mid === 'string' ? stat.mid !== mid : (stat.kind ?? stat.mediaType) !== 'video') continue;
    if (typeof stat.ssrc === 'number' && Number.isInteger(stat.ssrc) && stat.ssrc > 0 && stat.ssrc <= 0xffffffff) byRid.set(stat.rid, stat.ssrc);
  }
  return rids.filter((rid) => byRid.has(rid)).map((rid) => ({ rid, ssrc: byRid.get(rid)! }));
}

export function sameStreams(a: readonly SimulcastStream[] | null, b: readonly SimulcastStream[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((s, i) => s.rid === b[i]!.rid && s.ssrc === b[i]!.ssrc);
}

export interface SimulcastReporterOptions {
  getStats(): Promise<Iterable<OutboundStat>>;
  send(mid: string, streams: SimulcastStream[]): void;
  timers: Timers;
  /** Between two looks at the statistics. */
  intervalMs?: number;
  /** How long one round of looking lasts before it settles for the encodings seen so far. */
  timeoutMs?: number;
}

/**
 * Tells the server the SSRCs of our simulcast encodings (`simulcast-streams`). Browsers assign them when
 * the answer is applied but report them only once an encoding has started sending, so each `check()`
 * polls the statistics for a bounded time: it reports as soon as every rid has an SSRC (or, at the
 * deadline, whatever part has), and again whenever a later check finds different ones.
 */
export class SimulcastReporter {
  readonly #options: Required<SimulcastReporterOptions>;
  #slot: SendSlot | null = null;
  #reported: SimulcastStream[] | null = null;
  #timer: unknown = null;
  /** Bumped on every new round (and on close), so a round's late statistics are ignored. */
  #round = 0;
  #closed = false;

  constructor(options: SimulcastReporterOptions) {
    // Often: the server drops an encoding's packets until it knows its SSRC (among them the browser's first
    // bandwidth probes), and the statistics show an SSRC only once that encoding has sent something.
    this.#options = { intervalMs: 50, timeoutMs: 10_000, ...options };
  }

  /** The send slot to report for (null: no simulcast). A different mid or rid list forgets what was reported. */
  setSlot(slot: SendSlot | null): void {
    const simulcast = slot?.simulcast ? slot : null;
    const same = simulcast !== null && this.#slot !== null && simulcast.mid === this.#slot.mid && simulcast.simulcast!.join() === this.#slot.simulcast!.join();
    if (!same) {
      this.#reported = null;
      this.#stop();
    }
    this.#slot = simulcast;
  }

  /** What was last sent, for resending after a dropped socket. */
  get reported(): { mid: string; streams: SimulcastStream[] } | null {
    return this.#slot && this.#reported ? { mid: this.#slot.mid, streams: this.#reported } : null;
  }

  /** Starts (or restarts) a bounded round of looking for the SSRCs. */
  check(): void {
    if (this.#closed || !this.#slot) return;
    this.#stop();
    const round = ++this.#round;
    // Counted in looks rather than wall-clock time, so the bound holds with any timers.
    const looks = Math.max(1, Math.ceil(this.#options.timeoutMs / this.#options.intervalMs));
    void this.#look(round, looks - 1);
  }

  close(): void {
    this.#closed = true;
    this.#stop();
  }

  #stop(): void {
    this.#round++;
    if (this.#timer !== null) this.#options.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #look(round: number, looksLeft: number): Promise<void> {
    const slot = this.#slot;
    if (!slot?.simulcast) return;
    let streams: SimulcastStream[] = [];
    try {
      streams = readSimulcastStreams(await this.#options.getStats(), slot.mid, slot.simulcast);
    } catch {
      // A closing PeerConnection rejects getStats; the next round (if any) looks again.
    }
    if (round !== this.#round) return;
    const complete = streams.length === slot.simulcast.length;
    if (complete || (looksLeft === 0 && streams.length > 0)) {
      if (!sameStreams(streams, this.#reported)) {
        this.#reported = streams;
        this.#options.send(slot.mid, streams);
      }
      return;
    }
    if (looksLeft === 0) return;
    this.#timer = this.#options.timers.setTimeout(() => {
      this.#timer = null;
      void this.#look(round, looksLeft - 1);
    }, this.#options.intervalMs);
  }
}
