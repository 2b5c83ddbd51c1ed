// Recently received RTP packets by sequence number, to answer NACKs (RFC 4585 §6.2.1) with
// retransmissions. A ring indexed by the low bits of the 16-bit sequence number: put and get
// are O(1) and allocation-free; each slot also remembers which sequence number it holds, so a
// slot overwritten by a packet 1024 (capacity) numbers later is never returned for the old one.
//
// The cache keeps a reference, not a copy: callers that rewrite packets in place for
// forwarding must restore the original header afterwards (or cache a copy). The original RTP
// timestamp is recorded at `put` time for callers that need it without parsing.

export const DEFAULT_PACKET_CACHE_CAPACITY = 1024;

export class PacketCache {
  private readonly mask: number;
  private readonly packets: (Buffer | undefined)[];
  /** Sequence number held by each slot, -1 when empty. */
  private readonly seqs: Int32Array;
  private readonly timestamps: Uint32Array;

  /** `capacity` is rounded up to a power of two, between 1 and 32768 (half the seq space). */
  constructor(capacity: number = DEFAULT_PACKET_CACHE_CAPACITY) {
    let size = 1;
    const wanted = Math.min(0x8000, Math.max(1, Math.floor(capacity)));
    while (size < wanted) size <<= 1;
    this.mask = size - 1;
    this.packets = new Array<Buffer | undefined>(size).fill(undefined);
    this.seqs = new Int32Array(size).fill(-1);
    this.timestamps = new Uint32Array(size);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Stores `packet` as sequence number `seq`, replacing whatever held the slot. */
  put(seq: number, packet: Buffer): void {
    const s = seq & 0xffff;
    const i = s & this.mask;
    this.packets[i] = packet;
    this.seqs[i] = s;
    // RFC 3550 §5.1: timestamp at bytes 4..7; guard against a caller storing a runt.
    this.timestamps[i] =
      packet.length >= 8 ? ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0 : 0;
  }

  /** The packet stored as `seq`, or undefined if it was never stored or has been overwritten. */
  get(seq: number): Buffer | undefined {
    const s = seq & 0xffff;
    const i = s & this.mask;
    return this.seqs[i] === s ? this.packets[i] : undefined;
  }

  /** The RTP timestamp the packet `seq` had when stored, or -1 when not cached. */
  timestampOf(seq: number): number {
    const s = seq & 0xffff;
    const i = s & this.mask;
    return this.seqs[i] === s ? this.timestamps[i]! : -1;
  }

  clear(): void {
    this.packets.fill(undefined);
    this.seqs.fill(-1);
  }
}
