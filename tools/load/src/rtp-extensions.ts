// RTP header extensions as the bots write them: one block in the one-byte form of RFC 8285 §4.2,
// laid out once per stream (the same elements in every packet), so writing a packet is a copy and
// stamping the transport-wide sequence number is one 16-bit write at a known offset.
//
// Elements used: RFC 6464 audio level (1 byte), RFC 8852 RtpStreamId (the rid, 1–16 bytes) and the
// transport-wide sequence number of draft-holmer-rmcat-transport-wide-cc-extensions-01 §2 (2 bytes).

/** Every packet a bot sends stays within this size (a browser's usual maximum). */
export const MAX_PACKET_BYTES = 1200;

const ONE_BYTE_PROFILE = 0xbede;

export interface ExtensionElement {
  /** Local identifier from the offer's a=extmap (RFC 8285 §5), 1–14 in the one-byte form. */
  id: number;
  /** Fixed content, written into every packet; its length is the element's length (1–16). */
  data: Uint8Array;
}

export class ExtensionLayoutError extends Error {
  override name = 'ExtensionLayoutError';
}

/** A fixed one-byte-form extension block: the 4-byte header, the elements, zero padding to 32 bits. */
export class OneByteExtensionBlock {
  /** Bytes the block takes after the RTP fixed header (0 without elements: no X bit). */
  readonly size: number;
  private readonly bytes: Buffer;
  private readonly dataOffsets = new Map<number, number>();

  constructor(elements: readonly ExtensionElement[]) {
    let length = 0;
    const ids = new Set<number>();
    for (const e of elements) {
      if (!Number.isInteger(e.id) || e.id < 1 || e.id > 14) throw new ExtensionLayoutError(`one-byte extension id ${e.id} is outside 1..14`);
      if (e.data.length < 1 || e.data.length > 16) throw new ExtensionLayoutError(`extension ${e.id}: ${e.data.length} bytes (one-byte form carries 1..16)`);
      if (ids.has(e.id)) throw new ExtensionLayoutError(`extension id ${e.id} used twice`);
      ids.add(e.id);
      length += 1 + e.data.length;
    }
    if (elements.length === 0) {
      this.size = 0;
      this.bytes = Buffer.alloc(0);
      return;
    }
    const words = Math.ceil(length / 4);
    this.size = 4 + words * 4;
    this.bytes = Buffer.alloc(this.size);
    this.bytes.writeUInt16BE(ONE_BYTE_PROFILE, 0);
    this.bytes.writeUInt16BE(words, 2);
    let p = 4;
    for (const e of elements) {
      this.bytes[p++] = (e.id << 4) | (e.data.length - 1);
      this.dataOffsets.set(e.id, p);
      this.bytes.set(e.data, p);
      p += e.data.length;
    }
  }

  /** Copies the block to `buf` at `at` (right after the fixed header; the caller sets the X bit). */
  writeTo(buf: Buffer, at: number): void {
    this.bytes.copy(buf, at);
  }

  /** Offset of element `id`'s data from the start of the block, or -1 when the block lacks it. */
  dataOffset(id: number): number {
    return this.dataOffsets.get(id) ?? -1;
  }
}

/**
 * The transport-wide sequence counter of one PeerConnection (draft-holmer-rmcat-transport-wide-cc-
 * extensions-01 §2): one 16-bit sequence over every RTP packet sent on the transport, whatever its
 * SSRC, retransmissions included, so the receiver's feedback covers the whole path.
 */
export class TransportSequence {
  private value: number;

  constructor(start = 0) {
    this.value = start & 0xffff;
  }

  /** Writes the next number at `offset` of `packet` (big-endian) and returns it. */
  stamp(packet: Buffer, offset: number): number {
    const seq = this.value;
    packet.writeUInt16BE(seq, offset);
    this.value = (seq + 1) & 0xffff;
    return seq;
  }

  /** The number the next stamp will write. */
  get next(): number {
    return this.value;
  }
}
