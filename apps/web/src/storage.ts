// Everything Treff remembers lives in this browser only; nothing is tied to an account.
const NAME_KEY = 'treff.name';
const DEVICE_KEY = 'treff.device';
const VIEW_KEY = 'treff.view';
const hostKey = (roomId: string) => `treff.host.${roomId}`;
const inviteKey = (roomId: string) => `treff.invite.${roomId}`;
const memberKey = (groupId: string) => `treff.member.${groupId}`;
const groupAdminKey = (groupId: string) => `treff.group-admin.${groupId}`;
const groupInviteKey = (groupId: string) => `treff.group-invite.${groupId}`;

function safely<T>(action: () => T, fallback: T): T {
  try {
    return action();
  } catch {
    // Storage throws in some private modes and sandboxed iframes; remembering is a convenience only.
    return fallback;
  }
}

export const loadName = (): string => safely(() => localStorage.getItem(NAME_KEY) ?? '', '');
export const saveName = (name: string): void => safely(() => localStorage.setItem(NAME_KEY, name), undefined);

/** The meeting view last chosen (grid or speaker), for the next meeting too. */
export const loadView = (): 'grid' | 'speaker' => (safely(() => localStorage.getItem(VIEW_KEY), null) === 'speaker' ? 'speaker' : 'grid');
export const saveView = (view: 'grid' | 'speaker'): void => safely(() => localStorage.setItem(VIEW_KEY, view), undefined);

/** A random id for this browser (what a ban binds to); it identifies nobody and clearing site data replaces it. */
export function deviceId(): string {
  const existing = safely(() => localStorage.getItem(DEVICE_KEY), null);
  if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  const id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  safely(() => localStorage.setItem(DEVICE_KEY, id), undefined);
  return id;
}

/** Kept per tab (sessionStorage) so a reload keeps host rights without the secret staying in the address bar. */
export const loadHostSecret = (roomId: string): string | undefined => safely(() => sessionStorage.getItem(hostKey(roomId)) ?? undefined, undefined);
export const saveHostSecret = (roomId: string, secret: string): void => safely(() => sessionStorage.setItem(hostKey(roomId), secret), undefined);

/** Reads `key=` from the address bar's fragment (`#host=…&invite=…`). */
export function fragmentParam(hash: string, key: string): string | undefined {
  const match = new RegExp(`(?:^#|&)${key}=([^&]+)`).exec(hash);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/** Removes the fragment so a copied URL never leaks a secret. */
function clearFragment(): void {
  history.replaceState(history.state, '', location.pathname + location.search);
}

/** Takes `key` out of the fragment and remembers it under `storageKey` in `store`; else returns what was remembered. */
function takeFromFragment(key: string, store: () => Storage, storageKey: string): string | undefined {
  const value = fragmentParam(location.hash, key);
  if (value) {
    safely(() => store().setItem(storageKey, value), undefined);
    clearFragment();
    return value;
  }
  return safely(() => store().getItem(storageKey) ?? undefined, undefined);
}

/** `#host=<secret>` of the host link, or the one this tab saw before. */
export const takeHostSecret = (roomId: string): string | undefined => takeFromFragment('host', () => sessionStorage, hostKey(roomId));

/** `#invite=<token>` of a personal invite link, or the one this tab saw before. */
export const takeInviteToken = (roomId: string): string | undefined => takeFromFragment('invite', () => sessionStorage, inviteKey(roomId));

/** A rotated link gives the room a new id; the invite token stays valid and is kept under it for a reload. */
export const saveInviteToken = (roomId: string, token: string): void => safely(() => sessionStorage.setItem(inviteKey(roomId), token), undefined);

/** `#admin=<secret>` of a group's admin link; kept in this browser so the admin can come back. */
export const takeGroupAdminSecret = (groupId: string): string | undefined => takeFromFragment('admin', () => localStorage, groupAdminKey(groupId));

/** `#join=<code>` of a group's member invite link (used once: it becomes a member credential). */
export function takeGroupJoinCode(): string | undefined {
  const code = fragmentParam(location.hash, 'join');
  if (code) clearFragment();
  return code;
}

export interface MemberCredential {
  token: string;
  memberId: string;
  name: string;
  /** The group's admin's own credential: the server lets it in without the room's password. */
  admin?: boolean;
}

export function loadMemberCredential(groupId: string): MemberCredential | null {
  const text = safely(() => localStorage.getItem(memberKey(groupId)), null);
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<MemberCredential>;
    if (typeof value.token !== 'string' || typeof value.memberId !== 'string') return null;
    return { token: value.token, memberId: value.memberId, name: value.name ?? '', ...(value.admin === true ? { admin: true } : {}) };
  } catch {
    return null;
  }
}

export const saveMemberCredential = (groupId: string, credential: MemberCredential): void =>
  safely(() => localStorage.setItem(memberKey(groupId), JSON.stringify(credential)), undefined);

/**
 * Whether this browser holds the group admin's own credential: marked so since it was made, or (saved
 * before the mark existed) next to the admin secret, with which the group page only ever makes the admin's.
 */
export function holdsGroupAdminCredential(groupId: string): boolean {
  const credential = loadMemberCredential(groupId);
  if (!credential) return false;
  return credential.admin === true || safely(() => localStorage.getItem(groupAdminKey(groupId)) !== null, false);
}

export const forgetMemberCredential = (groupId: string): void => safely(() => localStorage.removeItem(memberKey(groupId)), undefined);

/** The member invite link is shown to the admin once (at creation or rotation); this browser keeps it to copy again. */
export const loadGroupInviteUrl = (groupId: string): string | null => safely(() => localStorage.getItem(groupInviteKey(groupId)), null);
export const saveGroupInviteUrl = (groupId: string, url: string): void => safely(() => localStorage.setItem(groupInviteKey(groupId), url), undefined);
