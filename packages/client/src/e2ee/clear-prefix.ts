// The leading bytes of an encoded frame that stay in clear (authenticated as SFrame metadata, not
// encrypted): only what the SFU and the receiving browser's depacketizer read before decryption.
//
// Opus: nothing. The SFU routes audio by RTP header and the audio-level extension (RFC 6464), which are
// not part of the encoded frame.
//
// VP8 (RFC 6386 §9.1): the 3-byte frame tag — key-frame bit (bit 0 of byte 0, 0 = key frame), version,
// show_frame, first partition size — and, on key frames, the 3-byte start code 9d 01 2a and the two
// 16-bit fields of 14-bit width and height with 2-bit scale. The SFU reads the key-frame bit and the
// size to switch simulcast layers at key frames; the browser's VP8 packetizer and depacketizer read the
// tag to mark and assemble frames. The VP8 payload descriptor (RFC 7741) is written by the packetizer
// after the transform and stays outside the frame anyway.

export const VP8_DELTA_PREFIX = 3;
export const VP8_KEY_PREFIX = 10;

export function clearPrefixLength(kind: 'audio' | 'video', frame: Uint8Array): number {
  if (kind === 'audio' || frame.length === 0) return 0;
  const prefix = isVp8KeyFrame(frame) ? VP8_KEY_PREFIX : VP8_DELTA_PREFIX;
  // A frame shorter than its prefix carries no picture data: all of it stays in clear.
  return Math.min(prefix, frame.length);
}

export function isVp8KeyFrame(frame: Uint8Array): boolean {
  return frame.length > 0 && ((frame[0] as number) & 1) === 0;
}
