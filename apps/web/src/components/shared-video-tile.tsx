/** @jsxRuntime automatic @jsxImportSource preact */
import type { SharedVideo } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { text } from '../strings.js';
import { answersOwnChange, moderatorChange, syncSteps, type PlayerEvent, type PlayerView, type VideoChange } from '../video-sync.js';

export interface SharedVideoTileProps {
  video: SharedVideo;
  /** Moderators get the native controls; their actions come back through `onChange` as the new state. */
  moderator: boolean;
  onChange: (change: VideoChange) => void;
  onStop: () => void;
  width: number;
  height: number;
}

/** How often playback is compared with the state between events (a stalled network shows up here). */
const CHECK_MS = 1000;
/** Longer than a server's answer takes; if it refused the change, the room's state rules again after this. */
const OWN_CHANGE_MS = 3000;

const viewOf = (el: HTMLVideoElement): PlayerView => ({ currentTime: el.currentTime, paused: el.paused, duration: el.duration, seeking: el.seeking });

/** The shared video, large like a shared screen, kept in step with the room's state. */
export function SharedVideoTile({ video, moderator, onChange, onStop, width, height }: SharedVideoTileProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const [mutedByBrowser, setMutedByBrowser] = useState(false);
  const [failed, setFailed] = useState(false);
  // Event listeners are set up once per element; they read the newest state and callbacks through these.
  const state = useRef(video);
  state.current = video;
  const report = useRef(onChange);
  report.current = onChange;
  /** A moderator's own change, followed until the server's answer arrives, so syncing does not undo it meanwhile. */
  const own = useRef<{ state: SharedVideo; at: number } | null>(null);
  const current = (now: number) => (own.current && now - own.current.at < OWN_CHANGE_MS ? own.current.state : state.current);
  /**
   * When a moderator's own seek began ('seeking'), until its 'seeked' is handled. A check that ran in between
   * (the seek done, its event not yet dispatched) would take the new position for drift and seek back, and
   * the 'seeked' that followed would look like our own syncing: the seek would be lost for everyone.
   */
  const ownSeekAt = useRef<number | null>(null);
  const view = (el: HTMLVideoElement, now: number): PlayerView => ({
    ...viewOf(el),
    seeking: el.seeking || (ownSeekAt.current !== null && now - ownSeekAt.current < OWN_CHANGE_MS),
  });

  const sync = () => {
    const el = ref.current;
    if (!el || el.readyState === HTMLMediaElement.HAVE_NOTHING) return;
    const now = performance.now();
    const steps = syncSteps(current(now), view(el, now), now);
    if (steps.seekTo !== null) el.currentTime = steps.seekTo;
    if (steps.pause) el.pause();
    if (steps.play) {
      el.play().catch((error: unknown) => {
        // Without a click in this page the browser may refuse sound: play muted and offer to unmute.
        if (!(error instanceof DOMException) || error.name !== 'NotAllowedError' || el.muted) return;
        el.muted = true;
        setMutedByBrowser(true);
        el.play().catch(() => undefined);
      });
    }
  };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setFailed(false);
    const onReady = () => sync();
    const onError = () => setFailed(true);
    const onSeeking = () => {
      const now = performance.now();
      // Our syncing seeks to where the state says; a seek elsewhere is the moderator's own.
      if (moderator && moderatorChange('seeked', current(now), viewOf(el), now) !== null) ownSeekAt.current = now;
    };
    const onPlayer = (event: PlayerEvent) => () => {
      if (event === 'seeked') ownSeekAt.current = null;
      if (!moderator) return;
      const now = performance.now();
      const before = current(now);
      const change = moderatorChange(event, before, viewOf(el), now);
      if (!change) return;
      const playing = change.action === 'seek' ? before.playing : change.action === 'play';
      own.current = { state: { ...before, playing, position: change.position, receivedAt: now }, at: now };
      report.current(change);
    };
    const listeners: [string, () => void][] = [
      ['loadedmetadata', onReady],
      ['canplay', onReady],
      ['error', onError],
      ['play', onPlayer('play')],
      ['pause', onPlayer('pause')],
      ['seeking', onSeeking],
      ['seeked', onPlayer('seeked')],
    ];
    for (const [name, listener] of listeners) el.addEventListener(name, listener);
    const timer = setInterval(sync, CHECK_MS);
    return () => {
      clearInterval(timer);
      for (const [name, listener] of listeners) el.removeEventListener(name, listener);
    };
  }, [video.url, moderator]);

  // Every new state (play, pause, seek from whoever moderates) is applied at once, not at the next check;
  // our own change waiting for its answer goes on ruling over the states sent before it.
  useEffect(() => {
    if (own.current && answersOwnChange(own.current.state, video, performance.now())) own.current = null;
    sync();
  }, [video.url, video.playing, video.position, video.receivedAt]);

  const unmute = () => {
    const el = ref.current;
    if (!el) return;
    el.muted = false;
    setMutedByBrowser(false);
    sync();
  };

  return (
    <figure class="tile screen-tile shared-video-tile" aria-label={text.sharedVideo} style={{ width: `${width}px`, height: `${height}px` }}>
      <video ref={ref} class="video screen-video" src={video.url} controls={moderator} playsInline preload="auto" />
      {failed && (
        <p class="shared-video-problem" role="alert">
          {text.videoUnavailable}
        </p>
      )}
      <figcaption class="tile-caption">
        <span class="tile-name">{text.sharedVideo}</span>
      </figcaption>
      <div class="shared-video-actions">
        {mutedByBrowser && (
          <button type="button" class="button small primary" onClick={unmute}>
            {text.unmuteVideo}
          </button>
        )}
        {moderator && (
          <button type="button" class="button small danger" onClick={onStop}>
            {text.stopVideo}
          </button>
        )}
      </div>
    </figure>
  );
}
