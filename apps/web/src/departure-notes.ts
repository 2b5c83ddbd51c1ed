import { text } from './strings.js';

/**
 * What to say when someone leaves or the room locks. The server sends a removal as a plain
 * `participant-left` (then locks the room), so only the moderator who sent the remove knows it was one.
 */
export class DepartureNotes {
  #removing = new Set<string>();
  #locked: boolean;
  // The removal toast already said the room locked; the `room-updated` that follows needs no toast of its own.
  #lockSaid = false;

  constructor(locked: boolean) {
    this.#locked = locked;
  }

  /** We asked the server to remove this participant. */
  removing(participantId: string): void {
    this.#removing.add(participantId);
  }

  left(participantId: string, name: string): string {
    if (!this.#removing.delete(participantId)) return text.leftToast(name);
    if (!this.#locked) this.#lockSaid = true;
    return text.removedToast(name);
  }

  /** The toast for a settings change, or null: only the room locking is news here. */
  settingsChanged(locked: boolean): string | null {
    const newlyLocked = locked && !this.#locked;
    this.#locked = locked;
    if (!newlyLocked) return null;
    if (this.#lockSaid) {
      this.#lockSaid = false;
      return null;
    }
    return text.lockedToast;
  }
}
