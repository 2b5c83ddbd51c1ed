import type { GroupResponse, MemberInfo } from '@treff/protocol';
import { useEffect, useState } from 'preact/hooks';
import { adminCredential, ApiFailure, createRoom, getGroup, joinGroup, listMembers, removeMember, rotateGroupInvite } from '../api.js';
import { BrandPage } from '../components/brand-page.js';
import { CopyField } from '../components/copy-field.js';
import { RoomCards } from '../components/room-cards.js';
import { groupView, shouldForgetCredential } from '../group-access.js';
import {
  forgetMemberCredential,
  loadGroupInviteUrl,
  loadMemberCredential,
  loadName,
  saveGroupInviteUrl,
  saveMemberCredential,
  saveName,
  takeGroupAdminSecret,
  takeGroupJoinCode,
  type MemberCredential,
} from '../storage.js';
import { text } from '../strings.js';
import { useLanguage } from '../use-language.js';
import { describeError, useAction } from '../use-action.js';

/**
 * `/g/:groupId`. `#admin=` (kept in this browser): members, the member invite link, rooms. `#join=`: choose a
 * name and become a member; the credential stays in this browser and opens the group's rooms.
 */
export function GroupPage({ groupId }: { groupId: string }) {
  const [adminSecret] = useState(() => takeGroupAdminSecret(groupId));
  const [joinCode] = useState(takeGroupJoinCode);
  const [credential, setCredential] = useState<MemberCredential | null>(() => loadMemberCredential(groupId));
  const [group, setGroup] = useState<GroupResponse | null>(null);
  const [members, setMembers] = useState<MemberInfo[]>([]);
  const [inviteUrl, setInviteUrl] = useState(() => loadGroupInviteUrl(groupId));
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [noAccess, setNoAccess] = useState(false);
  const [name, setName] = useState(loadName);
  const [roomTitle, setRoomTitle] = useState('');
  const { busy, problem: actionProblem, run } = useAction();
  const problem = actionProblem ?? loadProblem;
  const bearer = adminSecret ?? credential?.token;

  const refresh = async () => {
    if (!bearer) return;
    try {
      const found = await getGroup(groupId, bearer);
      setGroup(found);
      if (adminSecret) setMembers((await listMembers(groupId, adminSecret)).members);
    } catch (e) {
      if (!(e instanceof ApiFailure) || (e.status !== 401 && e.status !== 403)) return setLoadProblem(`${text.groupLoadFailed} ${describeError(e)}`);
      setNoAccess(true);
      // A removed member's credential never works again; forgetting it lets a new invite link in.
      if (shouldForgetCredential(e.status, adminSecret !== undefined)) {
        forgetMemberCredential(groupId);
        setCredential(null);
      }
    }
  };
  const language = useLanguage();
  useEffect(() => {
    document.title = `${group?.name ?? text.groupTitle} · ${text.appName}`;
  }, [group?.name, language]);
  useEffect(() => void refresh(), [bearer]);

  /** Members join with the invite code; the admin gets a credential of their own to enter the rooms. */
  const becomeMember = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const response = joinCode && !adminSecret ? await joinGroup(groupId, joinCode, name) : await adminCredential(groupId, adminSecret ?? '', name);
      const saved = { token: response.token, memberId: response.member.id, name: response.member.name, ...(response.member.role === 'admin' ? { admin: true } : {}) };
      saveMemberCredential(groupId, saved);
      saveName(response.member.name);
      setNoAccess(false);
      setCredential(saved);
      // The admin's bearer stays the admin secret, so nothing else reloads the list their new membership is in.
      if (adminSecret) await refresh();
    }, text.joinGroupFailed);
  };

  const newRoom = (event: Event) => {
    event.preventDefault();
    if (!credential) return;
    void run(async () => {
      const room = await createRoom(roomTitle, { groupId, memberToken: credential.token });
      location.assign(room.hostUrl);
    });
  };

  const nameForm = (heading: string, lead: string) => (
    <form class="stack" onSubmit={becomeMember}>
      <h2 class="section-title">{heading}</h2>
      <p class="muted">{lead}</p>
      <div class="field">
        <label for="member-name">{text.yourName}</label>
        <input id="member-name" class="input" type="text" maxLength={64} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <button type="submit" class="button primary large" disabled={busy || !name.trim()}>
        {text.becomeMember}
      </button>
    </form>
  );

  const view = groupView({ joinCode: joinCode !== undefined, adminSecret: adminSecret !== undefined, credential: credential !== null, refused: noAccess, loaded: group !== null });
  let body;
  if (view === 'join-form') body = nameForm(text.joinGroupHeading(''), text.joinGroupLead);
  else if (view === 'no-access') {
    body = (
      <div class="stack">
        <h2 class="section-title">{text.groupNoAccess}</h2>
        <p class="muted">{text.groupNoAccessHint}</p>
      </div>
    );
  } else if (!group) body = problem ? null : <div class="spinner" aria-hidden="true" />;
  else {
    body = (
      <div class="stack">
        <h1 class="section-title">{group.name}</h1>
        <p class="muted">{group.isAdmin ? text.adminView : text.memberView(credential?.name ?? group.self?.name ?? '')}</p>
        {group.isAdmin && !credential && nameForm(text.joinGroupHeading(group.name), text.joinGroupLead)}
        <section class="stack tight" aria-labelledby="rooms-heading">
          <h2 id="rooms-heading" class="section-title">
            {text.groupRooms}
          </h2>
          {group.rooms.length === 0 ? (
            <p class="hint">{text.noGroupRooms}</p>
          ) : (
            <RoomCards rooms={group.rooms} />
          )}
          {!credential && group.isAdmin && <p class="hint">{text.joinToCreateRooms}</p>}
          {credential && (
            <form class="copy-row" onSubmit={newRoom}>
              <input class="input" type="text" maxLength={120} aria-label={text.roomTitleLabel} placeholder={text.roomTitleLabel} value={roomTitle} onInput={(e) => setRoomTitle(e.currentTarget.value)} />
              <button type="submit" class="button primary" disabled={busy}>
                {text.newGroupRoom}
              </button>
            </form>
          )}
        </section>
        {adminSecret && (
          <section class="stack tight" aria-labelledby="members-heading">
            <h2 id="members-heading" class="section-title">
              {text.members}
            </h2>
            {members.length === 0 && <p class="hint">{text.noMembers}</p>}
            <ul class="plain-list">
              {members.map((m) => (
                <li key={m.id}>
                  <span class="person-name">{m.name}</span>
                  {m.role === 'admin' && <span class="badge">{text.adminBadge}</span>}
                  {m.role !== 'admin' && (
                    <button type="button" class="button small" aria-label={text.removeMember(m.name)} disabled={busy} onClick={() => void run(async () => {
                      await removeMember(groupId, adminSecret, m.id);
                      await refresh();
                    })}>
                      {text.remove}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {inviteUrl && <CopyField id="member-invite" label={text.memberInviteLink} value={inviteUrl} buttonLabel={text.copyMemberInvite} />}
            <button type="button" class="button" disabled={busy} onClick={() => void run(async () => {
              const rotated = await rotateGroupInvite(groupId, adminSecret);
              saveGroupInviteUrl(groupId, rotated.memberInviteUrl);
              setInviteUrl(rotated.memberInviteUrl);
            })}>
              {text.rotateMemberInvite}
            </button>
            <p class="hint">{text.rotateMemberInviteHint}</p>
          </section>
        )}
      </div>
    );
  }

  return (
    <BrandPage>
      {body}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </BrandPage>
  );
}
