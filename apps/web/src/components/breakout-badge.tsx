/** @jsxRuntime automatic @jsxImportSource preact */
import type { Room } from '@treff/client';
import { roomName } from '../breakout-view.js';
import { text } from '../strings.js';
import type { Broadcast } from '../use-breakouts.js';
import { useCountdown } from '../use-breakouts.js';
import { BreakoutIcon, CloseIcon } from './icons.js';

/** In the header while breakout rooms are open: the room we are in (it opens the rooms' panel) and the time left. */
export function BreakoutBadge({ room, onOpen }: { room: Room; onOpen: () => void }) {
  const time = useCountdown(room.breakouts);
  if (room.breakouts === null) return null;
  const name = roomName(room.breakouts, room.myBreakout) ?? text.breakoutMainRoom;
  return (
    <span class="breakout-badge">
      <button type="button" class="breakout-badge-room" aria-label={text.breakoutBadge(name)} title={text.breakoutBadge(name)} onClick={onOpen}>
        <BreakoutIcon size={16} />
        <span class="breakout-badge-name">{name}</span>
      </button>
      {/* role timer is not announced each second; its name says what the figure is. */}
      {time !== null && (
        <span class="breakout-time" role="timer" aria-label={text.breakoutTimeLeft(time)}>
          {time}
        </span>
      )}
    </span>
  );
}

/** A host's or co-host's message to every room, shown until dismissed or replaced by the next. */
export function BroadcastBanner({ broadcast, onDismiss }: { broadcast: Broadcast; onDismiss: () => void }) {
  return (
    <div class="breakout-broadcast" role="alert" key={broadcast.key}>
      <div class="breakout-broadcast-text">
        <strong>{text.breakoutBroadcastFrom(broadcast.fromName)}</strong>
        <p>{broadcast.text}</p>
      </div>
      <button type="button" class="icon-button" aria-label={text.breakoutDismiss} title={text.breakoutDismiss} onClick={onDismiss}>
        <CloseIcon />
      </button>
    </div>
  );
}
