import type { ClientMessage, SharedVideoState } from '@treff/protocol';
import { LIMITS } from '@treff/protocol';

// The video everyone watches together, as this participant knows it, and the messages that change it. Each
// message carries the whole state; play, pause and seek need the URL being shown, so without a video they
// send nothing. The builders refuse what the server would refuse, so an app learns of a mistake at once.

/** The shared video as it arrived: `position` was current at `receivedAt` (performance.now(), ms). */
export type SharedVideo = SharedVideoState & { receivedAt: number };

type SetSharedVideo = Extract<ClientMessage, { type: 'shared-video' }>;

/** Only direct media files over http(s): each browser fetches the URL itself, so nothing else may be asked of it. */
export function shareVideoMessage(url: string): SetSharedVideo {
  const trimmed = url.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(trimmed) || !URL.canParse(trimmed)) throw new RangeError('shared video: the URL must be an http(s) URL');
  if (trimmed.length > LIMITS.videoUrl) throw new RangeError(`shared video: the URL has at most ${LIMITS.videoUrl} characters`);
  return { type: 'shared-video', url: trimmed, playing: true, position: 0 };
}

/** The state `video` moves to (null: there is no video to play, pause or seek). */
export function changeMessage(video: SharedVideoState | null, playing: boolean, position: number): SetSharedVideo | null {
  if (!Number.isFinite(position) || position < 0) throw new RangeError('shared video: the position is a number of seconds, 0 or more');
  if (video === null) return null;
  return { type: 'shared-video', url: video.url, playing, position };
}

export const stopVideoMessage: SetSharedVideo = { type: 'shared-video', url: null, playing: false, position: 0 };

/** Where playback of `video` is at `now` (performance.now(), ms): what a `<video>` element should show. */
export function currentPosition(video: SharedVideo, now = performance.now()): number {
  return video.playing ? video.position + Math.max(0, now - video.receivedAt) / 1000 : video.position;
}

/** Whether two states show the same thing (a resume repeats what we have: no event for it). */
export function sameVideo(a: SharedVideoState | null, b: SharedVideoState | null): boolean {
  if (a === null || b === null) return a === b;
  return a.url === b.url && a.playing === b.playing && a.position === b.position && a.by === b.by;
}
