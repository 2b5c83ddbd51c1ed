/** @jsxRuntime automatic @jsxImportSource preact */
import type { SharedVideo } from '@treff/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { text } from '../strings.js';
import { PlayerSync } from '../player-sync.js';
import type { PlayerEvent, PlayerView, VideoChange } from '../video-sync.js';

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

const viewOf = (el: HTMLVideoElement): PlayerView => ({ currentTime: el.currentTime, paused: el.paused, duration: el.duration, seeking: el.seeking });

/** The shared video, large like a shared screen, kept in step with the room's state. */
export function SharedVideoTile({ video, moderator, onChange, onStop, width, height }: SharedVideoTileProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const [mutedByBrowser, setMutedByBrowser] = useState(false);
  const [failed, setFailed] = useState(false);
  // Event listeners are set up once per element; they read the newest callback through this.
  const report = useRef(onChange);
  report.current = onChange;
  const [player] = useState(() => new PlayerSync(video));

  const sync = () => {
    const el = ref.current;
    if (!el || el.readyState === HTMLMediaElement.HAVE_NOTHING) return;
    const steps = player.check(viewOf(el), performance.now());
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
    const onSeeking = () => player.seeking(viewOf(el), performance.now(), moderator);
    const onPlayer = (event: PlayerEvent) => () => {
      const change = player.event(event, viewOf(el), performance.now(), moderator);
      if (change) report.current(change);
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

  // Every new state (play, pause, seek from whoever moderates) is applied at once, not at the next check.
  useEffect(() => {
    player.receive(video, performance.now());
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
