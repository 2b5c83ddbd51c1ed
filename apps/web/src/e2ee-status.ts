import type { E2eeState } from '@treff/client';
import { text } from './strings.js';

/** How the meeting's encryption state reads in the header, its toast and the security dialog. */
export interface E2eeView {
  encrypted: boolean;
  /** The state alone: "End-to-end encrypted" or "Not end-to-end encrypted" (the control's accessible name). */
  state: string;
  /** The state with its reason, as one line. */
  label: string;
  /** Why it is not encrypted, when that is known (our browser, or whose apps). */
  reason: string | null;
}

/** At most this many names; the rest are counted, so a large room does not make a paragraph of a badge. */
const NAMED = 3;

/**
 * Our own browser first: if it cannot encrypt, nobody else's app matters. Blockers who already left (or
 * whose names we do not have yet) are counted, not dropped, so the reason never names fewer than there are.
 */
export function describeE2ee(state: Pick<E2eeState, 'supported' | 'status' | 'blockers'>, nameOf: (participantId: string) => string | undefined): E2eeView {
  if (state.status === 'encrypted') return { encrypted: true, state: text.e2eeOn, label: text.e2eeOn, reason: null };
  const reason = !state.supported ? text.e2eeBrowserCannot : blockersReason(state.blockers, nameOf);
  return { encrypted: false, state: text.e2eeOff, label: reason ? text.e2eeOffBecause(reason) : text.e2eeOff, reason };
}

function blockersReason(blockers: readonly string[], nameOf: (participantId: string) => string | undefined): string | null {
  if (blockers.length === 0) return null;
  const names = blockers.flatMap((id) => nameOf(id) ?? []);
  const shown = names.slice(0, NAMED);
  const rest = blockers.length - shown.length;
  const parts = rest === 0 ? shown : shown.length === 0 ? [rest === 1 ? text.someone : text.peopleN(rest)] : [...shown, text.othersN(rest)];
  return text.e2eeAppsCannot(text.listOf(parts), blockers.length);
}

/** The reason as a sentence of its own ("Bob’s app cannot encrypt."), e.g. for an accessible description. */
export function reasonSentence(reason: string): string {
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

/**
 * The warning for participants whose identity key changed under the same participant id (which no honest
 * client does: a rejoin is a new participant), or null when there are none.
 */
export function identityChangedWarning(changed: readonly string[], nameOf: (participantId: string) => string | undefined): string | null {
  if (changed.length === 0) return null;
  const names = changed.flatMap((id) => nameOf(id) ?? []);
  const rest = changed.length - names.length;
  const parts = rest === 0 ? names : names.length === 0 ? [rest === 1 ? text.someone : text.peopleN(rest)] : [...names, text.othersN(rest)];
  return text.identityChanged(text.listOf(parts));
}

/** The toast when the state flips during the meeting, or null when it did not. */
export function e2eeChangeToast(previous: E2eeState['status'], now: E2eeView): string | null {
  if ((previous === 'encrypted') === now.encrypted) return null;
  return now.encrypted ? text.e2eeNowOn : text.e2eeNowOff(now.reason);
}
