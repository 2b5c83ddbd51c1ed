// The probe at the end of every payload a bot sends: who sent it, on which simulcast layer, and
// when. Sender and receiver share a machine and clock (clock.ts), so a subscriber gets one-way
// latency, and it can tell which publisher and layer a packet really came from even when the SFU
// switches what a receiving slot carries (or the `slot-sources` message is still on its way).
//
// Layout, 20 bytes at the very end of the RTP payload:
//   magic "Trf2" (4) | origin: FNV-1a 32 of the publisher's participant id (4) | layer (1) | 0 (3) |
//   send time, float64 milliseconds (8)

/** "Trf2": marks a payload written by a Treff bot (probe version 2). */
export const PROBE_MAGIC = 0x54726632;
export const PROBE_LENGTH = 20;
/** Layer byte of a stream sent without simulcast. */
export const NO_LAYER = 0xff;

export interface ProbeInfo {
  sendTimeMs: number;
  /** `originTag` of the publisher's participant id; 0 when the publisher did not know it yet. */
  origin: number;
  /** Simulcast layer index, 0 = lowest resolution; -1 for a stream sent without simulcast. */
  layer: number;
}

export function writeProbe(buf: Buffer, payloadEnd: number, sendTimeMs: number, origin = 0, layer = NO_LAYER): void {
  const p = payloadEnd - PROBE_LENGTH;
  buf.writeUInt32BE(PROBE_MAGIC, p);
  buf.writeUInt32BE(origin >>> 0, p + 4);
  buf[p + 8] = layer & 0xff;
  buf[p + 9] = 0;
  buf[p + 10] = 0;
  buf[p + 11] = 0;
  buf.writeDoubleBE(sendTimeMs, p + 12);
}

/** Reads the probe into `out`; false (and `out` untouched) when the payload carries none. */
export function readProbeInto(buf: Uint8Array, payloadOffset: number, payloadLength: number, out: ProbeInfo): boolean {
  if (payloadLength < PROBE_LENGTH) return false;
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const p = payloadOffset + payloadLength - PROBE_LENGTH;
  if (b.readUInt32BE(p) !== PROBE_MAGIC) return false;
  out.origin = b.readUInt32BE(p + 4);
  const layer = b[p + 8]!;
  out.layer = layer === NO_LAYER ? -1 : layer;
  out.sendTimeMs = b.readDoubleBE(p + 12);
  return true;
}

/** The send time of a bot's packet, or -1 when the payload carries no probe. */
export function readProbe(buf: Uint8Array, payloadOffset: number, payloadLength: number): number {
  const info: ProbeInfo = { sendTimeMs: -1, origin: 0, layer: -1 };
  return readProbeInto(buf, payloadOffset, payloadLength, info) ? info.sendTimeMs : -1;
}

/** FNV-1a (32 bit) of a participant id: what publishers write as their origin, never 0. */
export function originTag(participantId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < participantId.length; i++) {
    h ^= participantId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h === 0 ? 1 : h;
}
