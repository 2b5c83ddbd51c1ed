// VP8 picture ids and TL0PICIDX (RFC 7741 §4.2) as one subscriber sees them. Receivers use the
// picture id to find frame boundaries and missing frames, so when the SFU switches a subscriber
// from one source to another (simulcast layer, or another participant on the same slot) the ids
// must continue where the previous source stopped, exactly like sequence numbers do.
// Hot path: no allocation.

import type { RtpHeader } from './rtp-packet.js';
import { setVp8PictureId, setVp8Tl0PicIdx } from './vp8.js';

const PICTURE_ID_MODULO = 0x8000;

export class Vp8PictureRewriter {
  private sourceSsrc = -1;
  private pictureOffset = 0;
  private tl0Offset = 0;
  private lastPictureId: number;
  private lastTl0: number;

  constructor(startPictureId = Math.floor(Math.random() * PICTURE_ID_MODULO), startTl0 = Math.floor(Math.random() * 256)) {
    this.lastPictureId = startPictureId & 0x7fff;
    this.lastTl0 = startTl0 & 0xff;
  }

  /**
   * Rewrites the ids of a packet (with `pictureId` and `tl0` read from it before any rewriting; -1 when
   * absent). A packet from a new SSRC (or the first after `forceNewRun`) starts a new run that continues after the highest ids written.
   */
  rewrite(buf: Uint8Array, header: RtpHeader, pictureId: number, tl0: number): void {
    if (pictureId < 0) return;
    if (header.ssrc !== this.sourceSsrc) {
      this.sourceSsrc = header.ssrc;
      this.pictureOffset = (this.lastPictureId + 1 - pictureId) & 0x7fff;
      this.tl0Offset = tl0 >= 0 ? (this.lastTl0 + 1 - tl0) & 0xff : 0;
    }
    const outPicture = (pictureId + this.pictureOffset) & 0x7fff;
    setVp8PictureId(buf, header.payloadOffset, header.payloadLength, outPicture);
    if (pictureIdDiff(outPicture, this.lastPictureId) > 0) this.lastPictureId = outPicture;
    if (tl0 >= 0) {
      const outTl0 = (tl0 + this.tl0Offset) & 0xff;
      setVp8Tl0PicIdx(buf, header.payloadOffset, header.payloadLength, outTl0);
      if (((outTl0 - this.lastTl0) & 0xff) < 0x80 && outTl0 !== this.lastTl0) this.lastTl0 = outTl0;
    }
  }

  /** The next packet starts a new run even if it comes from the current SSRC. */
  forceNewRun(): void {
    this.sourceSsrc = -1;
  }

  /** Ids as they would be written for this source now, for a retransmitted packet; -1 when absent. */
  outputPictureId(pictureId: number): number {
    return pictureId < 0 ? -1 : (pictureId + this.pictureOffset) & 0x7fff;
  }

  outputTl0(tl0: number): number {
    return tl0 < 0 ? -1 : (tl0 + this.tl0Offset) & 0xff;
  }
}

/** Signed distance a − b in the 15-bit picture id space. */
function pictureIdDiff(a: number, b: number): number {
  const d = (a - b) & 0x7fff;
  return d >= 0x4000 ? d - PICTURE_ID_MODULO : d;
}
