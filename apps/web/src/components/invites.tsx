import type { Room } from '@treff/client';
import type { CreateInviteResponse, CreateRoomResponse, InviteInfo } from '@treff/protocol';
import { useEffect, useState } from 'preact/hooks';
import { createInvite, listInvites, revokeInvite, rotateLink } from '../api.js';
import { saveHostSecret } from '../storage.js';
import { text } from '../strings.js';
import { useAction } from '../use-action.js';
import { CopyField } from './copy-field.js';

/** Host-link holders: personal invites and the room link, over the HTTP API with the host secret. */
export function Invites({ room, hostSecret }: { room: Room; hostSecret: string }) {
  const [invites, setInvites] = useState<InviteInfo[]>([]);
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<CreateInviteResponse | null>(null);
  const [rotated, setRotated] = useState<CreateRoomResponse | null>(null);
  const { busy, problem, run } = useAction();
  const roomId = room.roomId;

  const refresh = async () => setInvites((await listInvites(roomId, hostSecret)).invites);
  useEffect(() => void run(refresh), [roomId]);

  const create = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      setCreated(await createInvite(roomId, hostSecret, label));
      setLabel('');
      await refresh();
    });
  };

  const rotate = async () => {
    const result = await rotateLink(roomId, hostSecret);
    // The host link holds the room id: a reload of this tab must find the secret under the new one.
    saveHostSecret(result.roomId, result.hostSecret);
    setRotated(result);
    setCreated(null); // its link holds the old room id
  };

  return (
    <section class="stack settings-section" aria-labelledby="invites-heading">
      <h3 id="invites-heading">{text.invitesHeading}</h3>
      <form class="copy-row" onSubmit={create}>
        <input class="input" type="text" maxLength={64} aria-label={text.inviteLabel} placeholder={text.invitePlaceholder} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
        <button type="submit" class="button" disabled={busy}>
          {text.createInvite}
        </button>
      </form>
      {created && <CopyField id="invite-link" label={text.inviteLinkLabel(created.invite.label)} value={created.inviteUrl} buttonLabel={text.copyInviteLink} hint={text.inviteShownOnce} />}
      {invites.length === 0 ? (
        <p class="hint">{text.noInvites}</p>
      ) : (
        <ul class="plain-list">
          {invites.map((invite) => (
            <li key={invite.id}>
              <span class="person-name">{invite.label || text.unnamedInvite}</span>
              {invite.revoked ? (
                <span class="muted">{text.revoked}</span>
              ) : (
                <button type="button" class="button small" aria-label={text.revokeInvite(invite.label || text.unnamedInvite)} disabled={busy} onClick={() => void run(async () => {
                  await revokeInvite(roomId, hostSecret, invite.id);
                  await refresh();
                })}>
                  {text.revoke}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="stack tight">
        <button type="button" class="button" disabled={busy} onClick={() => {
          if (confirm(text.confirmRotate)) void run(rotate);
        }}>
          {text.rotateLink}
        </button>
        <p class="hint">{text.rotateLinkHint}</p>
      </div>
      {rotated && <CopyField id="new-host-link" label={text.newHostLink} value={rotated.hostUrl} buttonLabel={text.copyNewHostLink} hint={text.newHostLinkHint} />}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
