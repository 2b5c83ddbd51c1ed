import { h } from 'preact';

/** A run of a chat message: plain text, or a web link. */
export type ChatSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// Candidates only; each is then parsed with URL, and anything but http(s) stays text.
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"']+/gi;
/** Punctuation that ends a sentence rather than the link ("see https://x.org." ). */
const TRAILING = /[.,;:!?)\]}]+$/;

/** Splits a message into text and http(s) links; nothing in it is ever treated as markup. */
export function linkify(message: string): ChatSegment[] {
  const segments: ChatSegment[] = [];
  let last = 0;
  const pushText = (text: string) => {
    if (text === '') return;
    const prev = segments.at(-1);
    if (prev?.kind === 'text') prev.text += text;
    else segments.push({ kind: 'text', text });
  };
  for (const match of message.matchAll(URL_CANDIDATE)) {
    const raw = match[0].replace(TRAILING, '');
    const start = match.index;
    const href = safeHref(raw);
    pushText(message.slice(last, start));
    if (href === null) pushText(raw);
    else segments.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  pushText(message.slice(last));
  return segments;
}

function safeHref(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A chat message as DOM: text nodes (Preact escapes them) and links that open in a new tab without
 * giving the opened page a handle on this one.
 */
export function ChatText({ text }: { text: string }) {
  return h(
    'span',
    { class: 'chat-text' },
    linkify(text).map((s, i) => (s.kind === 'text' ? s.text : h('a', { key: i, href: s.href, target: '_blank', rel: 'noopener noreferrer' }, s.text))),
  );
}
