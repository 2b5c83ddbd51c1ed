/**
 * Keeping a shared video in step with the room's state. The server sends where playback is at the moment it sends
 * (`position`) and the SDK notes when that arrived (`receivedAt`, performance.now()), so no clock sync is needed:
 * while playing, the video should be `position` plus the time since arrival.
 */

/** Below this, a difference is the normal jitter of playback and of the message's trip: correcting it would stutter. */
export const DRIFT_SECONDS = 1;
/**
 * Paused, nothing stutters and the position is exact (no trip time to allow for): everyone should see the
 * frame the moderator stopped at, not one up to a second away.
 */
export const PAUSED_DRIFT_SECONDS = 0.05;

export interface ReceivedVideoState {
  playing: boolean;
  /** Seconds from the start when the state arrived. */
  position: number;
  /** performance.now() when the state arrived. */
  receivedAt: number;
}

/** What the <video> element reports. */
export interface PlayerView {
  currentTime: number;
  paused: boolean;
  /** NaN until the metadata is loaded; Infinity for a live stream. */
  duration: number;
  seeking: boolean;
}

/** Where the video should be at `now` (performance.now()), never past its end when the length is known. */
export function targetPosition(state: ReceivedVideoState, now: number, duration = Number.NaN): number {
  const elapsed = state.playing ? Math.max(0, now - state.receivedAt) / 1000 : 0;
  const target = state.position + elapsed;
  return Number.isFinite(duration) ? Math.min(target, duration) : target;
}

export interface SyncSteps {
  /** Seek here first (null: the position is close enough). */
  seekTo: number | null;
  play: boolean;
  pause: boolean;
}

/** Whether the state has played the video to its end: then it rests there instead of starting again. */
function finished(target: number, duration: number): boolean {
  return Number.isFinite(duration) && target >= duration;
}

/** What to do to the player so it matches the state at `now`. */
export function syncSteps(state: ReceivedVideoState, player: PlayerView, now: number): SyncSteps {
  // A seek in flight reports its destination late; judging it now would seek again.
  if (player.seeking) return { seekTo: null, play: false, pause: false };
  const target = targetPosition(state, now, player.duration);
  const shouldPlay = state.playing && !finished(target, player.duration);
  const drift = Math.abs(player.currentTime - target);
  return {
    seekTo: drift > (state.playing ? DRIFT_SECONDS : PAUSED_DRIFT_SECONDS) ? target : null,
    play: shouldPlay && player.paused,
    pause: !shouldPlay && !player.paused,
  };
}

/**
 * Whether a state that arrived while a moderator's own change was on its way is the server's answer to it (or
 * agrees with it). The server answers every change in order, so a state sent before ours arrives first: taken
 * as the answer, it would undo our change, and the player event of that undoing would then look like a new change.
 */
export function answersOwnChange(own: ReceivedVideoState, received: ReceivedVideoState, now: number): boolean {
  return own.playing === received.playing && Math.abs(targetPosition(own, now) - targetPosition(received, now)) <= DRIFT_SECONDS;
}

export type PlayerEvent = 'play' | 'pause' | 'seeked';

/** The new state a moderator's own action on the native controls asks for. */
export interface VideoChange {
  action: 'play' | 'pause' | 'seek';
  position: number;
}

/**
 * A moderator's player event that the room's state does not explain is their own action, to be sent as the new
 * state. Events our syncing caused agree with the state (that is what syncing does), so they are never echoed back.
 */
export function moderatorChange(event: PlayerEvent, state: ReceivedVideoState, player: PlayerView, now: number): VideoChange | null {
  const position = player.currentTime;
  const target = targetPosition(state, now, player.duration);
  if (event === 'play') return state.playing && !finished(target, player.duration) ? null : { action: 'play', position };
  if (event === 'pause') {
    // Reaching the end pauses the element by itself: everyone's does, so there is nothing to tell.
    if (finished(position, player.duration)) return null;
    return state.playing ? { action: 'pause', position } : null;
  }
  return Math.abs(position - target) > DRIFT_SECONDS ? { action: 'seek', position } : null;
}
