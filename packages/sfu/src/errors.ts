/** Why a signaling-driven transport operation was refused; the signaling layer maps it to a protocol error. */
export type TransportErrorCode = 'bad-sdp' | 'wrong-state' | 'bad-candidate';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
