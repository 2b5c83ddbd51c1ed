/**
 * Whether a frame a <video> presents was decoded after the element got its track. The SDK hands one receiving
 * track from person to person as the server switches a slot, and a newly attached element first shows that
 * track's last frame — the previous person's — which stays up when the new source never decodes. Remote frames
 * carry the time their last packet arrived (`receiveTime`); where a browser does not report it, the first
 * presented frame is taken for the stale one.
 */
export function isFreshFrame(frame: { receiveTime?: number }, attachedAt: number, presentedSoFar: number): boolean {
  if (frame.receiveTime !== undefined) return frame.receiveTime >= attachedAt;
  return presentedSoFar >= 2;
}
