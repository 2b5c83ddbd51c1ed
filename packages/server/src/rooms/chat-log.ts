import type { ChatMessage } from '@treff/protocol';

/**
 * A meeting's chat, in memory only: it lives and dies with the Room, so nothing said in a meeting
 * outlasts it. Bounded, so a long meeting cannot grow the server's memory without end.
 */
export class ChatLog {
  private readonly messages: ChatMessage[] = [];

  constructor(private readonly capacity: number) {}

  add(message: ChatMessage): void {
    this.messages.push(message);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
  }

  /**
   * What `participantId` may read: the public messages of the room they are in (`breakout`, null: the main
   * room) and the private ones they sent or received, wherever.
   */
  visibleTo(participantId: string, breakout: string | null = null): ChatMessage[] {
    return this.messages.filter((m) => (m.to === null ? (m.breakout ?? null) === breakout : m.to === participantId || m.from === participantId));
  }

  get size(): number {
    return this.messages.length;
  }
}
