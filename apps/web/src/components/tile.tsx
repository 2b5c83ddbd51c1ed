/** @jsxRuntime automatic @jsxImportSource preact */
import type { MediaState, Role } from '@treff/client';
import { Avatar } from './avatar.js';
import { HandIcon, MicOffIcon, PinIcon } from './icons.js';
import { Video } from './media.js';
import { RoleBadge } from './participant-list.js';
import { text } from '../strings.js';

export interface TileProps {
  /** Accessible name of the tile: the participant's display name. */
  label: string;
  name: string;
  role: Role;
  media: MediaState;
  videoTrack: MediaStreamTrack | null;
  speaking: boolean;
  self?: boolean;
  /** Set on remote tiles, so the tile's measured size can be matched to the participant. */
  participantId?: string;
  /** Receives the tile element (for measuring its size). */
  tileRef?: (element: HTMLElement | null) => void;
  class?: string;
  /** Place in the raised-hands queue (1 is next), or null when the hand is down. */
  handPosition?: number | null;
  /** Reactions floating over the tile now, each with a key unique for its lifetime. */
  reactions?: readonly { key: number; emoji: string }[];
  /** The server holds this camera back for our downlink (`Participant.videoPaused`). */
  videoPaused?: boolean;
  /** Offers pinning (remote tiles): shown large for us alone, in the speaker view. */
  pin?: { pinned: boolean; onToggle: () => void };
  style?: Record<string, string>;
}

/** One person: their video, or their initials while there is none (camera off, or not received yet). */
export function Tile({ label, name, role, media, videoTrack, speaking, self = false, participantId, tileRef, class: className = '', handPosition = null, reactions = [], videoPaused = false, pin, style }: TileProps) {
  const showVideo = media.video && videoTrack !== null;
  return (
    <figure class={`tile ${speaking ? 'speaking' : ''} ${className}`} aria-label={label} data-participant-id={participantId} ref={tileRef} style={style}>
      {showVideo ? <Video track={videoTrack} mirrored={self} awaitFrame={!self} cover={<Avatar name={name} />} /> : <Avatar name={name} />}
      {media.video && !showVideo && videoPaused && (
        <span class="tile-paused" title={text.videoPausedHint}>
          {text.videoPaused}
        </span>
      )}
      {handPosition !== null && <HandBadge position={handPosition} />}
      {pin && (
        <button type="button" class={`tile-pin ${pin.pinned ? 'pinned' : ''}`} aria-pressed={pin.pinned} aria-label={pin.pinned ? text.unpinTile(name) : text.pinTile(name)} title={pin.pinned ? text.unpinTile(name) : text.pinTile(name)} onClick={pin.onToggle}>
          <PinIcon />
        </button>
      )}
      {reactions.length > 0 && (
        <div class="tile-reactions">
          {reactions.map((r) => (
            <span key={r.key} class="floating-reaction" role="img" aria-label={text.reactedLabel(r.emoji)}>
              {r.emoji}
            </span>
          ))}
        </div>
      )}
      <figcaption class="tile-caption">
        {!media.audio && (
          <span class="tile-muted" role="img" aria-label={text.micMuted}>
            <MicOffIcon size={16} />
          </span>
        )}
        <span class="tile-name">{self ? text.nameWithYou(name) : name}</span>
        <RoleBadge role={role} />
      </figcaption>
    </figure>
  );
}

/** A raised hand's place in the queue (1 = first), or null when the hand is down. */
export function handPosition(hands: readonly string[], id: string | undefined): number | null {
  const at = id === undefined ? -1 : hands.indexOf(id);
  return at < 0 ? null : at + 1;
}

export function HandBadge({ position, class: className = 'tile-hand' }: { position: number; class?: string }) {
  return (
    <span class={`hand-badge ${className}`} role="img" aria-label={text.handRaised(position)} title={text.handRaised(position)}>
      <HandIcon size={16} />
      <span aria-hidden="true">{position}</span>
    </span>
  );
}
