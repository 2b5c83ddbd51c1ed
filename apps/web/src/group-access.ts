/** What the group page shows, from what this browser holds and what the server said about it. */
export type GroupView = 'join-form' | 'no-access' | 'loading' | 'group';

export interface GroupAccess {
  /** `#join=` of a member invite link opened just now. */
  joinCode: boolean;
  adminSecret: boolean;
  /** A stored member credential not (yet) refused by the server. */
  credential: boolean;
  /** The server refused what we hold (401/403). */
  refused: boolean;
  loaded: boolean;
}

/**
 * A member invite link opens the name form whenever nothing we hold works: a removed member's stored
 * credential is refused, forgotten, and the new invite makes them a member again.
 */
export function groupView(access: GroupAccess): GroupView {
  if (access.joinCode && !access.adminSecret && !access.credential) return 'join-form';
  if ((!access.adminSecret && !access.credential) || access.refused) return 'no-access';
  return access.loaded ? 'group' : 'loading';
}

/** On a refusal of the member credential (not the admin secret): forget it, it will not work again. */
export const shouldForgetCredential = (status: number, usedAdminSecret: boolean): boolean => !usedAdminSecret && (status === 401 || status === 403);
