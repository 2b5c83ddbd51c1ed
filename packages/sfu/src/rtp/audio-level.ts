// Client-to-mixer audio level header extension (RFC 6464 §3): one data byte, V(1) | level(7),
// where level is -dBov from 0 (loudest) to 127 (silence) and V is the optional voice-activity flag.

import { findHeaderExtension, type RtpHeader } from './rtp-packet.js';

/** The level 0..127 (-dBov, 127 = silence), or -1 when the extension is absent. */
export function readAudioLevel(buf: Uint8Array, header: RtpHeader, extId: number): number {
  const data = findHeaderExtension(buf, header, extId);
  return data < 0 ? -1 : buf[data]! & 0x7f;
}

/**
 * The voice-activity bit: 1 speech, 0 no speech, -1 when the extension is absent.
 * RFC 6464 §3 makes V meaningful only when negotiated with `vad=on` (the default); with
 * `vad=off` senders still transmit the bit but its value carries no information.
 */
export function readVoiceActivity(buf: Uint8Array, header: RtpHeader, extId: number): number {
  const data = findHeaderExtension(buf, header, extId);
  return data < 0 ? -1 : buf[data]! >> 7;
}
