/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isFreshFrame } from '../fresh-frame.js';

interface VideoProps {
  track: MediaStreamTrack;
  mirrored?: boolean;
  class?: string;
  /**
   * Remote video: show `cover` instead until a frame decoded after the track was attached is presented (see
   * `isFreshFrame`), so a switched slot never shows the previous person's last frame.
   */
  awaitFrame?: boolean;
  cover?: ComponentChildren;
}

/** Plays one video track. A fresh MediaStream per track, because the SDK may hand the same track to a new owner. */
export function Video({ track, mirrored = false, class: className = '', awaitFrame = false, cover }: VideoProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const [fresh, setFresh] = useState(!awaitFrame);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => undefined); // muted video may always autoplay; a failure here just means "not yet"
    // Browsers without frame callbacks show the video at once: better a stale frame than none.
    const waiting = awaitFrame && typeof video.requestVideoFrameCallback === 'function';
    setFresh(!waiting);
    let handle: number | undefined;
    if (waiting) {
      const attachedAt = performance.now();
      let presented = 0;
      const onFrame = (_now: number, frame: VideoFrameCallbackMetadata) => {
        presented++;
        if (isFreshFrame(frame, attachedAt, presented)) {
          handle = undefined;
          setFresh(true);
        } else handle = video.requestVideoFrameCallback(onFrame);
      };
      handle = video.requestVideoFrameCallback(onFrame);
    }
    return () => {
      if (handle !== undefined) video.cancelVideoFrameCallback(handle);
      video.srcObject = null;
    };
  }, [track, awaitFrame]);
  return (
    <>
      <video ref={ref} class={`video ${mirrored ? 'mirrored' : ''} ${className}`} autoPlay playsInline muted />
      {!fresh && <div class="video-cover">{cover}</div>}
    </>
  );
}

/** Plays one remote audio track; reports when the browser blocks autoplay so the UI can ask for a click. */
export function Audio({ track, onBlocked }: { track: MediaStreamTrack; onBlocked: () => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const audio = ref.current;
    if (!audio) return;
    audio.srcObject = new MediaStream([track]);
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') onBlocked();
    });
    return () => {
      audio.srcObject = null;
    };
  }, [track]);
  return <audio ref={ref} autoPlay data-treff-remote-audio="" />;
}

/** Retries every remote <audio> element; call from a click handler (a user gesture unlocks autoplay). */
export async function resumeAllAudio(): Promise<boolean> {
  const elements = [...document.querySelectorAll<HTMLAudioElement>('audio[data-treff-remote-audio]')];
  const results = await Promise.allSettled(elements.map((audio) => audio.play()));
  return results.every((r) => r.status === 'fulfilled');
}
