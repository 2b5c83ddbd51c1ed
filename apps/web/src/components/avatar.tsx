/** @jsxRuntime automatic @jsxImportSource preact */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words[words.length - 1] ?? '') : '';
  // Array.from keeps emoji and other astral characters whole.
  const letters = (Array.from(first)[0] ?? '') + (Array.from(last)[0] ?? '');
  return letters.toUpperCase() || '?';
}

/** A stable, calm hue per name, so people keep their colour across reloads. */
export function hue(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 360;
  return h;
}

export function Avatar({ name, size = 'large' }: { name: string; size?: 'small' | 'large' }) {
  return (
    <span class={`avatar avatar-${size}`} style={{ '--hue': String(hue(name)) }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
