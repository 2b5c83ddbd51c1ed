import type { MediaState, Room } from '@treff/client';
import { Avatar } from './avatar.js';
import { CameraIcon, CameraOffIcon, CloseIcon, MicIcon, MicOffIcon } from './icons.js';

function MediaIcons({ media }: { media: MediaState }) {
  return (
    <span class="media-icons">
      <span role="img" aria-label={media.audio ? 'Microphone on' : 'Microphone muted'} class={media.audio ? '' : 'off'}>
        {media.audio ? <MicIcon /> : <MicOffIcon />}
      </span>
      <span role="img" aria-label={media.video ? 'Camera on' : 'Camera off'} class={media.video ? '' : 'off'}>
        {media.video ? <CameraIcon /> : <CameraOffIcon />}
      </span>
    </span>
  );
}

export function ParticipantList({ room, onClose }: { room: Room; onClose: () => void }) {
  const self = room.self;
  const people = [...room.participants.values()].sort((a, b) => a.joinedAt - b.joinedAt);
  const count = people.length + (self ? 1 : 0);
  return (
    <aside id="participants-panel" class="panel" aria-labelledby="participants-heading">
      <header class="panel-header">
        <h2 id="participants-heading">In this meeting ({count})</h2>
        <button type="button" class="icon-button" aria-label="Close panel" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      <ul class="people" aria-labelledby="participants-heading">
        {self && (
          <li aria-label={`${self.name} (you)`} key={self.id}>
            <Avatar name={self.name} size="small" />
            <span class="person-name">
              {self.name} <span class="muted">(you)</span>
            </span>
            {self.role === 'host' && <span class="badge">Host</span>}
            <MediaIcons media={self.media} />
          </li>
        )}
        {people.map((p) => (
          <li aria-label={p.name} key={p.id} class={room.activeSpeakerId === p.id ? 'speaking' : ''}>
            <Avatar name={p.name} size="small" />
            <span class="person-name">{p.name}</span>
            {p.role === 'host' && <span class="badge">Host</span>}
            <MediaIcons media={p.media} />
          </li>
        ))}
      </ul>
    </aside>
  );
}
