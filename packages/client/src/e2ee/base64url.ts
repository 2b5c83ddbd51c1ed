// base64url without padding (RFC 4648 §5): how keys and sealed blobs travel in signaling JSON.

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes base64url without padding. Throws on anything else (other characters, padding, a length no
 * encoding produces, or non-zero unused bits) so one value has exactly one spelling.
 */
export function fromBase64url(text: string): Uint8Array {
  if (!ALPHABET.test(text) || text.length % 4 === 1) throw new TypeError('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (toBase64url(bytes) !== text) throw new TypeError('not canonical base64url');
  return bytes;
}
