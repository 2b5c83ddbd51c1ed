/** @jsxRuntime automatic @jsxImportSource preact */
import type { Participant, Room } from '@treff/client';
import type { Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { describeE2ee, identityChangedWarning } from '../e2ee-status.js';
import { text } from '../strings.js';
import { useSafetyCodes, type SafetyCodes } from '../use-safety-codes.js';
import { EncryptedIcon, NotEncryptedIcon } from './icons.js';

/**
 * What end-to-end encryption protects in this meeting, what the server still sees, and the security code
 * with each participant to compare out of band. `focus`: the participant whose code was asked for.
 */
export function SecurityDialog({ room, focus, onClose }: { room: Room; focus: string | null; onClose: () => void }) {
  const state = room.e2ee;
  const view = describeE2ee(state, (id) => room.participants.get(id)?.name);
  const people = [...room.participants.values()].sort((a, b) => a.name.localeCompare(b.name));
  const codes = useSafetyCodes(room, people);
  const warning = identityChangedWarning(state.identityChanged, (id) => room.participants.get(id)?.name);
  const dialogRef = useRef<HTMLDivElement>(null);
  const focusRef = useRef<HTMLLIElement>(null);

  useEffect(() => {
    // Back to whatever opened it (the header badge or a participant's menu) once closed.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The dialog itself when no one is asked for, so it reads (and stays scrolled) from the top.
    (focusRef.current ?? dialogRef.current)?.focus();
    focusRef.current?.scrollIntoView({ block: 'nearest' });
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, []);

  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog security-dialog stack" role="dialog" aria-modal="true" aria-labelledby="security-heading" tabIndex={-1} ref={dialogRef}>
        <h2 id="security-heading" class="section-title">
          {text.securityHeading}
        </h2>
        <p class={`security-state ${view.encrypted ? 'on' : 'off'}`}>
          {view.encrypted ? <EncryptedIcon size={18} /> : <NotEncryptedIcon size={18} />}
          <strong>{view.label}</strong>
        </p>
        {warning && (
          <p class="security-warning" role="alert">
            {warning}
          </p>
        )}
        <p>{view.encrypted ? text.securityEncrypted : text.securityNotEncrypted}</p>
        {state.required && <p class="hint">{text.securityRequired}</p>}
        {state.supported && (
          <p class="hint">
            {text.keyChanges(state.epoch)} {text.keyChangesWhy}
          </p>
        )}
        <section class="stack tight">
          <h3 class="security-subheading">{text.securityMetadataHeading}</h3>
          <p class="hint">{text.securityMetadata}</p>
          <p class="hint">{text.securityNoRecording}</p>
        </section>
        <section class="stack tight">
          <h3 class="security-subheading" id="safety-codes-heading">
            {text.safetyCodesHeading}
          </h3>
          {!state.supported ? (
            <p class="hint">{text.safetyCodesUnsupported}</p>
          ) : people.length === 0 ? (
            <p class="hint">{text.safetyCodesAlone}</p>
          ) : (
            <>
              <p class="hint">{text.safetyCodesHow}</p>
              <SafetyCodeList people={people} codes={codes} focus={focus} focusRef={focusRef} />
              <p class="hint">{text.safetyCodesNew}</p>
            </>
          )}
        </section>
        <div class="row">
          <button type="button" class="button primary" onClick={onClose}>
            {text.securityClose}
          </button>
        </div>
      </div>
    </div>
  );
}

/** One entry per participant: their name and the code, or why there is none. */
export function SafetyCodeList({ people, codes, focus, focusRef }: { people: readonly Pick<Participant, 'id' | 'name' | 'e2ee'>[]; codes: SafetyCodes; focus: string | null; focusRef?: Ref<HTMLLIElement> }) {
  return (
    <ul class="safety-codes" aria-labelledby="safety-codes-heading">
      {people.map((p) => {
        const code = codes.get(p.id);
        const focused = p.id === focus;
        return (
          <li key={p.id} aria-label={text.safetyCodeFor(p.name)} class={focused ? 'focused' : undefined} tabIndex={focused ? -1 : undefined} ref={focused ? focusRef : undefined}>
            <span class="person-name">{p.name}</span>
            {code ? <code class="safety-code">{code}</code> : <span class="muted">{code === null || p.e2ee === null ? text.safetyCodeNone : text.safetyCodeLoading}</span>}
          </li>
        );
      })}
    </ul>
  );
}
