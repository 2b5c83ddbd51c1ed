// RTP packets for tests: just enough header (RFC 3550 §5.1, no extensions) for a producer to take them.

export interface PacketShape {
  ssrc?: number;
  /** Whole packet, header included. */
  bytes?: number;
}

/** A minimal RTP packet (VP8 or Opus payload type), enough to make a producer live and its layer active. */
export function rtpPacket(payloadType: number, seq: number, { ssrc = 0x4321, bytes = 40 }: PacketShape = {}): Buffer {
  const packet = Buffer.alloc(bytes);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 3000, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

/** A VP8 packet that starts a key frame (S=1, PID=0, P bit clear; RFC 7741 §4.2–4.3) or a delta frame. */
export function vp8Packet(seq: number, keyframe: boolean, shape: PacketShape = {}): Buffer {
  const packet = rtpPacket(96, seq, shape);
  packet[12] = 0x10;
  packet[13] = keyframe ? 0 : 1;
  return packet;
}
