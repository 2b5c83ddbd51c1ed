/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact';
import type { PresenterLayout } from '../presenter-layout.js';
import { text } from '../strings.js';
import { CameraStrip } from './camera-strip.js';
import { ScreenTile } from './screen-tile.js';

export interface Share {
  /** The sharer's participant id. */
  id: string;
  name: string;
  track: MediaStreamTrack | null;
  self: boolean;
}

/** The switcher's id for the shared video, beside the sharers' participant ids. */
export const SHARED_VIDEO_ID = 'shared-video';

interface Props {
  /** Everyone sharing, oldest first. */
  shares: readonly Share[];
  /** The shared video's tile, sized to `layout.screen`, when one plays. */
  video?: ComponentChildren;
  /** A sharer's id or `SHARED_VIDEO_ID`. */
  shownId: string | null;
  onPick: (participantId: string) => void;
  layout: PresenterLayout;
  gap: number;
  /** The camera tiles of the strip. */
  children: ComponentChildren;
}

/** The shared screen (or video) large, a switcher when there are several, and the camera tiles in a strip beside or below. */
export function PresenterStage({ shares, video, shownId, onPick, layout, gap, children }: Props) {
  const hasVideo = video !== undefined && video !== null;
  const videoShown = hasVideo && (shownId === SHARED_VIDEO_ID || shares.length === 0);
  const shown = videoShown ? undefined : (shares.find((s) => s.id === shownId) ?? shares.at(-1));
  return (
    <div class={`presenter strip-${layout.strip}`} style={{ gap: `${gap}px` }}>
      <div class="presenter-screen">
        {videoShown && video}
        {shown && <ScreenTile key={shown.id} name={shown.name} track={shown.track} self={shown.self} width={layout.screen.width} height={layout.screen.height} />}
        {shares.length + (hasVideo ? 1 : 0) > 1 && (
          <div class="share-switcher" role="group" aria-label={text.screenShares}>
            {shares.map((s) => (
              <button key={s.id} type="button" class="button small" aria-pressed={s.id === shown?.id} title={text.showScreenOf(s.name)} onClick={() => onPick(s.id)}>
                {s.self ? text.yourScreen : text.screenOf(s.name)}
              </button>
            ))}
            {hasVideo && (
              <button type="button" class="button small" aria-pressed={videoShown} onClick={() => onPick(SHARED_VIDEO_ID)}>
                {text.sharedVideo}
              </button>
            )}
          </div>
        )}
      </div>
      <CameraStrip layout={layout} gap={gap}>
        {children}
      </CameraStrip>
    </div>
  );
}
