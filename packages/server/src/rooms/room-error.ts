import type { ErrorCode } from '@treff/protocol';

/**
 * A refusal with the protocol's error code: admission failures (fatal for the joining socket) and
 * refused moderation (`forbidden`, `not-found`, `bad-request`, answered and nothing changed). The
 * HTTP host API maps the same codes to statuses.
 */
export class RoomError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
