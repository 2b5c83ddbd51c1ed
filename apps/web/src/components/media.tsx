import { useEffect, useRef } from 'preact/hooks';

/** Plays one video track. A fresh MediaStream per track, because the SDK may hand the same track to a new owner. */
export function Video({ track, mirrored = false, class: className = '' }: { track: MediaStreamTrack; mirrored?: boolean; class?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = new MediaStream([track]);
    video.play().catch(() => undefined); // muted video may always autoplay; a failure here just means "not yet"
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  return <video ref={ref} class={`video ${mirrored ? 'mirrored' : ''} ${className}`} autoPlay playsInline muted />;
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
