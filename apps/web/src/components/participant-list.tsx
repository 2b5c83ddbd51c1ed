import type { MediaState, Participant, ParticipantInfo, Role, Room } from '@treff/client';
import { useSentCheck } from '../action-feedback.js';
import { groupByRoom } from '../breakout-view.js';
import { text } from '../strings.js';
import { Avatar } from './avatar.js';
import { CameraIcon, CameraOffIcon, MicIcon, MicOffIcon, NotEncryptedIcon, ScreenShareIcon } from './icons.js';
import { SidePanel } from './side-panel.js';
import { LanguageSwitch } from './language-switch.js';
import { LobbySection } from './lobby-section.js';
import { ParticipantActions } from './participant-actions.js';
import { HandBadge, handPosition } from './tile.js';

function MediaIcons({ media }: { media: MediaState }) {
  return (
    <span class="media-icons">
      <span role="img" aria-label={media.audio ? text.micOn : text.micMuted} class={media.audio ? '' : 'off'}>
        {media.audio ? <MicIcon /> : <MicOffIcon />}
      </span>
      <span role="img" aria-label={media.video ? text.cameraOn : text.cameraOff} class={media.video ? '' : 'off'}>
        {media.video ? <CameraIcon /> : <CameraOffIcon />}
      </span>
    </span>
  );
}

/** Marks whoever keeps the meeting unencrypted, where people look for them. */
function NoE2eeBadge({ label }: { label: string }) {
  return (
    <span role="img" class="person-no-e2ee" aria-label={label} title={label}>
      <NotEncryptedIcon size={16} />
    </span>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  const label = text.roleBadge(role);
  return label ? <span class={`badge role-${role}`}>{label}</span> : null;
}

export function ParticipantList({ room, onClose, onVerify }: { room: Room; onClose: () => void; onVerify: (participantId: string) => void }) {
  const self = room.self;
  const people = [...room.participants.values()].sort((a, b) => a.joinedAt - b.joinedAt);
  const count = people.length + (self ? 1 : 0);
  const moderator = room.isModerator;
  const checkSent = useSentCheck();
  const handOf = (id: string): number | null => handPosition(room.hands, id);
  const selfHand = self ? handOf(self.id) : null;
  const selfItem = (me: ParticipantInfo) => (
    <li aria-label={text.nameWithYou(me.name)} key={me.id}>
      <Avatar name={me.name} size="small" />
      <span class="person-name">
        {me.name} <span class="muted">{text.youSuffix}</span>
      </span>
      <RoleBadge role={me.role} />
      {me.e2ee === null && <NoE2eeBadge label={text.selfCannotEncrypt} />}
      {selfHand !== null && <HandBadge position={selfHand} class="person-hand" />}
      <MediaIcons media={me.media} />
    </li>
  );
  const personItem = (p: Participant) => (
    <li aria-label={p.name} key={p.id} class={room.activeSpeakerId === p.id ? 'speaking' : ''}>
      <Avatar name={p.name} size="small" />
      <span class="person-name">{p.name}</span>
      <RoleBadge role={p.role} />
      {p.e2ee === null && <NoE2eeBadge label={text.cannotEncrypt} />}
      {p.screen === true && (
        <span role="img" class="person-sharing" aria-label={text.sharingScreen} title={text.sharingScreen}>
          <ScreenShareIcon />
        </span>
      )}
      {handOf(p.id) !== null && <HandBadge position={handOf(p.id)!} class="person-hand" />}
      <MediaIcons media={p.media} />
      {moderator && handOf(p.id) !== null && (
        <button type="button" class="button small lower-hand" aria-label={text.lowerHandOf(p.name)} title={text.lowerHandOf(p.name)} onClick={() => checkSent(room.lowerHand(p.id))}>
          {text.lowerHand}
        </button>
      )}
      <ParticipantActions room={room} participant={p} onVerify={onVerify} />
    </li>
  );
  const groups = room.breakouts === null ? [] : groupByRoom(room.breakouts, people);
  /** The room we are in, as grouped (a room that is no longer open counts as the main room). */
  const selfRoom = groupByRoom(room.breakouts, self ? [self] : []).find((g) => g.people.length > 0)?.id ?? null;
  return (
    <SidePanel id="participants-panel" headingId="participants-heading" title={text.inThisMeeting(count)} onClose={onClose}>
      <LobbySection room={room} />
      {moderator && people.length > 0 && (
        <div class="panel-actions">
          <button type="button" class="button small" onClick={() => checkSent(room.mute('all', ['audio']))}>
            {text.muteEveryone}
          </button>
        </div>
      )}
      {groups.length === 0 ? (
        <ul class="people" aria-labelledby="participants-heading">
          {self && selfItem(self)}
          {people.map(personItem)}
        </ul>
      ) : (
        // While breakout rooms are open: everyone under the room they are in now, the main room first.
        groups.map((group) => (
          <section class="people-group" key={group.id ?? ''} aria-labelledby={`people-in-${group.id ?? 'main'}`}>
            <h3 id={`people-in-${group.id ?? 'main'}`} class="section-title">
              {group.name ?? text.breakoutMainRoom} <span class="muted">({group.people.length + (self && group.id === selfRoom ? 1 : 0)})</span>
            </h3>
            <ul class="people" aria-labelledby={`people-in-${group.id ?? 'main'}`}>
              {self && group.id === selfRoom && selfItem(self)}
              {group.people.map(personItem)}
            </ul>
          </section>
        ))
      )}
      <div class="panel-footer">
        <LanguageSwitch />
      </div>
    </SidePanel>
  );
}
