import type { MediaState, ParticipantInfo, Role, ServerMessage } from '@treff/protocol';
import type { Producer, WebRtcTransport } from '@treff/sfu';
import { newSecret } from '../ids.js';

/** Where a participant's server messages go; the signaling session implements it. */
export interface MessageSink {
  send(message: ServerMessage): void;
  /** Stop acting for this participant and close the connection (another took over, or the session ended). */
  disconnect(reason: string): void;
}

/** A person in a live meeting: identity, media state, their transport, and their (replaceable) signaling link. */
export class Participant {
  readonly resumeToken = newSecret();
  readonly joinedAt = Date.now();
  media: MediaState;
  /** Null while the socket is gone and the participant waits, within the grace period, to resume. */
  sink: MessageSink | null;
  graceTimer: NodeJS.Timeout | null = null;
  producers: Producer[] = [];

  constructor(
    readonly id: string,
    readonly name: string,
    readonly role: Role,
    media: MediaState,
    readonly transport: WebRtcTransport,
    sink: MessageSink,
  ) {
    this.media = media;
    this.sink = sink;
  }

  info(): ParticipantInfo {
    return { id: this.id, name: this.name, role: this.role, media: { ...this.media }, joinedAt: this.joinedAt };
  }

  send(message: ServerMessage): void {
    this.sink?.send(message);
  }
}
