import type { Room, RoomSettings, RoomSettingsUpdate } from '@treff/client';
import { MAX_ROOM_SIZE, type JoinMode } from '@treff/protocol';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSentCheck } from '../action-feedback.js';
import { describeE2ee } from '../e2ee-status.js';
import { text } from '../strings.js';
import { SidePanel } from './side-panel.js';
import { Invites } from './invites.js';

type Toggle = 'lobby' | 'locked' | 'linkSharing' | 'discoverable' | 'autoPromote' | 'multipleScreenShares' | 'requireE2ee';

const TOGGLES: [Toggle, string][] = [
  ['lobby', text.lobbySetting],
  ['locked', text.lockSetting],
  ['linkSharing', text.linkSharingSetting],
  ['discoverable', text.discoverableSetting],
  ['autoPromote', text.autoPromoteSetting],
  ['multipleScreenShares', text.multipleScreenSharesSetting],
];

const JOIN_MODES: JoinMode[] = ['link', 'group', 'invite'];

/** Hosts: every room setting, applied as it is changed (the room's `room-updated` brings the result back). */
export function SettingsPanel({ room, hostSecret, onClose }: { room: Room; hostSecret: string | undefined; onClose: () => void }) {
  const applied: RoomSettings | undefined = room.info?.settings;
  const [password, setPassword] = useState('');
  const [size, setSize] = useState<string>('');
  // Shown at once, until the server applies the change (room-updated) or refuses it (an error): the
  // controlled inputs then show the room's settings again instead of staying as clicked.
  const [pending, setPending] = useState<Partial<RoomSettings>>({});
  const checkSent = useSentCheck();
  // The server refuses to require E2EE while someone present cannot encrypt; its reason stays in the panel.
  const [e2eeRefusal, setE2eeRefusal] = useState<string | null>(null);
  const askedE2ee = useRef(false);
  useEffect(() => {
    const settle = () => setPending({});
    const offs = [
      room.events.on('room-updated', () => {
        settle();
        askedE2ee.current = false;
      }),
      room.events.on('error', (e) => {
        if (e.fatal) return;
        settle();
        if (askedE2ee.current && (e.code === 'bad-request' || e.code === 'forbidden')) setE2eeRefusal(text.requireE2eeRefused(e.message, [...room.participants.values()].flatMap((p) => (p.e2ee === null ? [p.name] : []))));
        askedE2ee.current = false;
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [room]);
  if (!applied) return null;
  const settings: RoomSettings = { ...applied, ...pending };
  const update = (change: RoomSettingsUpdate) => checkSent(room.updateSettings(change));
  const toggle = (change: Partial<Pick<RoomSettings, Toggle | 'joinMode'>>) => {
    if (update(change)) setPending((p) => ({ ...p, ...change }));
    else setPending((p) => ({ ...p })); // re-render: the clicked input goes back to the room's value
  };
  const requireE2ee = (on: boolean) => {
    setE2eeRefusal(null);
    askedE2ee.current = on;
    toggle({ requireE2ee: on });
  };
  const e2ee = describeE2ee(room.e2ee, (id) => room.participants.get(id)?.name);
  // The protocol's bound; a server configured lower (--max-participants) does not publish its limit and
  // refuses more with an error that the meeting shows.
  const sizeValue = Number(size);
  const sizeValid = size !== '' && Number.isInteger(sizeValue) && sizeValue >= 2 && sizeValue <= MAX_ROOM_SIZE;

  return (
    <SidePanel id="settings-panel" headingId="settings-heading" title={text.settingsHeading} onClose={onClose}>
      <div class="panel-body stack">
        <fieldset class="settings-section">
          <legend>{text.whoMayJoin}</legend>
          {JOIN_MODES.map((mode) => {
            const unavailable = mode === 'group' && settings.groupId === null;
            return (
              <label class={unavailable ? 'check unavailable' : 'check'} key={mode}>
                <input type="radio" name="join-mode" checked={settings.joinMode === mode} disabled={unavailable} onChange={() => toggle({ joinMode: mode })} />
                <span>
                  {text.joinModeLabel(mode)}
                  {unavailable && <span class="hint"> {text.groupModeUnavailable}</span>}
                </span>
              </label>
            );
          })}
        </fieldset>
        <div class="settings-section stack tight">
          {TOGGLES.map(([key, label]) => (
            <label class="check" key={key}>
              <input type="checkbox" checked={settings[key]} onChange={(e) => toggle({ [key]: e.currentTarget.checked })} />
              {label}
            </label>
          ))}
        </div>
        <div class="settings-section stack tight">
          <label class="check">
            <input type="checkbox" checked={settings.requireE2ee} aria-describedby="require-e2ee-hint" onChange={(e) => requireE2ee(e.currentTarget.checked)} />
            {text.requireE2eeSetting}
          </label>
          {e2eeRefusal && (
            <p class="error" role="alert">
              {e2eeRefusal}
            </p>
          )}
          <p class="hint" id="require-e2ee-hint">
            {text.requireE2eeHint}
          </p>
          {!settings.requireE2ee && !e2eeRefusal && e2ee.reason && <p class="hint warn">{e2ee.label}</p>}
        </div>
        <form
          class="settings-section stack tight"
          onSubmit={(e) => {
            e.preventDefault();
            // Kept when it could not be sent, to try again.
            if (password && update({ password })) setPassword('');
          }}
        >
          <label for="new-password">{text.password}</label>
          <p class="hint">{settings.passwordRequired ? text.passwordSet : text.noPassword}</p>
          <div class="copy-row">
            <input id="new-password" class="input" type="password" autoComplete="new-password" maxLength={128} placeholder={text.newPassword} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            <button type="submit" class="button" disabled={!password}>
              {text.setPassword}
            </button>
          </div>
          {settings.passwordRequired && (
            <button type="button" class="button ghost" onClick={() => update({ password: null })}>
              {text.removePassword}
            </button>
          )}
        </form>
        <form
          class="settings-section stack tight"
          onSubmit={(e) => {
            e.preventDefault();
            if (sizeValid && update({ maxParticipants: sizeValue })) setSize('');
          }}
        >
          <label for="size-limit">{text.sizeLimit}</label>
          <div class="copy-row">
            <input id="size-limit" class="input" type="number" min={2} max={MAX_ROOM_SIZE} placeholder={String(settings.maxParticipants)} value={size} onInput={(e) => setSize(e.currentTarget.value)} />
            <button type="submit" class="button" disabled={!sizeValid}>
              {text.apply}
            </button>
          </div>
        </form>
        {hostSecret ? <Invites room={room} hostSecret={hostSecret} /> : <p class="hint">{text.hostSecretNeeded}</p>}
      </div>
    </SidePanel>
  );
}
