import type { CreateGroupResponse, CreateRoomResponse } from '@treff/protocol';
import { useState } from 'preact/hooks';
import { createGroup, createRoom } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { Logo } from '../components/icons.js';
import { saveGroupInviteUrl } from '../storage.js';
import { text } from '../strings.js';

type Mode = 'meeting' | 'group';

export function Home() {
  const [mode, setMode] = useState<Mode>('meeting');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreateRoomResponse | null>(null);
  const [group, setGroup] = useState<CreateGroupResponse | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'meeting') setCreated(await createRoom(title));
      else {
        const made = await createGroup(title);
        saveGroupInviteUrl(made.groupId, made.memberInviteUrl);
        setGroup(made);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : mode === 'meeting' ? text.createFailed : text.groupCreateFailed);
    } finally {
      setBusy(false);
    }
  };

  const reset = () => {
    setCreated(null);
    setGroup(null);
    setTitle('');
  };

  return (
    <main class="home">
      <div class="home-card">
        <div class="brand">
          <Logo />
          <span>{text.appName}</span>
        </div>
        <h1 class="home-title">{text.homeTitle}</h1>
        <p class="lead">{text.homeLead}</p>

        {created ? (
          <section class="stack" aria-labelledby="created-heading">
            <h2 id="created-heading" class="section-title">
              {created.title ? text.roomReadyNamed(created.title) : text.roomReady}
            </h2>
            <CopyField id="room-link" label={text.roomLinkLabel} value={created.roomUrl} buttonLabel={text.copyRoomLink} />
            <CopyField id="host-link" label={text.hostLinkLabel} value={created.hostUrl} buttonLabel={text.copyHostLink} hint={text.hostLinkHint} />
            <div class="row">
              <a class="button primary large" href={created.hostUrl}>
                {text.joinAsHost}
              </a>
              <button type="button" class="button ghost" onClick={reset}>
                {text.createAnother}
              </button>
            </div>
          </section>
        ) : group ? (
          <section class="stack" aria-labelledby="group-heading">
            <h2 id="group-heading" class="section-title">
              {text.groupReady(group.name)}
            </h2>
            <CopyField id="group-admin-link" label={text.groupAdminLinkLabel} value={group.adminUrl} buttonLabel={text.copyGroupAdminLink} hint={text.groupAdminLinkHint} />
            <CopyField id="group-member-link" label={text.groupMemberLinkLabel} value={group.memberInviteUrl} buttonLabel={text.copyGroupMemberLink} />
            <div class="row">
              <a class="button primary large" href={group.adminUrl}>
                {text.openGroup}
              </a>
              <button type="button" class="button ghost" onClick={reset}>
                {text.createAnother}
              </button>
            </div>
          </section>
        ) : (
          <form class="stack" onSubmit={submit}>
            <div class="field">
              <label for="title">{mode === 'meeting' ? text.meetingTitleLabel : text.groupNameLabel}</label>
              <input
                id="title"
                class="input"
                type="text"
                maxLength={mode === 'meeting' ? 120 : 80}
                required={mode === 'group'}
                placeholder={mode === 'meeting' ? text.meetingTitlePlaceholder : text.groupNamePlaceholder}
                value={title}
                onInput={(e) => setTitle(e.currentTarget.value)}
              />
            </div>
            <button type="submit" class="button primary large" disabled={busy || (mode === 'group' && !title.trim())}>
              {busy ? text.creating : mode === 'meeting' ? text.newMeeting : text.createGroup}
            </button>
            <div class="row">
              <button type="button" class="button ghost" aria-pressed={mode === 'group'} onClick={() => setMode(mode === 'meeting' ? 'group' : 'meeting')}>
                {mode === 'meeting' ? text.newGroup : text.newMeeting}
              </button>
              <a class="button ghost" href="/rooms">
                {text.browsePublicRooms}
              </a>
            </div>
            {error && (
              <p class="error" role="alert">
                {error}
              </p>
            )}
          </form>
        )}
      </div>
      <p class="footnote">{text.homeFootnote}</p>
    </main>
  );
}
