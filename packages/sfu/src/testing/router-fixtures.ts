import { setImmediate as nextTurn } from 'node:timers/promises';

/** A minimal RTP packet (VP8 or Opus payload type), enough to make a producer live and its layer active. */
export function rtpPacket(payloadType: number, seq: number): Buffer {
  const packet = Buffer.alloc(40);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(seq * 3000, 4);
  packet.writeUInt32BE(0x4321, 8);
  return packet;
}

/** Lets a router's allocation run: it runs on the next turn of the event loop after a change. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await nextTurn();
}
