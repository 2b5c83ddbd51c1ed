// What the server sees of a publisher's media: RTP payloads reassembled into encoded frames (VP8 by its
// RFC 7741 payload descriptor, Opus one frame per packet), and whether each frame is an SFrame (RFC 9605)
// ciphertext with the documented clear prefix and a key id of the expected sender (docs/e2ee.md).
import { clearPrefixLength } from '../../packages/client/src/e2ee/clear-prefix.js';
import { epochOf, tagOf } from '../../packages/client/src/e2ee/key-id.js';
import { decodeSFrameHeader } from '../../packages/client/src/e2ee/sframe.js';

/** AES-GCM tag length of the cipher suite (RFC 9605 §4.5, AES_128_GCM_SHA256_128). */
const TAG_BYTES = 16;

export interface TappedPacket {
  kind: 'audio' | 'video';
  ssrc: number;
  marker: boolean;
  payload: Uint8Array;
}

/** Start offset of the VP8 payload after the payload descriptor (RFC 7741 §4.2), and whether a frame starts here. */
function vp8Descriptor(payload: Uint8Array): { offset: number; frameStart: boolean } | null {
  if (payload.length < 1) return null;
  const b0 = payload[0]!;
  let p = 1;
  if (b0 & 0x80) {
    if (payload.length < 2) return null;
    const x = payload[1]!;
    p = 2;
    if (x & 0x80) p += (payload[p]! & 0x80) !== 0 ? 2 : 1; // picture id, 7 or 15 bits
    if (x & 0x40) p += 1; // TL0PICIDX
    if (x & 0x30) p += 1; // TID/Y/KEYIDX
  }
  if (p > payload.length) return null;
  return { offset: p, frameStart: (b0 & 0x10) !== 0 && (b0 & 0x0f) === 0 };
}

/**
 * Encoded frames per SSRC, in arrival order. A VP8 frame runs from a packet with S=1 and partition 0 to the
 * packet with the RTP marker; frames with a packet lost in between are left out (their contents are unknown).
 */
export function reassembleFrames(packets: readonly TappedPacket[]): { kind: 'audio' | 'video'; ssrc: number; frame: Uint8Array }[] {
  const frames: { kind: 'audio' | 'video'; ssrc: number; frame: Uint8Array }[] = [];
  const open = new Map<number, Uint8Array[]>();
  for (const packet of packets) {
    if (packet.kind === 'audio') {
      frames.push({ kind: 'audio', ssrc: packet.ssrc, frame: packet.payload });
      continue;
    }
    const descriptor = vp8Descriptor(packet.payload);
    if (!descriptor) continue;
    const part = packet.payload.subarray(descriptor.offset);
    if (descriptor.frameStart) open.set(packet.ssrc, [part]);
    else open.get(packet.ssrc)?.push(part);
    if (!packet.marker) continue;
    const parts = open.get(packet.ssrc);
    open.delete(packet.ssrc);
    if (!parts) continue;
    const frame = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      frame.set(p, at);
      at += p.length;
    }
    frames.push({ kind: 'video', ssrc: packet.ssrc, frame });
  }
  return frames;
}

export type FrameVerdict = { sealed: true; keyTag: number; epoch: number } | { sealed: false; why: string };

/**
 * Whether a frame is clear prefix ‖ SFrame header ‖ ciphertext ‖ tag. A plain VP8 or Opus frame fails this:
 * at the prefix's end it has compressed picture or sound data, not a header naming a known sender.
 */
export function inspectFrame(kind: 'audio' | 'video', frame: Uint8Array, knownTags: ReadonlySet<number>): FrameVerdict {
  const prefix = clearPrefixLength(kind, frame);
  const header = decodeSFrameHeader(frame, prefix);
  if (!header) return { sealed: false, why: 'no SFrame header after the clear prefix' };
  const keyTag = tagOf(header.kid);
  if (!knownTags.has(keyTag)) return { sealed: false, why: `key id ${header.kid} names no participant` };
  if (frame.length < prefix + header.length + TAG_BYTES) return { sealed: false, why: 'shorter than an authentication tag' };
  return { sealed: true, keyTag, epoch: epochOf(header.kid) };
}
