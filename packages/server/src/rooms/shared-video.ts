import type { SharedVideoState } from '@treff/protocol';
import { TokenBucket } from '../signaling/token-bucket.js';
import type { Participant } from './participant.js';
import { authorize } from './moderation.js';
import type { Room } from './room.js';
import { RoomError } from './room-error.js';

// The video a meeting watches together. The server never fetches the URL: each browser loads it itself.
// It keeps the position and the moment it was set, and advances it while playing, so every message says
// where playback is as it is sent and clients need no clock of ours.

/** Changes one moderator may make: enough to scrub a seek bar, not enough to flood everyone with updates. */
export const SHARED_VIDEO_RATE = { perSecond: 5, burst: 5 } as const;

/** A change as a moderator sent it (`url: null` stops the video). */
export interface SharedVideoChange {
  url: string | null;
  playing: boolean;
  position: number;
}

interface Playing {
  url: string;
  playing: boolean;
  /** Seconds into the video at `since`. */
  position: number;
  since: number;
  by: string;
}

/** The state, on a monotonic clock in milliseconds (injected by tests). */
export class SharedVideo {
  private state: Playing | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Applies the whole new state; returns whether anything changed (stopping no video changes nothing).
   * `by` stays the one who shared the URL while others pause or seek it.
   */
  apply(change: SharedVideoChange, byId: string): boolean {
    if (change.url === null) {
      const had = this.state !== null;
      this.state = null;
      return had;
    }
    const by = this.state !== null && this.state.url === change.url ? this.state.by : byId;
    this.state = { url: change.url, playing: change.playing, position: change.position, since: this.now(), by };
    return true;
  }

  /** Where playback is now, or null when nothing is shared. */
  current(): SharedVideoState | null {
    const s = this.state;
    if (s === null) return null;
    const position = s.playing ? s.position + Math.max(0, this.now() - s.since) / 1000 : s.position;
    return { url: s.url, playing: s.playing, position, by: s.by };
  }
}

const buckets = new WeakMap<Participant, TokenBucket>();

/** A moderator plays, pauses, seeks or stops the shared video; everyone (the sender too) gets the new state. */
export function setSharedVideo(room: Room, actor: Participant, change: SharedVideoChange): void {
  authorize(room, actor, 'share-video');
  let bucket = buckets.get(actor);
  if (bucket === undefined) buckets.set(actor, (bucket = new TokenBucket(SHARED_VIDEO_RATE.perSecond, SHARED_VIDEO_RATE.burst)));
  if (!bucket.take()) throw new RoomError('rate-limited', `too many shared video changes: at most ${SHARED_VIDEO_RATE.perSecond} per second`);
  if (room.sharedVideo.apply(change, actor.id)) room.broadcast({ type: 'shared-video', video: room.sharedVideo.current() });
}
