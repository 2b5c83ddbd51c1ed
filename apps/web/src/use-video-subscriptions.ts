import type { Room } from '@treff/client';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

type Size = { width: number; height: number };

/**
 * Subscribes to the video of the tiles on screen, at their rendered size: every tile element handed to the
 * returned ref function is measured with one ResizeObserver, and the room is told (in `ids` order, most
 * important first) each tile's size in device pixels. Tiles not on the current page are not in `ids`, so
 * their video costs nothing. The SDK coalesces the bursts a window resize causes.
 */
export function useVideoSubscriptions(room: Room, ids: readonly string[]): (id: string) => (element: HTMLElement | null) => void {
  const sizes = useRef(new Map<string, Size>());
  const [version, bump] = useState(0);
  const elements = useRef(new Map<string, HTMLElement>());
  const refs = useRef(new Map<string, (element: HTMLElement | null) => void>());

  const observer = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.participantId;
          if (!id) continue;
          const size = { width: entry.contentRect.width, height: entry.contentRect.height };
          const old = sizes.current.get(id);
          if (old?.width === size.width && old.height === size.height) continue;
          sizes.current.set(id, size);
          changed = true;
        }
        if (changed) bump((n) => n + 1);
      }),
    [],
  );
  useEffect(() => () => observer.disconnect(), [observer]);

  const key = ids.join('\n');
  useEffect(() => {
    const scale = window.devicePixelRatio || 1;
    const tiles = ids.flatMap((participantId) => {
      const size = sizes.current.get(participantId);
      return size && size.width > 0 && size.height > 0 ? [{ participantId, width: size.width * scale, height: size.height * scale }] : [];
    });
    room.setVideoSubscriptions(tiles);
  }, [room, key, version]);

  return (id: string) => {
    // One ref function per id for as long as the hook lives: a new function each render would make Preact
    // detach and re-attach the same element, and re-observing an element already observed reports no size.
    let ref = refs.current.get(id);
    if (!ref) {
      ref = (element: HTMLElement | null) => {
        const previous = elements.current.get(id);
        if (element) {
          if (previous && previous !== element) observer.unobserve(previous);
          elements.current.set(id, element);
          observer.observe(element);
        } else if (previous) {
          // The tile went (or moved, e.g. into the presenter strip: Preact detaches the old element first);
          // unobserved, so the new element's first size is reported.
          observer.unobserve(previous);
          elements.current.delete(id);
          sizes.current.delete(id);
        }
      };
      refs.current.set(id, ref);
    }
    return ref;
  };
}
