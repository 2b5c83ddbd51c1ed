/** @jsxRuntime automatic @jsxImportSource preact */
import { text } from '../strings.js';
import { Avatar } from './avatar.js';
import { Video } from './media.js';

export interface ScreenTileProps {
  /** The sharer's display name. */
  name: string;
  /** Null until the share's first track arrives. */
  track: MediaStreamTrack | null;
  /** Our own share, previewed from the captured track. */
  self?: boolean;
  width: number;
  height: number;
}

/** A shared screen, whole (letterboxed, never cropped), named after whoever shares it. */
export function ScreenTile({ name, track, self = false, width, height }: ScreenTileProps) {
  const label = self ? text.yourScreen : text.screenOf(name);
  return (
    <figure class="tile screen-tile" aria-label={label} style={{ width: `${width}px`, height: `${height}px` }}>
      {track ? <Video track={track} class="screen-video" awaitFrame={!self} cover={<Avatar name={name} />} /> : <Avatar name={name} />}
      <figcaption class="tile-caption">
        <span class="tile-name">{label}</span>
      </figcaption>
    </figure>
  );
}
