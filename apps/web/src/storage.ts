// Everything Treff remembers lives in this browser only; nothing is tied to an account.
const NAME_KEY = 'treff.name';
const hostKey = (roomId: string) => `treff.host.${roomId}`;

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

/** Kept per tab (sessionStorage) so a reload keeps host rights without the secret staying in the address bar. */
export const loadHostSecret = (roomId: string): string | undefined => safely(() => sessionStorage.getItem(hostKey(roomId)) ?? undefined, undefined);
export const saveHostSecret = (roomId: string, secret: string): void => safely(() => sessionStorage.setItem(hostKey(roomId), secret), undefined);

/**
 * Takes `#host=<secret>` out of the address bar (so a copied URL never leaks it) and remembers it for
 * this tab. Returns the secret from the fragment or from an earlier visit.
 */
export function takeHostSecret(roomId: string): string | undefined {
  const match = /(?:^#|&)host=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    const secret = decodeURIComponent(match[1]);
    saveHostSecret(roomId, secret);
    history.replaceState(history.state, '', location.pathname + location.search);
    return secret;
  }
  return loadHostSecret(roomId);
}
