import type { CreateGroupResponse, CreateRoomResponse } from '@treff/protocol';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { createGroup, createRoom } from '../api.js';
import { CopyField } from '../components/copy-field.js';
import { Logo } from '../components/icons.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { saveGroupInviteUrl } from '../storage.js';
import { text } from '../strings.js';
import { describeError } from '../use-action.js';

type Mode = 'meeting' | 'group';

/** A new meeting or group: its links to copy, the way in, and starting over. */
function Ready({ id, heading, open, onReset, children }: { id: string; heading: string; open: { href: string; label: string }; onReset: () => void; children: ComponentChildren }) {
  return (
    <section class="stack" aria-labelledby={id}>
      <h2 id={id} class="section-title">
        {heading}
      </h2>
      {children}
      <div class="row">
        <a class="button primary large" href={open.href}>
          {open.label}
        </a>
        <button type="button" class="button ghost" onClick={onReset}>
          {text.createAnother}
        </button>
      </div>
    </section>
  );
}

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
      setError(e instanceof Error ? describeError(e) : mode === 'meeting' ? text.createFailed : text.groupCreateFailed);
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
        <div class="brand-row">
          <div class="brand">
            <Logo />
            <span>{text.appName}</span>
          </div>
          <LanguageSwitch />
        </div>
        <h1 class="home-title">{text.homeTitle}</h1>
        <p class="lead">{text.homeLead}</p>

        {created ? (
          <Ready id="created-heading" heading={created.title ? text.roomReadyNamed(created.title) : text.roomReady} open={{ href: created.hostUrl, label: text.joinAsHost }} onReset={reset}>
            <CopyField id="room-link" label={text.roomLinkLabel} value={created.roomUrl} buttonLabel={text.copyRoomLink} />
            <CopyField id="host-link" label={text.hostLinkLabel} value={created.hostUrl} buttonLabel={text.copyHostLink} hint={text.hostLinkHint} />
          </Ready>
        ) : group ? (
          <Ready id="group-heading" heading={text.groupReady(group.name)} open={{ href: group.adminUrl, label: text.openGroup }} onReset={reset}>
            <CopyField id="group-admin-link" label={text.groupAdminLinkLabel} value={group.adminUrl} buttonLabel={text.copyGroupAdminLink} hint={text.groupAdminLinkHint} />
            <CopyField id="group-member-link" label={text.groupMemberLinkLabel} value={group.memberInviteUrl} buttonLabel={text.copyGroupMemberLink} />
          </Ready>
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
              {/* The label says what a click switches to, so it is a plain button rather than a pressed toggle. */}
              <button type="button" class="button ghost" onClick={() => setMode(mode === 'meeting' ? 'group' : 'meeting')}>
                {mode === 'meeting' ? text.newGroup : text.meetingInstead}
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
