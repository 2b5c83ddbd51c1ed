import { answersOwnChange, moderatorChange, syncSteps, type PlayerEvent, type PlayerView, type ReceivedVideoState, type SyncSteps, type VideoChange } from './video-sync.js';

/** Longer than a server's answer takes; if it refused the change, the room's state rules again after this. */
export const OWN_CHANGE_MS = 3000;

const NOTHING: SyncSteps = { seekTo: null, play: false, pause: false };

/**
 * What one player does to stay in step with the room, and which of its events are a moderator's own change.
 * The component feeds it the element's events and asks it at each check; it touches no element itself, so its
 * races (a check landing between a click and its event) can be replayed in a unit test.
 */
export class PlayerSync {
  /** A moderator's own change, followed until the server's answer arrives, so syncing does not undo it meanwhile. */
  #own: { state: ReceivedVideoState; at: number } | null = null;
  /**
   * When a moderator's own seek began ('seeking'), until its 'seeked' is handled. A check that ran in between
   * (the seek done, its event not yet dispatched) would take the new position for drift and seek back, and
   * the 'seeked' that followed would look like our own syncing: the seek would be lost for everyone.
   */
  #ownSeekAt: number | null = null;
  /**
   * Whether the player was paused as its last 'play' or 'pause' event, or our own command, left it (null: not
   * known yet). `play()` and `pause()` flip `paused` at once but dispatch their event later, so a moderator's
   * click seen by a check before its event looks like drift: undone there, the click and its undoing would both
   * reach the server as changes, the undoing last.
   */
  #toldPaused: boolean | null = null;

  constructor(private state: ReceivedVideoState) {}

  /** A new state from the server; it ends our own change only if it is the answer to it. */
  receive(state: ReceivedVideoState, now: number): void {
    this.state = state;
    if (this.#own && answersOwnChange(this.#own.state, state, now)) this.#own = null;
  }

  /** What to do to the player now; the caller carries the steps out. */
  check(player: PlayerView, now: number): SyncSteps {
    if (this.#toldPaused !== null && player.paused !== this.#toldPaused) {
      // An event is on its way and its handler decides. Only one check waits for it: a play() the browser
      // refused flips `paused` back without any event.
      this.#toldPaused = player.paused;
      return NOTHING;
    }
    const steps = syncSteps(this.#current(now), this.#view(player, now), now);
    if (steps.play) this.#toldPaused = false;
    else if (steps.pause) this.#toldPaused = true;
    else this.#toldPaused = player.paused;
    return steps;
  }

  /** The player began a seek: one elsewhere than the state says is a moderator's own. */
  seeking(player: PlayerView, now: number, moderator: boolean): void {
    if (moderator && moderatorChange('seeked', this.#current(now), player, now) !== null) this.#ownSeekAt = now;
  }

  /** A player event; returns the change to send when it is a moderator's own action. */
  event(event: PlayerEvent, player: PlayerView, now: number, moderator: boolean): VideoChange | null {
    if (event === 'seeked') this.#ownSeekAt = null;
    else this.#toldPaused = event === 'pause';
    if (!moderator) return null;
    const before = this.#current(now);
    const change = moderatorChange(event, before, player, now);
    if (!change) return null;
    const playing = change.action === 'seek' ? before.playing : change.action === 'play';
    this.#own = { state: { playing, position: change.position, receivedAt: now }, at: now };
    return change;
  }

  #current(now: number): ReceivedVideoState {
    return this.#own && now - this.#own.at < OWN_CHANGE_MS ? this.#own.state : this.state;
  }

  #view(player: PlayerView, now: number): PlayerView {
    return { ...player, seeking: player.seeking || (this.#ownSeekAt !== null && now - this.#ownSeekAt < OWN_CHANGE_MS) };
  }
}
