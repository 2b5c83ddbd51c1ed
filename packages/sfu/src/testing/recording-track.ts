import type { Track } from 'node-datachannel';

/**
 * Stands in for node-datachannel's Track at the one seam the forwarding logic uses (open state, send,
 * incoming RTCP), so NACK handling can be checked packet by packet; the real transport is exercised by
 * the integration tests.
 */
export class RecordingTrack {
  readonly sent: Buffer[] = [];
  private onMessageCallback: (message: Buffer) => void = () => {};
  isOpen(): boolean {
    return true;
  }
  onMessage(cb: (message: Buffer) => void): void {
    this.onMessageCallback = cb;
  }
  sendMessageBinary(buffer: Buffer): boolean {
    this.sent.push(Buffer.from(buffer));
    return true;
  }
  deliver(message: Buffer): void {
    this.onMessageCallback(message);
  }
  asTrack(): Track {
    return this as unknown as Track;
  }
}
